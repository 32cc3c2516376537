/**
 * Runs one assignment's hidden spec files against a submission given as a module of functions, in this process, the
 * way the grader's sandbox runs them (same loader, same per-test timeout), and reports each test's outcome by title.
 */
import { join } from 'node:path';
import * as chai from 'chai';
import * as tf from '@tensorflow/tfjs';
import { GRADE_DEFAULTS } from '../../grader/options';
import { PROJECT_ROOT } from '../../grader/paths';
import { MochaClass } from '../../grader/sandbox/mocha';
import { loadSpecs, parsePoints, readSpecSource } from '../../grader/sandbox/specs';

export type Outcome = 'passed' | 'failed';

/** Outcome of every hidden test in `specFiles` (titles without their points), optionally only those matching `grep`. */
export function runHiddenSpecs(assignment: string, specFiles: readonly string[], submission: object, grep?: RegExp): Promise<Map<string, Outcome>> {
  const mocha = new MochaClass({ timeout: GRADE_DEFAULTS.testTimeout * 1000, ...(grep ? { grep } : {}) });
  const specs = specFiles.map((file) => readSpecSource(join(PROJECT_ROOT, 'grader', 'tests', assignment, file)));
  loadSpecs(mocha, specs, { expect: chai.expect, assert: chai.assert, tf, submission }, require);
  const outcomes = new Map<string, Outcome>();
  const title = (test: Mocha.Runnable) => parsePoints(test.title).title;
  return new Promise((resolve) => {
    const runner = new MochaClass.Runner(mocha.suite, { delay: false });
    if (grep) runner.grep(grep, false);
    const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_RUN_END } = MochaClass.Runner.constants;
    runner.on(EVENT_TEST_PASS, (test: Mocha.Test) => outcomes.set(title(test), 'passed'));
    runner.on(EVENT_TEST_FAIL, (test: Mocha.Runnable) => outcomes.set(title(test), 'failed'));
    runner.on(EVENT_RUN_END, () => {
      // A runner listens on the process for uncaught errors until it is disposed.
      runner.dispose();
      resolve(outcomes);
    });
    runner.run();
  });
}
