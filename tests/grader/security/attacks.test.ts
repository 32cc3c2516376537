/**
 * Issue 6, attacks 1–9: each hostile notebook (tests/fixtures/attacks) is graded in one run beside two honest ones.
 * Every attack starts from a wrong `double` worth 2 of 5 points, so any attack that worked would show as a higher
 * score; each must also leave the files outside its scratch folder alone and the grader running.
 */
import { expect } from 'chai';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../../grader/paths';
import { FIXTURES } from '../../support/helpers';
import {
  gradebookRows, gradeSecurityFolder, HONEST_WRONG_SCORE, HONEST_WRONG_TESTS, lockSecurityFolder, outcomes, PLANTED_FILES,
  prepareSubmissions, SECURITY_DIR, snapshot, type GradeRun,
} from '../../support/security-folder';

const NOT_RUN = 'not run: the submission stopped before this test';
const notRun = (status: string): [string, string][] => Array.from({ length: 4 }, () => [status, NOT_RUN]);
const STACK_FORMAT_REFUSED = 'TypeError: Error.prepareStackTrace cannot be changed while the tests run';

/** [attack notebook, issue item, what it tries, status, score, error, tests] */
type Expectation = readonly [attack: string, item: number, tries: string, status: string, score: number, error: string | undefined, tests: readonly [string, string?][]];

const CONTAINED: readonly Expectation[] = [
  ['exit-and-kill', 1, 'process.exit, process.kill of itself and of the grader, process.abort', 'graded', HONEST_WRONG_SCORE, undefined, HONEST_WRONG_TESTS],
  ['really-exit', 1, 'process.reallyExit(0), the binding under process.exit', 'error', 0,
    'the grading process stopped (exit code 0) while running cell 7', notRun('error')],
  ['forge-results', 2, 'printing a perfect-score JSON report and unsigned protocol lines on stdout and fd 3', 'graded', HONEST_WRONG_SCORE, undefined, HONEST_WRONG_TESTS],
  ['patch-test-globals', 3, 'replacing expect, assert, chai and mocha prototypes, intrinsics, timers, the HMAC signer, submission', 'graded', HONEST_WRONG_SCORE, undefined, HONEST_WRONG_TESTS],
  ['patch-during-tests', 3, 'patching chai and Object.prototype from inside the function a test calls', 'graded', HONEST_WRONG_SCORE, undefined, HONEST_WRONG_TESTS],
  ['read-secrets', 4, 'reading hidden tests, the gradebook, other submissions, /etc/passwd and the environment', 'graded', HONEST_WRONG_SCORE, undefined, HONEST_WRONG_TESTS],
  ['write-files', 4, 'writing the gradebook, feedback, hidden tests, through the dist/node_modules links, and linking out', 'graded', HONEST_WRONG_SCORE, undefined, HONEST_WRONG_TESTS],
  ['heap-snapshot', 4, 'taking a V8 heap snapshot, which would hold the HMAC key and the hidden tests', 'graded', HONEST_WRONG_SCORE, undefined, HONEST_WRONG_TESTS],
  ['read-test-source', 4, 'reading the calling hidden test\'s expected value from the stack in a sloppy-mode function', 'graded', HONEST_WRONG_SCORE, undefined,
    [['passed'], ['error', STACK_FORMAT_REFUSED], ['error', STACK_FORMAT_REFUSED], ['passed']]],
  ['escape-the-sandbox', 5, 'child_process, worker_threads, native addons, process.dlopen, a vm escape, WASI, the inspector', 'graded', HONEST_WRONG_SCORE, undefined, HONEST_WRONG_TESTS],
  ['flood-and-recurse', 7, 'printing 100 MB and recursing without end', 'graded', HONEST_WRONG_SCORE, undefined, HONEST_WRONG_TESTS],
  ['hard-coded', 8, 'answering the public checks by rote', 'graded', HONEST_WRONG_SCORE, undefined,
    [['passed'], ['failed', 'expected 3 to equal 6'], ['failed', 'expected -21 to equal -42'], ['passed']]],
  ['tamper-locked', 9, 'rewriting the locked check cell to define a correct double', 'graded', HONEST_WRONG_SCORE, undefined, HONEST_WRONG_TESTS],
];

