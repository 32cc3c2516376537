import { randomBytes } from 'node:crypto';
import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { listAssignmentNames, loadAssignment, readNotebookFile, solutionPath } from '../assignment';
import { loadDeadlines } from '../course/course-file';
import { messageOf, UsageError } from '../errors';
import { gradingFingerprint } from '../fingerprint';
import { openGradebook } from '../gradebook/store';
import { collectSubmissions, type SkippedSubmission } from '../inputs/collect';
import { withHints } from '../model/feedback';
import { toGradescopeResults } from '../model/gradescope';
import type { GradingReport, SubmissionResult } from '../model/results';
import { releaseNotebook } from '../notebook/release';
import type { Notebook } from '../notebook/types';
import { sandboxLimits, type GradeOptions } from '../options';
import type { QueueAccess } from '../queue/access';
import { CHILD_ENTRY } from '../paths';
import type { GradingRun } from '../pipeline/context';
import { gradeSubmission } from '../pipeline';
import { CompileCache } from '../sandbox/compile-cache';
import { CompileService } from '../sandbox/compiler';
import { networkIsolation, type NetworkIsolation } from '../sandbox/network';
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

/** What one `convlab grade` run found: a report per assignment graded, and the files it did not grade. */
export interface GradeOutcome {
  readonly reports: readonly GradingReport[];
  readonly skipped: readonly SkippedSubmission[];
  /** whether this run's submission code ran without network (absent with --queue: the workers ran it) */
  readonly network?: NetworkIsolation;
}

/**
 * Released notebooks of the course's assignments: what tells a notebook's assignment by its content. Grading one
 * assignment, another's broken solution only costs recognising its notebooks, so it is left out instead of stopping
 * the run; grading all of them, it is the course author's error.
 */
function courseReleases(root: string, asked: string | undefined): Map<string, Notebook> {
  const releases = new Map<string, Notebook>();
  for (const name of listAssignmentNames({ root })) {
    try {
      releases.set(name, releaseNotebook(readNotebookFile(solutionPath({ root }, name))));
    } catch (error) {
      if (asked === undefined || asked === name) throw error;
    }
  }
  return releases;
}

/**
 * Whether the run can make `dir` or write in it, found out first without leaving anything behind: a file written
 * then removed in `dir`, or in the nearest folder above it that exists (root ignores permission bits, so only a
 * real write tells).
 */
function checkWritableFolder(dir: string, option: string): void {
  let existing = dir;
  while (!existsSync(existing)) existing = dirname(existing);
  if (!statSync(existing).isDirectory()) {
    throw new UsageError(existing === dir ? `${option} folder "${dir}" is a file, not a folder`
      : `${option} folder "${dir}" cannot be made: "${existing}" is a file`);
  }
  // A fresh name, created exclusively: never through a link someone planted at a name they could guess.
  const probe = join(existing, `.convlab-write-check-${randomBytes(8).toString('hex')}`);
  try {
    writeFileSync(probe, '', { flag: 'wx' });
    rmSync(probe);
  } catch (error) {
    throw new UsageError(`${option} folder "${dir}" cannot be written: ${messageOf(error)}`);
  }
}

/** A file the run writes (beside it too: SQLite's journal): not a folder, and in a folder it may write. */
function checkWritableFile(path: string, option: string): void {
  if (existsSync(path) && statSync(path).isDirectory()) throw new UsageError(`${option} "${path}" is a folder, not a file`);
  checkWritableFolder(dirname(path), option);
}

/** Every place the run writes, checked before anything is graded: a bad one costs one line and exit 2, not the run. */
function checkOutputPaths(options: GradeOptions): void {
  if (options.feedback !== undefined) checkWritableFolder(options.feedback, '--feedback');
  checkWritableFile(options.db, '--db');
  if (options.gradescope !== undefined) checkWritableFile(options.gradescope, '--gradescope');
}

/**
 * `convlab grade`: grades every submission found in the paths, for the assignment asked for or else for every
 * assignment found, and returns one report per assignment (printing is the CLI's job).
 */
