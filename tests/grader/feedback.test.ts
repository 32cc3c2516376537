import { expect } from 'chai';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { toFeedbackText, verdictOf } from '../../grader/model/feedback';
import type { SubmissionResult } from '../../grader/model/results';
import { parseTitle } from '../../grader/sandbox/specs';
import { serializeNotebook } from '../../grader/notebook/format';
import { COURSE, convlab, tempDir, TINY, TINY_SUBMISSIONS, tinySolution, writeFile } from '../support/helpers';

/** A hidden test with an instructor hint, next to the tiny course's own tests. */
const HINTED_SPEC = `describe('double', () => {
  it('keeps zero at zero [0.5 pts] (hint: doubling leaves 0 where it is; multiply, do not add)', () => {
    expect(submission.double(0)).to.equal(0);
  });
});
`;

describe('parseTitle', () => {
  it('takes the hint out of the title, before or after the points', () => {
    expect(parseTitle('rejects a short box [2 pts] (hint: count the numbers)'))
      .to.deep.equal({ title: 'rejects a short box', points: 2, hint: 'count the numbers' });
    expect(parseTitle('rejects a short box (hint: count (all) the numbers) [2 pts]'))
      .to.deep.equal({ title: 'rejects a short box', points: 2, hint: 'count (all) the numbers' });
    expect(parseTitle('handles (nested) parentheses')).to.deep.equal({ title: 'handles (nested) parentheses', points: 1 });
  });
});

describe('learner feedback on a really graded cohort (real children, tslab, mocha)', function () {
  this.timeout(600_000);
  const dir = tempDir();
  const feedbackDir = join(dir, 'feedback');
  const submissions = join(dir, 'submissions');
  const extraTests = join(dir, 'extra-tests');
  const read = (name: string) => readFileSync(join(feedbackDir, name), 'utf8');

  before(async () => {
    writeFile(join(extraTests, 'hinted.spec.js'), HINTED_SPEC);
    writeFile(join(submissions, `alice_${TINY}.ipynb`), TINY_SUBMISSIONS.correct());
    writeFile(join(submissions, `bob_${TINY}.ipynb`), TINY_SUBMISSIONS.wrong());
    writeFile(join(submissions, `carol_${TINY}.ipynb`), TINY_SUBMISSIONS.stub());
    const result = await convlab(['grade', submissions, '--assignment', TINY, '--root', COURSE, '--tests', extraTests,
      '--db', join(dir, 'gradebook.sqlite'), '--feedback', feedbackDir, '--jobs', '2', '--json']);
    expect(result.exitCode, result.stderr).to.equal(0);
  });

  it('opens with a per-exercise summary and the line about self-checks, before any test', () => {
    const bob = read('bob.md');
    expect(bob).to.include('| double | failed | 0 / 3 | 0 / 3.5 pts |')
      .and.include('| sumTensor | passed | 1 / 1 | 1 / 1 pt |')
      .and.include('| whole notebook | passed | 1 / 1 | 1 / 1 pt |');
    const selfChecks = bob.indexOf('self-checks in your notebook try only some cases');
    expect(selfChecks).to.be.greaterThan(bob.indexOf('| double |'));
    expect(selfChecks).to.be.lessThan(bob.indexOf('## To fix'));
  });

  it('lists failures before passes, grouped by exercise, with the hint and never a hidden expected value', () => {
    const bob = read('bob.md');
    expect(bob.indexOf('## To fix')).to.be.lessThan(bob.indexOf('## Passed'));
    expect(bob).to.include('- ✗ doubles a negative number (0 / 2 pts): Failed: your result is not what this test expects.')
      .and.include('  - Hint: doubling leaves 0 where it is; multiply, do not add');
    expect(bob.slice(bob.indexOf('## Passed'))).to.include('- ✓ sumTensor › sums a tensor made by the grader (1 pt)')
      .and.not.include('doubles a negative number');
    for (const file of ['bob.md', 'bob.html']) expect(read(file)).to.not.include('42').and.not.include('-21');
  });

  it('tells "not implemented yet" apart from "wrong", and gives no hint to someone who has not started', () => {
    const carol = read('carol.md');
    expect(carol).to.include('| double | not attempted | 0 / 3 | 0 / 3.5 pts |')
      .and.include('Not implemented yet: the exercise cell still throws "Not implemented". Its 3 tests (3.5 pts) will run once you write it.')
      .and.not.include('Hint:').and.not.include('Failed: your result');
    expect(read('carol.html')).to.include('<tr class="not-attempted"><td>double</td><td>not attempted</td>');
  });

  it('gives a learner with everything right a summary and passes only', () => {
    const alice = read('alice.md');
    expect(alice).to.include('# 00-tiny — alice: 5.5 / 5.5').and.not.include('## To fix');
    expect(read('alice.html')).to.include('<h2>Passed</h2>').and.not.include('<h2>To fix</h2>');
  });
});

