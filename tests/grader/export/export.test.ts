import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { exportGrades } from '../../../grader/commands/export';
import { UsageError } from '../../../grader/errors';
import { PROJECT_ROOT } from '../../../grader/paths';
import { convlab } from '../../support/helpers';
import { graded, makeTempDir, writeGradebook, type TempDir } from '../../support/gradebook-fixture';

const FIXTURES = join(PROJECT_ROOT, 'tests', 'fixtures', 'lms');
const ROSTER = join(FIXTURES, 'roster.csv');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');

describe('convlab export: grade files Canvas and Moodle import', () => {
  let dir: TempDir;
  let db: string;
  beforeEach(() => {
    dir = makeTempDir();
    db = writeGradebook(dir.file('gradebook.sqlite'), [
      // Ada's earlier attempt is superseded by her later, late one: 4 points from the tests, 1 off.
      graded('ada', '01-intro', '2026-10-01T10:00:00Z', 2),
      { ...graded('ada', '01-intro', '2026-10-03T10:00:00Z', 4), penalty: 1 },
      graded('ada', '02-convs', '2026-10-08T10:00:00Z', 2),
      graded('ben', '01-intro', '2026-10-01T11:00:00Z', 1),
      graded('zed', '01-intro', '2026-10-01T12:00:00Z', 3),
      graded('ada', '03-later', '2026-10-15T12:00:00Z', 3),
    ]);
  });
  afterEach(() => dir.remove());

  const run = (format: string, assignments: string[], missingAsZero = false) =>
    exportGrades({ db, format, assignments, roster: ROSTER, out: dir.file(`out-${format}.csv`), missingAsZero });

  it('writes Canvas\'s layout: identity columns, a Points Possible row, final scores, empty cells for no submission', async () => {
    const summary = await run('canvas', ['01-intro', '02-convs']);
    expect(readFileSync(dir.file('out-canvas.csv'), 'utf8')).to.equal(fixture('canvas.csv'));
    expect(summary).to.deep.include({ learners: 3, withoutSubmission: 1, notInRoster: ['zed'] });
  });

  it('writes Moodle\'s layout keyed by ID number and email', async () => {
    await run('moodle', ['01-intro', '02-convs']);
    expect(readFileSync(dir.file('out-moodle.csv'), 'utf8')).to.equal(fixture('moodle.csv'));
  });

  it('writes 0 for a learner without a submission only when asked', async () => {
    await run('csv', ['01-intro'], true);
    expect(readFileSync(dir.file('out-csv.csv'), 'utf8')).to.equal(fixture('plain-missing-as-zero.csv'));
  });

  it('refuses an assignment the gradebook holds no grades for (another course\'s gradebook) and writes nothing', async () => {
    let error: unknown;
    await run('canvas', ['01-intro', '05-distillation']).catch((caught: unknown) => { error = caught; });
    expect(error).to.be.instanceOf(UsageError);
    expect((error as Error).message).to.equal(`gradebook "${db}" holds no grades for "05-distillation" (it holds 01-intro, 02-convs, 03-later): is it this course's gradebook?`);
    expect(readdirSync(dir.path).filter((file) => !file.startsWith('gradebook.sqlite'))).to.deep.equal([]);
  });

  describe('through the CLI', function () {
    this.timeout(60_000);
    const expectUsageError = async (args: string[], message: string): Promise<void> => {
      const result = await convlab(['export', ...args]);
      expect(result.exitCode, result.stderr).to.equal(2);
      expect(result.stdout).to.equal('');
      expect(result.stderr).to.equal(`convlab: ${message}\n`);
    };

    it('prints what it wrote and whom the roster lacks', async () => {
      const out = dir.file('grades.csv');
      const result = await convlab(['export', '--db', db, '--format', 'canvas', '--assignment', '01-intro', '--assignment', '02-convs', '--roster', ROSTER, '--out', out]);
      expect(result.stderr).to.equal('');
      expect(result.exitCode).to.equal(0);
      expect(result.stdout).to.equal(`canvas grades for 3 learners written to ${out} (1 without a submission)\nnot in the roster, left out: zed\n`);
      expect(readFileSync(out, 'utf8')).to.equal(fixture('canvas.csv'));
    });

    it('answers bad input with one line and exit 2', async () => {
      const base = ['--db', db, '--roster', ROSTER, '--out', dir.file('x.csv')];
      await expectUsageError([...base, '--format', 'canvas', '--assignment', '09-unknown'],
        `gradebook "${db}" holds no grades for "09-unknown" (it holds 01-intro, 02-convs, 03-later): is it this course's gradebook?`);
      await expectUsageError([...base, '--format', 'blackboard', '--assignment', '01-intro'], 'unknown --format "blackboard" (one of canvas, moodle, csv)');
      await expectUsageError(['--db', db, '--roster', ROSTER, '--format', 'csv', '--assignment', '01-intro', '--out', '/nonexistent-folder/grades.csv'],
        'cannot write "/nonexistent-folder/grades.csv": its folder does not exist');
      await expectUsageError(['--db', db, '--roster', ROSTER, '--format', 'csv', '--out', dir.file('x.csv')], 'export needs at least one --assignment <NN-name>');
      expect(existsSync(dir.file('x.csv'))).to.equal(false);
    });
  });
});
