import { FEEDBACK_FOR_STATUS, type TestResult } from '../model/results';
import type { TestReport } from '../sandbox/protocol';
import type { SandboxOutcome } from '../sandbox/session';
import type { ListedTest } from '../sandbox/specs';
import type { GradingContext, Stage } from './context';

/** What a learner reads about one test: the status in words, and an error's message only if their code threw it. */
export function feedbackFor(report: TestReport): string {
  if (report.status === 'error' && report.fromSubmission && report.message !== undefined) {
    return `Error in your code: ${report.message}`;
  }
  return FEEDBACK_FOR_STATUS[report.status];
}

function notRunReason(outcome: SandboxOutcome): TestReport['status'] {
  return outcome.termination === 'timeout' || outcome.termination === 'cell-timeout' ? 'timeout' : 'error';
}

/** Every listed test's result: what the child reported, or why it never ran. */
export function testResults(listed: readonly ListedTest[], outcome: SandboxOutcome): TestResult[] {
  const reports = new Map(outcome.tests.map((report) => [report.position, report]));
  return listed.map((test, position) => {
    const report = reports.get(position)
      ?? { position, status: notRunReason(outcome), message: 'not run: the submission stopped before this test' };
    return {
      name: test.name,
      status: report.status,
      score: report.status === 'passed' ? test.points : 0,
      maxScore: test.points,
      ...(report.message !== undefined ? { message: report.message } : {}),
      feedback: feedbackFor(report),
    };
  });
}

/** Maps what the child reported about the hidden tests onto the listed tests (pure: no process, no I/O). */
export const collectTestResults: Stage = {
  name: 'test-results',
  sanitizes: false,
  async run(context: GradingContext): Promise<GradingContext> {
    return { ...context, tests: testResults(context.run.assignment.tests, context.outcome!) };
  },
};