// Generous enough for the honest submissions of the run on a busy 2-core machine; the hangs take this long to stop.
const CELL_TIMEOUT_S = 10;
const RUN_TIMEOUT_S = 90;
const MEMORY_MIB = 512;
const STOPPED: readonly Expectation[] = [
  ['busy-loop', 6, 'while (true) {} in a cell', 'timeout', 0, `a cell ran longer than ${CELL_TIMEOUT_S} s while running cell 7`, notRun('timeout')],
  ['never-settles', 6, 'awaiting a promise that never settles', 'graded', HONEST_WRONG_SCORE, undefined, HONEST_WRONG_TESTS],
  ['timer-loop', 6, 'an interval and a setImmediate loop that keep the event loop busy forever', 'graded', HONEST_WRONG_SCORE, undefined, HONEST_WRONG_TESTS],
  ['loop-in-test', 6, 'an infinite loop inside the function a hidden test calls', 'timeout', 1,
    `timed out after ${RUN_TIMEOUT_S} s while running the hidden tests`, [['passed'], ...notRun('timeout').slice(1)]],
  ['memory-hog', 7, 'growing an array until the heap is full', 'error', 0, `ran out of memory (limit ${MEMORY_MIB} MiB) while running cell 7`, notRun('error')],
];

/** Files a submission must never change: the project's hidden tests and fixtures, and a bystander gradebook. */
const GUARDED = [join(PROJECT_ROOT, 'grader', 'tests'), FIXTURES, join(PROJECT_ROOT, 'tests', 'fixtures', 'attacks'), join(SECURITY_DIR, 'victim.sqlite')];

function describeAttacks(title: string, expectations: readonly Expectation[], extraArgs: readonly string[], more = (): void => undefined): void {
  describe(title, function () {
    this.timeout(900_000);
    let run: GradeRun;
    let before: Record<string, string>;

    // One grading run for the whole table (children are the slow part); each `it` reads its row of the result.
    this.beforeAll(async () => {
      prepareSubmissions(expectations.map(([attack]) => attack));
      mkdirSync(join(SECURITY_DIR, 'feedback'), { recursive: true });
      writeFileSync(join(SECURITY_DIR, 'victim.sqlite'), 'a gradebook from another course');
      before = snapshot(GUARDED);
      run = await gradeSecurityFolder(extraArgs);
    });

    for (const [attack, item, tries, status, score, error, tests] of expectations) {
      it(`attack ${item}, ${tries}: ${status} with ${score}/5${error !== undefined ? ` ("${error}")` : ''}`, () => {
        const result = run.results.get(attack);
        expect(result, `no result for ${attack}`).to.not.equal(undefined);
        expect({ status: result!.status, score: result!.score, error: result!.error })
          .to.deep.equal({ status, score, error });
        expect(outcomes(result)).to.deep.equal(tests);
      });
    }

    it('grades the honest submissions of the same run exactly as alone', () => {
      expect([run.results.get('honest-correct')?.score, run.results.get('honest-wrong')?.score]).to.deep.equal([5, HONEST_WRONG_SCORE]);
      expect(outcomes(run.results.get('honest-wrong'))).to.deep.equal(HONEST_WRONG_TESTS);
    });

    it('survives: exits 0 with one JSON document, and records exactly those results in the gradebook', () => {
      expect(run.exitCode, run.stderr).to.equal(0);
      const reported = [...run.results.values()].map((result): [string, string, number] => [result.student, result.status, result.score]);
      expect(gradebookRows()).to.deep.equal(reported.sort((a, b) => a[0].localeCompare(b[0])));
      const headlines = [...run.results.values()].map((result) =>
        readFileSync(join(SECURITY_DIR, 'feedback', `${result.student}.md`), 'utf8').split('\n')[0]);
      expect(headlines).to.deep.equal([...run.results.values()].map((result) => `# 00-tiny — ${result.student}: ${result.score} / 5`));
    });

    it('changes no file outside the submissions\' scratch folders', () => {
      expect(snapshot(GUARDED)).to.deep.equal(before);
      expect(PLANTED_FILES.filter((path) => existsSync(path))).to.deep.equal([]);
    });

    more();
  });
}

describe('grader hardening: attack notebooks (issue 6)', function () {
  this.timeout(1_800_000);
  let release: () => void = () => undefined;
  before(async () => { release = await lockSecurityFolder(); });
  after(() => release());

  describeAttacks('hostile submissions that are contained (issue 6, attacks 1–5, 7–9)', CONTAINED, [], () => {
    it('restores a tampered locked cell from the release and names it in the learner\'s feedback', () => {
      const feedback = readFileSync(join(SECURITY_DIR, 'feedback', 'tamper-locked.md'), 'utf8');
      expect(feedback).to.contain('> These locked cells had been edited and were restored before grading: check-double.');
    });
  });

  describe('what Node 20 cannot stop (see SECURITY.md)', () => {
    // Pending, not faked: the kit registers its own training kernels from the notebook's first cell, after the
    // lock-down, so tf.registerKernel cannot be refused; specs must not compute expected values with tf.
    it('attack 3, re-registering a TensorFlow.js kernel that a spec computes its expected value with');
  });

  describeAttacks('hostile submissions that are stopped (issue 6, attacks 6–7)', STOPPED,
    ['--cell-timeout', String(CELL_TIMEOUT_S), '--timeout', String(RUN_TIMEOUT_S), '--memory', String(MEMORY_MIB)]);
});
