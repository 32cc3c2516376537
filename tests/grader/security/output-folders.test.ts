/**
 * Finding 10 (part): every place `convlab grade` writes (--feedback, --db's folder, --gradescope's file) is checked
 * before anything is graded. A bad one is one line on stderr and exit 2 — no stack trace, no gradebook written, no
 * half-finished run to clean up.
 *
 * Unwritable is made two ways that hold for root too: a path under a regular file, and — where the test runs as root
 * and setpriv exists — the grader run as user nobody against folders root owns (without root, the folders are
 * chmod 0555 instead).
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../../grader/paths';
import { COURSE, runProgram, tempDir, TINY, tinySolution, writeFile, type CliResult } from '../../support/helpers';

const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;
const hasSetpriv = spawnSync('setpriv', ['--version']).status === 0;

/** `convlab grade` of one notebook with the given output options; `unprivileged` runs it as nobody when the test is root. */
function grade(dir: string, outputs: readonly string[], unprivileged = false): Promise<CliResult> {
  const command = [process.execPath, join(PROJECT_ROOT, 'dist', 'grader', 'cli.js'), 'grade', join(dir, 'submissions'),
    '--assignment', TINY, '--root', COURSE, ...outputs];
  const [program, ...args] = unprivileged && isRoot
    ? ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--', ...command] : command;
  return runProgram(program!, args);
}

/** A folder the grader cannot write: owned by root when it runs as nobody, else read-only to its owner. */
function unwritableFolder(dir: string): string {
  const folder = join(dir, 'locked');
  mkdirSync(folder, { mode: 0o755 });
  chmodSync(dir, 0o755);
  if (!isRoot) chmodSync(folder, 0o555);
  return folder;
}

function expectOneLineRefusal(run: CliResult, message: RegExp): void {
  expect(run.exitCode, run.stderr).to.equal(2);
  expect(run.stdout).to.equal('');
  expect(run.stderr.trimEnd().split('\n'), run.stderr).to.have.length(1);
  expect(run.stderr).to.match(message);
  expect(run.stderr).to.not.match(/^\s+at /m);
}

describe('output folders (finding 10): checked before grading, one line and exit 2', function () {
  this.timeout(300_000);
  let dir: string;
  let file: string;
  let db: string;

  beforeEach(() => {
    dir = tempDir('convlab-outputs-');
    writeFile(join(dir, 'submissions', `ada_${TINY}.ipynb`), tinySolution());
    file = join(dir, 'notes.txt');
    writeFileSync(file, 'not a folder\n');
    db = join(dir, 'gradebook.sqlite');
  });

  it('refuses a --feedback folder under a regular file, grading nothing', async () => {
    const feedback = join(file, 'feedback');
    expectOneLineRefusal(await grade(dir, ['--db', db, '--feedback', feedback]), /--feedback folder ".*notes\.txt\/feedback" cannot be made: ".*notes\.txt" is a file/);
    expect(existsSync(db)).to.equal(false);
  });

  it('refuses a --feedback path that is a file, leaving the file as it was', async () => {
    expectOneLineRefusal(await grade(dir, ['--db', db, '--feedback', file]), /--feedback folder ".*notes\.txt" is a file, not a folder/);
    expect(readFileSync(file, 'utf8')).to.equal('not a folder\n');
    expect(existsSync(db)).to.equal(false);
  });

  it('refuses a --feedback folder the grader may not write', async function () {
    if (isRoot && !hasSetpriv) this.skip();
    const locked = unwritableFolder(dir);
    const open = join(dir, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    const run = await grade(dir, ['--db', join(open, 'gradebook.sqlite'), '--feedback', join(locked, 'feedback')], true);
    expectOneLineRefusal(run, /--feedback folder ".*locked\/feedback" cannot be written: EACCES/);
  });

  it('refuses a --db whose folder is a file, or may not be written', async function () {
    expectOneLineRefusal(await grade(dir, ['--db', join(file, 'gradebook.sqlite')]), /--db folder ".*notes\.txt" is a file, not a folder/);
    if (isRoot && !hasSetpriv) this.skip();
    const locked = unwritableFolder(dir);
    expectOneLineRefusal(await grade(dir, ['--db', join(locked, 'gradebook.sqlite')], true), /--db folder ".*locked" cannot be written: EACCES/);
    expect(existsSync(join(locked, 'gradebook.sqlite'))).to.equal(false);
  });

  it('refuses a --gradescope file whose folder cannot be written, before grading', async () => {
    expectOneLineRefusal(await grade(dir, ['--db', db, '--gradescope', join(file, 'results.json')]), /--gradescope folder ".*notes\.txt" is a file, not a folder/);
    expect(existsSync(db)).to.equal(false);
  });
});
