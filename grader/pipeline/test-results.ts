import { FEEDBACK_FOR_STATUS, type TestResult } from '../model/results';
import type { CellReport, TestReport } from '../sandbox/protocol';
import type { SandboxOutcome } from '../sandbox/session';
import type { ListedTest, SpecSource } from '../sandbox/specs';
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

/** What a learner (and the JSON output) reads instead of text that quotes a hidden spec. */
export const HIDDEN_SOURCE_NOTE = '[withheld: this text quoted the hidden tests]';

/** Shorter lines (`});`, `it('…', () => {`) are too common, or too public, to mean the text quotes a spec. */
const QUOTABLE_LINE_CHARS = 24;

const quotableBySpecs = new WeakMap<readonly SpecSource[], string[]>();

/**
 * The lines of the specs, as the child holds them, long enough that text containing one quotes the spec; worked out
 * once per assignment's specs (every submission of a run shares them).
 */
function quotableLines(specs: readonly SpecSource[]): string[] {
  let quotable = quotableBySpecs.get(specs);
  if (quotable === undefined) {
    const lines = specs.flatMap((spec) => spec.code.split('\n').map((line) => line.trim()));
    quotable = [...new Set(lines.filter((line) => line.length >= QUOTABLE_LINE_CHARS))];
    quotableBySpecs.set(specs, quotable);
  }
  return quotable;
}

/**
 * The outcome with every text a submission could have filled with a hidden spec's source (test messages, cell output
 * and errors, the child's fatal error) replaced by a neutral note where it quotes a line of a spec. The child keeps the
 * specs out of reach; this is the second line, for whatever way in is not yet known.
 */
export function scrubOutcome(outcome: SandboxOutcome, specs: readonly SpecSource[]): SandboxOutcome {
  const lines = quotableLines(specs);
  const scrub = (text: string): string => (lines.some((line) => text.includes(line)) ? HIDDEN_SOURCE_NOTE : text);
  const scrubCell = (cell: CellReport): CellReport =>
    ({ ...cell, output: scrub(cell.output), ...(cell.error !== undefined ? { error: scrub(cell.error) } : {}) });
  return {
    ...outcome,
    cells: outcome.cells.map(scrubCell),
    tests: outcome.tests.map((test) => (test.message !== undefined ? { ...test, message: scrub(test.message) } : test)),
    ...(outcome.fatal !== undefined ? { fatal: scrub(outcome.fatal) } : {}),
  };
}

/**
 * Maps what the child reported about the hidden tests onto the listed tests (pure: no process, no I/O), after taking
 * any quote of the specs out of it (the outcome goes on to the feedback and Gradescope's self-check output).
 */
export const collectTestResults: Stage = {
  name: 'test-results',
  sanitizes: false,
  async run(context: GradingContext): Promise<GradingContext> {
    const outcome = scrubOutcome(context.outcome!, context.run.assignment.specs);
    return { ...context, outcome, tests: testResults(context.run.assignment.tests, outcome) };
  },
};
