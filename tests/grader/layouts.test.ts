/**
 * Course layouts and deadlines, end to end: one run without --assignment over per-learner folders and a Canvas
 * archive grades every assignment found, exactly its learners, skips what is not the course's, and applies the
 * course file's due dates, late rule and extensions.
 */
import { expect } from 'chai';
import { cpSync, existsSync, readFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import type { Notebook } from '../../grader/notebook/types';
import type { ResultJson } from '../support/security-folder';
import { convlab, copyOfCourse, runProgram, tempDir, TINY, TINY_SUBMISSIONS, writeFile } from '../support/helpers';

const OTHER = '01-other';
const claiming = (notebook: Notebook, assignment: string): Notebook => ({ ...notebook, metadata: { ...notebook.metadata, convlab: { assignment } } });

interface Lateness { dueAt: string; daysLate: number; penaltyPercent: number; lmsLate?: boolean }
type Graded = ResultJson & { lateness?: Lateness; penalty?: number; rawScore?: number };

describe('course layouts and deadlines (one run, every assignment, real grading)', function () {
  this.timeout(900_000);
  const dir = tempDir('convlab-layouts-');
  const subs = join(dir, 'subs');
  const feedback = join(dir, 'feedback');
  let output: { assignments: { assignment: string; results: Graded[] }[]; skipped: { label: string; reason: string }[] };
  let table: string;

  before(async () => {
    // A course of two assignments: the tiny one, and a second one like it.
    const root = copyOfCourse();
    writeFile(join(root, 'solutions', `${OTHER}.ipynb`), claiming(TINY_SUBMISSIONS.correct(), OTHER));
    cpSync(join(root, 'grader', 'tests', TINY), join(root, 'grader', 'tests', OTHER), { recursive: true });
    writeFile(join(root, 'convlab.json'), JSON.stringify({
      latePolicy: { percentPerDay: 10, maxPercent: 50, graceMinutes: 15 },
      assignments: { [TINY]: { due: '2026-10-02T23:59:00Z', extensions: { cat: { extraDays: 3 } } } },
    }));
    const handIn = (path: string, notebook: Notebook, at: string): void => {
      writeFile(path, notebook);
      utimesSync(path, new Date(at), new Date(at));
    };
    handIn(join(subs, 'ada', `${TINY}.ipynb`), TINY_SUBMISSIONS.correct(), '2026-10-02T20:00:00Z');
    handIn(join(subs, 'ada', `${OTHER}.ipynb`), claiming(TINY_SUBMISSIONS.correct(), OTHER), '2026-10-09T20:00:00Z');
    handIn(join(subs, 'ada', '02-classic-cnns.ipynb'), TINY_SUBMISSIONS.correct(), '2026-10-09T20:00:00Z');
    handIn(join(subs, 'ben', `${TINY}.ipynb`), TINY_SUBMISSIONS.correct(), '2026-10-04T12:00:00Z');
    handIn(join(subs, 'cat', `${TINY}.ipynb`), TINY_SUBMISSIONS.correct(), '2026-10-04T12:00:00Z');
    // Canvas: the file name carries the user id and LATE_; the entry time (UTC here) is the submission time.
    const script = 'import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], "w") as z:\n'
      + '  z.writestr(zipfile.ZipInfo("lovelace_LATE_77_901_homework.ipynb", (2026, 10, 3, 10, 0, 0)), sys.argv[2])';
    const zipped = await runProgram('/usr/bin/python3', ['-c', script, join(subs, 'canvas.zip'), JSON.stringify(claiming(TINY_SUBMISSIONS.wrong(), TINY))],
      { env: { TZ: 'UTC' } });
    expect(zipped.exitCode, zipped.stderr).to.equal(0);
    const args = ['grade', subs, '--root', root, '--db', join(dir, 'gb.sqlite'), '--feedback', feedback, '--jobs', '2'];
    const run = await convlab([...args, '--json']);
    expect(run.exitCode, run.stderr).to.equal(0);
    output = JSON.parse(run.stdout) as typeof output;
    table = (await convlab(args)).stdout;
  });

  const resultsOf = (assignment: string): Graded[] => output.assignments.find((report) => report.assignment === assignment)?.results ?? [];

  it('grades every assignment found, each with exactly its learners (no phantom learner)', () => {
    expect(output.assignments.map((report) => [report.assignment, report.results.map((result) => result.student)])).to.deep.equal([
      [TINY, ['ada', 'ben', '77', 'cat']],
      [OTHER, ['ada']],
    ]);
  });

  it('skips and lists a notebook of an assignment the course does not have', () => {
    expect(output.skipped).to.deep.equal([{ label: join(subs, 'ada', '02-classic-cnns.ipynb'), reason: '02-classic-cnns is not an assignment of this course' }]);
    expect(table).to.include(`skipped 1 file:\n  ${join(subs, 'ada', '02-classic-cnns.ipynb')}: 02-classic-cnns is not an assignment of this course`);
  });

  it('applies the late rule and the extensions to the raw score, and keeps the LMS late flag', () => {
    const due = '2026-10-02T23:59:00.000Z';
    expect(resultsOf(TINY).map(({ student, rawScore, lateness, penalty, score }) => ({ student, rawScore, lateness, penalty, score }))).to.deep.equal([
      { student: 'ada', rawScore: 5, lateness: { dueAt: due, daysLate: 0, penaltyPercent: 0 }, penalty: 0, score: 5 },
      { student: 'ben', rawScore: 5, lateness: { dueAt: due, daysLate: 2, penaltyPercent: 20 }, penalty: 1, score: 4 },
      { student: '77', rawScore: 2, lateness: { dueAt: due, daysLate: 1, penaltyPercent: 10, lmsLate: true }, penalty: 0.2, score: 1.8 },
      { student: 'cat', rawScore: 5, lateness: { dueAt: '2026-10-05T23:59:00.000Z', daysLate: 0, penaltyPercent: 0 }, penalty: 0, score: 5 },
    ]);
    expect(resultsOf(OTHER)[0]).to.deep.include({ score: 5 }).and.not.have.property('lateness');
  });

  it('writes each assignment\'s feedback in its own folder, with the penalty spelled out (also for results taken from the gradebook)', () => {
    expect([TINY, OTHER].map((assignment) => existsSync(join(feedback, assignment, 'ada.md')))).to.deep.equal([true, true]);
    expect(readFileSync(join(feedback, TINY, 'ben.md'), 'utf8'))
      .to.include('Submitted 2 days after the due date (2026-10-02T23:59:00.000Z): 5 points from the tests, minus a late penalty of 1 (20%), gives 4 / 5.');
  });
});
