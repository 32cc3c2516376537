import { randomBytes } from 'node:crypto';
import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadDeadlines } from '../course/course-file';
import { messageOf, UsageError } from '../errors';
import { openGradebook } from '../gradebook/store';
import { gradeForGradescope, writeGradescopeResults } from '../gradescope/results';
import { readVisibility } from '../gradescope/settings';
import { collectSubmissions, type SkippedSubmission } from '../inputs/collect';
import type { GradescopeResults } from '../model/gradescope';
import type { GradingReport, SubmissionResult } from '../model/results';
import { sandboxLimits, type GradeOptions } from '../options';
import type { QueueAccess } from '../queue/access';
import { CHILD_ENTRY } from '../paths';
import { gradeSubmission } from '../pipeline';
import { OpenRun } from '../pipeline/open-run';
import { networkIsolation, type NetworkIsolation } from '../sandbox/network';

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
  // Read first: a bad visibility setting is the course's error, found before anything is graded.
  const visibility = options.gradescope !== undefined ? readVisibility(options.root) : undefined;
  const local = options.queue === undefined;
  // With --queue, workers run the submissions: no child or compile service starts here.
  const opened = new OpenRun({ root: options.root, tests: options.tests, limits: sandboxLimits(options), assignment: options.assignment, children: local ? 1 : 0 });
  let queue: import('../queue/coordinator').QueueCoordinator | undefined;
  try {
    const { releases } = opened;
    // An unknown --assignment is a usage error (naming the course's assignments) before any file is read.
    if (options.assignment !== undefined && !releases.has(options.assignment)) opened.assignment(options.assignment);
    const { sources, skipped } = await collectSubmissions(options.paths, { assignment: options.assignment, releases });
    if (sources.length === 0) {
      const why = skipped.length > 0 ? ` (${skipped.length} skipped: ${skipped[0]!.reason}${skipped.length > 1 ? ', …' : ''})` : '';
      throw new UsageError(`no notebooks found in ${options.paths.map((path) => `"${path}"`).join(', ')}${why}`);
    }
    if (options.gradescope !== undefined && sources.length !== 1) {
      throw new UsageError(`--gradescope writes one submission's results, but ${sources.length} submissions were given`);
    }
    if (local) opened.runner.expect(sources.length);
    else queue = await connectQueue(options.queue!);
    const names = options.assignment !== undefined ? [options.assignment] : [...new Set(sources.map((source) => source.assignment))].sort();
    for (const name of names) opened.assignment(name);
    const deadlines = loadDeadlines(options.root, [...releases.keys()]);
    const gradebook = openGradebook(options.db);
    try {
      let done = 0;
      onProgress({ done, total: sources.length });
      const reports: GradingReport[] = [];
      let gradescope: GradescopeResults | undefined;
      // Grading several assignments, each gets its own feedback folder so that a learner's files do not collide.
      const feedbackDirFor = (name: string): string | undefined =>
        (options.feedback === undefined || names.length === 1 ? options.feedback : join(options.feedback, name));
      for (const name of names) {
        const run = opened.gradingRun(name, { gradebook, force: options.force, feedbackDir: feedbackDirFor(name), deadline: deadlines.get(name) });
        const gradeOne = async (source: (typeof sources)[number]): Promise<SubmissionResult> => {
          if (visibility === undefined) return gradeSubmission(run, source, queue?.stages);
          const graded = await gradeForGradescope(run, source, visibility, queue?.stages);
          gradescope = graded.gradescope;
          return graded.result;
        };
        const lanes = mapConcurrently(sources.filter((source) => source.assignment === name), queue?.inFlight ?? options.jobs, async (source) => {
          const result = await gradeOne(source);
          onProgress({ done: ++done, total: sources.length, last: result });
          return result;
        });
        const results = await (queue ? queue.guard(lanes) : lanes);
        reports.push({ assignment: name, maxScore: run.assignment.maxScore, fingerprint: run.fingerprint, results });
      }
      if (options.gradescope !== undefined) writeGradescopeResults(options.gradescope, gradescope!);
      return { reports, skipped, ...(local ? { network: networkIsolation() } : {}) };
    } finally {
      gradebook.close();
    }
  } finally {
    opened.dispose();
    await queue?.close();
  }
}

/** The queue's coordinator, loaded only with --queue (BullMQ and ioredis stay out of local grading). */
function connectQueue(access: QueueAccess): Promise<import('../queue/coordinator').QueueCoordinator> {
  const { QueueCoordinator } = require('../queue/coordinator') as typeof import('../queue/coordinator');
  return QueueCoordinator.connect(access);
}
