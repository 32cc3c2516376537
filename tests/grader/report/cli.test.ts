import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { COURSE, convlab, tempDir, TINY, TINY_SUBMISSIONS, writeFile, type CliResult } from '../../support/helpers';
import { COHORT_ATTEMPTS } from '../../support/cohort-fixture';
import { writeGradebook } from '../../support/gradebook-fixture';

/** A user error as users see it: exit 2, one line on stderr naming the problem, nothing on stdout. */
function expectUserError(result: CliResult, pattern: RegExp): void {
  expect(result.exitCode, result.stderr).to.equal(2);
  expect(result.stdout).to.equal('');
  expect(result.stderr.split('\n')).to.have.length(2); // one line and its newline
  expect(result.stderr).to.match(pattern);
  expect(result.stderr).to.not.match(/\bat .*\(.*:\d+:\d+\)/); // no stack frame
}

describe('convlab report and grade: user errors are one line and exit 2 (real CLI)', function () {
  this.timeout(120_000);
  const dir = tempDir();
  const db = writeGradebook(join(dir, 'g.sqlite'), COHORT_ATTEMPTS);
  const out = join(dir, 'report.html');
  const report = (...args: string[]) => convlab(['report', '--db', db, '--out', out, ...args]);

  it('names a --db that does not exist, and says what writes a gradebook', async () => {
    expectUserError(await convlab(['report', '--db', join(dir, 'missing.sqlite')]),
      /^convlab: Gradebook not found: ".*missing\.sqlite" \(convlab grade writes it, .*--db\)$/m);
  });

  it('says where the gradebook is expected when plain `convlab report` finds none', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    expectUserError(await convlab(['report'], { cwd: empty }),
      /^convlab: Gradebook not found: "\.convlab\/gradebook\.sqlite" \(convlab grade writes it, by default to \.convlab\/gradebook\.sqlite/m);
  });

  it('refuses a --db that is not SQLite', async () => {
    const notes = writeFile(join(dir, 'notes.sqlite'), 'these are notes, not a database; long enough for a header '.repeat(4));
    expectUserError(await convlab(['report', '--db', notes, '--out', out]), /^convlab: Gradebook ".*notes\.sqlite" is not an SQLite database/m);
  });

  it('refuses a roster with a wrong header, naming the missing columns', async () => {
    const roster = writeFile(join(dir, 'wrong.csv'), 'learner,mail\nada,ada@uni.edu\n');
    expectUserError(await report('--roster', roster), /^convlab: Roster ".*wrong\.csv": missing columns "id", "name"/m);
  });

  it('refuses a bad option value', async () => {
    expectUserError(await report('--at-risk-below', '2'), /^convlab: at-risk threshold: expected a fraction between 0 and 1, got 2$/m);
  });

  it('accepts a roster with only id and name', async () => {
    const roster = writeFile(join(dir, 'plain.csv'), 'id,name\nada,Ada Lovelace\nbob,Bob\ndee,Dee\n');
    const result = await report('--roster', roster, '--csv', join(dir, 'scores.csv'));
    expect(result.exitCode, result.stderr).to.equal(0);
    expect(result.stdout).to.include('Not in the roster: cy\nIn the roster without submissions: dee');
    expect(readFileSync(join(dir, 'scores.csv'), 'utf8')).to.include('\r\nada,Ada Lovelace,,');
  });

  it("accepts Canvas's gradebook export as the roster", async () => {
    const roster = writeFile(join(dir, 'canvas.csv'), [
      'Student,ID,SIS User ID,SIS Login ID,Section,01-intro (77),Current Score',
      '    Points Possible,,,,,4,',
      '"Lovelace, Ada",ada,S-1,ada@uni.edu,CV,4,100',
      'Bob,bob,S-2,bob@uni.edu,CV,,',
      'Dee,dee,S-3,dee@uni.edu,CV,,',
    ].join('\r\n'));
    const result = await report('--roster', roster);
    expect(result.exitCode, result.stderr).to.equal(0);
    expect(result.stdout).to.include(': 4 learners,'); // ada, bob and dee from Canvas, cy from the gradebook
    expect(result.stdout).to.include('Not in the roster: cy\nIn the roster without submissions: dee');
  });

  it('grade: refuses a read-only --db and a --db that is not SQLite, before grading anything', async () => {
    const submission = writeFile(join(dir, 'subs', `ada_${TINY}.ipynb`), TINY_SUBMISSIONS.correct());
    const locked = join(dir, 'locked.sqlite');
    writeFileSync(locked, readFileSync(db));
    chmodSync(locked, 0o444);
    const grade = (gradebook: string) => convlab(['grade', submission, '--assignment', TINY, '--root', COURSE, '--db', gradebook]);
    expectUserError(await grade(locked), /^convlab: Gradebook ".*locked\.sqlite" is read-only$/m);
    expectUserError(await grade(join(dir, 'notes.sqlite')), /^convlab: Gradebook ".*notes\.sqlite" is not an SQLite database/m);
  });
});