export async function grade(options: GradeOptions, onProgress: (progress: GradeProgress) => void = () => undefined): Promise<GradeOutcome> {
  if (!existsSync(CHILD_ENTRY)) throw new UsageError(`the grader is not built: ${CHILD_ENTRY} is missing (run npm run build)`);
  checkOutputPaths(options);
  const limits = sandboxLimits(options);
  const local = options.queue === undefined;
  // Warm-up first: in a run of few submissions the compile service loading TypeScript, then compiling cell after cell,
  // is what the run waits for; it and the first child load while this process reads the course and the submissions.
  // With --queue, workers run the submissions: no child or compile service starts here.
  const compiler = new CompileService(limits, new CompileCache());
  const pool = new SandboxPool(limits, local ? 1 : 0);
  if (local) compiler.start();
  pool.startAhead();
  let queue: import('../queue/coordinator').QueueCoordinator | undefined;
  try {
    const releases = courseReleases(options.root, options.assignment);
    // An unknown --assignment is a usage error (naming the course's assignments) before any file is read.
    if (options.assignment !== undefined && !releases.has(options.assignment)) loadAssignment({ root: options.root }, options.assignment);
    const { sources, skipped } = await collectSubmissions(options.paths, { assignment: options.assignment, releases });
    if (sources.length === 0) {
      const why = skipped.length > 0 ? ` (${skipped.length} skipped: ${skipped[0]!.reason}${skipped.length > 1 ? ', …' : ''})` : '';
      throw new UsageError(`no notebooks found in ${options.paths.map((path) => `"${path}"`).join(', ')}${why}`);
    }
    if (options.gradescope !== undefined && sources.length !== 1) {
      throw new UsageError(`--gradescope writes one submission's results, but ${sources.length} submissions were given`);
    }
    if (local) pool.expect(sources.length);
    else queue = await connectQueue(options.queue!);
    const names = options.assignment !== undefined ? [options.assignment] : [...new Set(sources.map((source) => source.assignment))].sort();
    const assignments = names.map((name) => loadAssignment({ root: options.root }, name, options.tests));
    const deadlines = loadDeadlines(options.root, [...releases.keys()]);
    const gradebook = openGradebook(options.db);
    try {
      let done = 0;
      onProgress({ done, total: sources.length });
      const reports: GradingReport[] = [];
      // Grading several assignments, each gets its own feedback folder so that a learner's files do not collide.
      const feedbackDirFor = (name: string): string | undefined =>
        (options.feedback === undefined || assignments.length === 1 ? options.feedback : join(options.feedback, name));
      for (const assignment of assignments) {
        const run: GradingRun = {
          assignment, limits, fingerprint: gradingFingerprint({ assignment, limits }),
          takeSandbox: () => pool.take(), compiler, gradebook, force: options.force, feedbackDir: feedbackDirFor(assignment.name),
          deadline: deadlines.get(assignment.name),
          otherReleases: new Map([...releases].filter(([name]) => name !== assignment.name)),
        };
        const lanes = mapConcurrently(sources.filter((source) => source.assignment === assignment.name), queue?.inFlight ?? options.jobs, async (source) => {
          const result = await gradeSubmission(run, source, queue?.stages);
          onProgress({ done: ++done, total: sources.length, last: result });
          return result;
        });
        const results = await (queue ? queue.guard(lanes) : lanes);
        reports.push({ assignment: assignment.name, maxScore: assignment.maxScore, fingerprint: run.fingerprint, results });
      }
      if (options.gradescope !== undefined) {
        await writeFile(options.gradescope, `${JSON.stringify(toGradescopeResults(withHints(reports[0]!.results[0]!, assignments[0]!.tests)), null, 2)}\n`);
      }
      return { reports, skipped, ...(local ? { network: networkIsolation() } : {}) };
    } finally {
      gradebook.close();
    }
  } finally {
    pool.dispose();
    compiler.dispose();
    await queue?.close();
  }
}

/** The queue's coordinator, loaded only with --queue (BullMQ and ioredis stay out of local grading). */
function connectQueue(access: QueueAccess): Promise<import('../queue/coordinator').QueueCoordinator> {
  const { QueueCoordinator } = require('../queue/coordinator') as typeof import('../queue/coordinator');
  return QueueCoordinator.connect(access);
}
