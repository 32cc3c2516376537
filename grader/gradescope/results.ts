/**
 * Gradescope's results.json for one submission, made the same way by `convlab grade --gradescope` and run_autograder:
 * graded through the run's stages, with the self-checks read from the executed notebook and the course's visibility.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeWhole } from '../export/write-whole';
import type { SubmissionSource } from '../inputs/collect';
import { withHints } from '../model/feedback';
import { toGradescopeResults, type GradescopeResults, type VisibilitySettings } from '../model/gradescope';
import type { SubmissionResult } from '../model/results';
import { selfChecksOf } from '../model/self-checks';
import { gradeSubmission, STAGES } from '../pipeline';
import type { GradingContext, GradingRun, Stage } from '../pipeline/context';
import { collectTestResults } from '../pipeline/test-results';

export interface GradedForGradescope {
  readonly result: SubmissionResult;
  readonly gradescope: GradescopeResults;
}

/**
 * Grades one submission through `stages` (the queue's, with --queue) and gives its result and its results.json. The
 * executed notebook's self-check cells are read right after the tests ran, before the result settles.
 */
export async function gradeForGradescope(run: GradingRun, source: SubmissionSource, visibility: VisibilitySettings,
  stages: readonly Stage[] = STAGES): Promise<GradedForGradescope> {
  let executed: GradingContext | undefined;
  const keepExecuted: Stage = { name: 'keep-executed', sanitizes: false, run: async (context) => (executed = context) };
  const result = await gradeSubmission(run, source, stages.flatMap((stage) => (stage === collectTestResults ? [stage, keepExecuted] : [stage])));
  const selfChecks = executed?.notebook !== undefined && executed.outcome !== undefined ? selfChecksOf(executed.notebook, executed.outcome).checks : [];
  return { result, gradescope: toGradescopeResults(withHints(result, run.assignment.tests), selfChecks, visibility, run.fingerprint.id) };
}

/** results.json is written whole (renamed into place), so Gradescope never reads half a file. */
export function writeGradescopeResults(path: string, results: GradescopeResults): void {
  mkdirSync(dirname(path), { recursive: true });
  writeWhole(path, `${JSON.stringify(results, null, 2)}\n`);
}
