import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { loadAssignment } from '../assignment';
import { UsageError } from '../errors';
import { openGradebook } from '../gradebook/store';
import { collectSubmissions, type SubmissionSource } from '../inputs/collect';
import { toGradescopeResults } from '../model/gradescope';
import type { GradingReport, SubmissionResult } from '../model/results';
import { sandboxLimits, type GradeOptions } from '../options';
import { CHILD_ENTRY } from '../paths';
import type { GradingRun } from '../pipeline/context';
import { gradeSubmission } from '../pipeline';
import { CompileService } from '../sandbox/compiler';
import { SandboxPool } from '../sandbox/pool';

export interface GradeProgress {
  readonly done: number;
  readonly total: number;
  readonly last?: SubmissionResult;
}

/** Runs `worker` on every item with at most `jobs` at a time; results keep the items' order. */
async function mapConcurrently<T, R>(items: readonly T[], jobs: number, worker: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(jobs, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await worker(items[index]!);
    }
  });
  await Promise.all(lanes);
  return results;
}

/** `convlab grade`: grades every submission found in the paths and returns the report (printing is the CLI's job). */
export async function grade(options: GradeOptions, onProgress: (progress: GradeProgress) => void = () => undefined): Promise<GradingReport> {
  if (!existsSync(CHILD_ENTRY)) throw new UsageError(`the grader is not built: ${CHILD_ENTRY} is missing (run npm run build)`);
  const sources: SubmissionSource[] = await collectSubmissions(options.paths, options.assignment);
  if (sources.length === 0) throw new UsageError(`no notebooks found in ${options.paths.map((path) => `"${path}"`).join(', ')}`);
  if (options.gradescope !== undefined && sources.length !== 1) {
    throw new UsageError(`--gradescope writes one submission's results, but ${sources.length} submissions were given`);
  }
  const limits = sandboxLimits(options);
  const pool = new SandboxPool(limits, sources.length);
  const compiler = new CompileService(limits);
  // The compile service loads TypeScript and the first child loads TensorFlow.js while this process loads the specs
  // and the gradebook.
  compiler.start();
  pool.startAhead();
  try {
    const assignment = loadAssignment({ root: options.root }, options.assignment, options.tests);
    const gradebook = openGradebook(options.db);
    try {
      const run: GradingRun = {
        assignment, limits, takeSandbox: () => pool.take(), compiler, gradebook,
        force: options.force, feedbackDir: options.feedback,
      };
      let done = 0;
      onProgress({ done, total: sources.length });
      const results = await mapConcurrently(sources, options.jobs, async (source) => {
        const result = await gradeSubmission(run, source);
        onProgress({ done: ++done, total: sources.length, last: result });
        return result;
      });
      if (options.gradescope !== undefined) {
        await writeFile(options.gradescope, `${JSON.stringify(toGradescopeResults(results[0]!), null, 2)}\n`);
      }
      return { assignment: assignment.name, maxScore: assignment.maxScore, results };
    } finally {
      gradebook.close();
    }
  } finally {
    pool.dispose();
    compiler.dispose();
  }
}
