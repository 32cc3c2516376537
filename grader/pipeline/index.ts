import { OutsideFailure } from '../errors';
import type { SubmissionSource } from '../inputs/collect';
import type { SubmissionResult } from '../model/results';
import type { GradingContext, GradingRun, Stage } from './context';
import { boundCells } from './bound-cells';
import { execute } from './execute';
import { feedback } from './feedback';
import { latePenalty } from './late-penalty';
import { read } from './read';
import { record } from './record';
import { restoreLocked } from './restore-locked';
import { score } from './score';
import { collectTestResults } from './test-results';
import { validate } from './validate';

/** Repair and check the submission before any of its code runs. */
export const SANITIZE: readonly Stage[] = [read, validate, restoreLocked, boundCells];
/** Run it and its tests, read the results, score it, apply the late rule; side effects (SQLite, files) come last. */
export const AUTOGRADE: readonly Stage[] = [execute, collectTestResults, score, latePenalty, record, feedback];
export const STAGES: readonly Stage[] = [...SANITIZE, ...AUTOGRADE];

/** Stages that still run once the submission is invalid or already has its result. */
const FINISHING = new Set<Stage>([score, latePenalty, record, feedback]);

/**
 * Passes one submission through the stages. A sanitize stage that throws makes it invalid; a later stage that throws
 * makes it an error; either way the remaining finishing stages still record it.
 */
export async function gradeSubmission(run: GradingRun, source: SubmissionSource, stages: readonly Stage[] = STAGES): Promise<SubmissionResult> {
  let context: GradingContext = { run, source, startedAt: Date.now() };
  for (const stage of stages) {
    const settled = context.invalid !== undefined || context.failure !== undefined || context.result !== undefined;
    if (settled && !FINISHING.has(stage)) continue;
    try {
      context = await stage.run(context);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (context.result) throw error;
      context = stage.sanitizes ? { ...context, invalid: message }
        : { ...context, failure: `${stage.name} failed: ${message}`, ...(error instanceof OutsideFailure ? { failedOutside: true } : {}) };
    }
  }
  return context.result!;
}