describe('toFeedbackText (Gradescope output)', () => {
  const result: SubmissionResult = {
    submission: 'x.ipynb', student: 'ada', assignment: '06-yolo', status: 'graded', restoredCells: [], contentHash: '',
    submittedAt: '', gradedAt: '', durationMs: 0, unchanged: false,
    tests: [
      { name: 'iou › gives 1 for identical boxes', status: 'passed', score: 1, maxScore: 1, feedback: 'Passed.' },
      { name: 'iou › gives 0 for boxes far apart', status: 'failed', score: 0, maxScore: 1, message: 'expected 0.3 to equal 0',
        feedback: 'Failed: your result is not what this test expects.', hint: 'clamp the overlap at 0' },
      { name: 'nonMaxSuppression › keeps the best box', status: 'error', score: 0, maxScore: 2, message: 'Error: Not implemented: nms',
        feedback: 'Error in your code: Error: Not implemented: non-max-suppression' },
    ],
  };

  it('has the summary, the failures with hints, then the passes, in plain text', () => {
    const text = toFeedbackText(result);
    expect(text.split('\n').slice(0, 4)).to.deep.equal([
      '06-yolo — ada: 1 / 4', '',
      '  iou: failed — 1 of 2 tests passed, 1 / 2 pts',
      '  nonMaxSuppression: not attempted — not implemented yet, 0 / 2 pts',
    ]);
    expect(text).to.include('To fix in iou:\n  ✗ gives 0 for boxes far apart (0 / 1 pt): Failed: your result is not what this test expects.\n    Hint: clamp the overlap at 0')
      .and.include('Passed:\n  ✓ iou › gives 1 for identical boxes (1 pt)').and.not.include('0.3');
    expect(text.indexOf('To fix in nonMaxSuppression')).to.be.lessThan(text.indexOf('Passed:'));
  });

  it('calls only the release stub\'s own error "not implemented"', () => {
    expect(result.tests.map(verdictOf)).to.deep.equal(['passed', 'wrong', 'not implemented']);
    expect(verdictOf({ ...result.tests[2]!, feedback: 'Error in your code: TypeError: x is not a function' })).to.equal('error');
  });
});

describe('a feedback file that cannot be written', function () {
  this.timeout(600_000);

  it('stops the run with one line naming the file, exit 2, and keeps the grade for a rerun', async () => {
    const dir = tempDir();
    const feedbackDir = join(dir, 'feedback');
    const submission = writeFile(join(dir, 'subs', `ada_${TINY}.ipynb`), serializeNotebook(tinySolution()));
    mkdirSync(join(feedbackDir, 'ada.md'), { recursive: true }); // a folder where ada's feedback file must go
    const args = ['grade', submission, '--root', COURSE, '--db', join(dir, 'gb.sqlite'), '--feedback', feedbackDir];
    const blocked = await convlab(args);
    expect(blocked.exitCode).to.equal(2);
    expect(blocked.stderr.trim().split('\n')).to.have.length(1);
    expect(blocked.stderr).to.include(join(feedbackDir, 'ada.md')).and.not.match(/\n\s+at /);
    rmSync(join(feedbackDir, 'ada.md'), { recursive: true });
    const rerun = await convlab([...args, '--json']);
    expect(rerun.exitCode, rerun.stderr).to.equal(0);
    expect(readFileSync(join(feedbackDir, 'ada.md'), 'utf8')).to.match(/5 \/ 5|5\/5/);
  });
});
