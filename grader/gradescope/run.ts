/**
 * What `run_autograder` runs on Gradescope for one submission: finds the learner's notebook, grades it through the
 * same pipeline, sandbox and limits as `convlab grade`, and writes `results/results.json` once. Anything that keeps
 * grading from finishing still ends in a results.json with one plain-worded failed test.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { assignmentOf, hiddenTestsDir, readNotebookFile, releasedPath } from '../assignment';
import { selfChecksOf } from '../commands/check';
import { UsageError } from '../errors';
import { writeWhole } from '../export/write-whole';
import { gradingFingerprint } from '../fingerprint';
import type { SubmissionSource } from '../inputs/collect';
import { withHints } from '../model/feedback';
import { notGraded, toGradescopeResults, type GradescopeResults } from '../model/gradescope';
import { sandboxLimits } from '../options';
import { PROJECT_ROOT } from '../paths';
import type { GradingContext, GradingRun, Stage } from '../pipeline/context';
import { gradeSubmission, STAGES } from '../pipeline';
import { collectTestResults } from '../pipeline/test-results';
import { exposureNotice, networkIsolation } from '../sandbox/network';
import { CompileService } from '../sandbox/compiler';
import { SandboxPool } from '../sandbox/pool';
import { shippedDataDir } from './course-data';
import { AUTOGRADER_COURSE, AUTOGRADER_MANIFEST, type AutograderManifest } from './package';
import { deadlineFor, readMetadata } from './metadata';
import { readVisibility } from './settings';
import { compiledCellsLine, openShippedCache } from './shipped-cache';

/** A submission the learner must fix before it can be graded; its message goes to them as is. */
class SubmissionRefused extends UsageError {}

/** Every file of the submission folder, skipping dot folders and macOS litter. */
function filesIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => !entry.name.startsWith('.') && entry.name !== '__MACOSX')
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => (entry.isDirectory() ? filesIn(join(dir, entry.name)) : entry.isFile() ? [join(dir, entry.name)] : []));
}

/** The one notebook of the submission, whatever its name; anything else is refused with what to upload instead. */
export function findNotebook(submissionDir: string): string {
  const files = existsSync(submissionDir) ? filesIn(submissionDir) : [];
  const notebooks = files.filter((file) => extname(file).toLowerCase() === '.ipynb');
  if (notebooks.length === 1) return notebooks[0]!;
  const names = (paths: readonly string[]): string => paths.map((path) => `"${relative(submissionDir, path)}"`).join(', ');
  if (notebooks.length > 1) throw new SubmissionRefused(`Your submission holds ${notebooks.length} notebooks (${names(notebooks)}): upload only the notebook of this assignment.`);
  const archives = files.filter((file) => extname(file).toLowerCase() === '.zip');
  if (archives.length > 0) throw new SubmissionRefused(`Your submission is a zip archive (${names(archives)}): upload the notebook (.ipynb) itself.`);
  throw new SubmissionRefused(`No notebook (.ipynb) was found in your submission${files.length > 0 ? ` (only ${names(files)})` : ''}: upload your notebook file.`);
}

/** Grades the submission under `root` (Gradescope's /autograder) with the course in this source folder. */
export async function gradeForGradescope(root: string): Promise<GradescopeResults> {
  const courseRoot = join(PROJECT_ROOT, AUTOGRADER_COURSE);
  const { assignment: name } = JSON.parse(readFileSync(join(courseRoot, AUTOGRADER_MANIFEST), 'utf8')) as AutograderManifest;
  const notebookPath = findNotebook(join(root, 'submission'));
  const metadata = readMetadata(join(root, 'submission_metadata.json'));
  const user = metadata.users?.[0];
  const student = user?.email ?? (user?.id !== undefined ? String(user.id) : 'submission');
  const course = { root: courseRoot };
  const assignment = assignmentOf(name, readNotebookFile(releasedPath(course, name)), hiddenTestsDir(course, name));
  const visibility = readVisibility(courseRoot);
  const limits = sandboxLimits();
  const pool = new SandboxPool(limits, 1, 1, shippedDataDir(PROJECT_ROOT));
  pool.startAhead(); // the child warms up while the submission is read and checked
  const shippedCache = openShippedCache(courseRoot);
  const compiler = new CompileService(limits, shippedCache);
  compiler.start(); // a learner's own cells are not in the shipped cache: the service warms up beside the child
  try {
    const deadline = deadlineFor(courseRoot, name, metadata);
    const run: GradingRun = {
      assignment, limits, fingerprint: gradingFingerprint({ assignment, limits }),
      takeSandbox: () => pool.take(), compiler, force: false, ...(deadline !== undefined ? { deadline } : {}),
    };
    const source: SubmissionSource = {
      label: relative(root, notebookPath), student, assignment: name,
      submittedAt: metadata.created_at !== undefined ? new Date(metadata.created_at) : new Date(),
      read: () => readFile(notebookPath),
    };
    // The executed notebook's self-check cells are read right after the tests ran, before the result settles.
    let executed: GradingContext | undefined;
    const keepExecuted: Stage = { name: 'keep-executed', sanitizes: false, run: async (context) => (executed = context) };
    const result = await gradeSubmission(run, source, STAGES.flatMap((stage) => (stage === collectTestResults ? [stage, keepExecuted] : [stage])));
    const selfChecks = executed?.notebook !== undefined && executed.outcome !== undefined ? selfChecksOf(executed.notebook, executed.outcome).checks : [];
    process.stdout.write(`${compiledCellsLine(shippedCache)}\n`); // the instructor's log
    return toGradescopeResults(withHints(result, assignment.tests), selfChecks, visibility);
  } finally {
    compiler.dispose();
    pool.dispose();
  }
}

/** results.json is written whole (renamed into place), so Gradescope never reads half a file. */
function writeResults(root: string, results: GradescopeResults): void {
  mkdirSync(join(root, 'results'), { recursive: true });
  writeWhole(join(root, 'results', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
}

async function main(): Promise<void> {
  const root = process.env.CONVLAB_AUTOGRADER_ROOT ?? '/autograder';
  let results: GradescopeResults;
  try {
    results = await gradeForGradescope(root);
  } catch (error) {
    // The learner's own mistake is told as is; a grader failure in plain words, its details for the instructor's log.
    if (error instanceof SubmissionRefused) {
      results = notGraded(error.message, 'Submission not graded');
    } else {
      process.stderr.write(`convlab autograder: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      results = notGraded('The autograder could not grade this submission. This is not a problem with your notebook: please tell your instructor.');
    }
  }
  writeResults(root, results);
  // For the instructor's log: Gradescope's container may forbid the namespace that keeps submission code off the network.
  const notice = exposureNotice(networkIsolation());
  if (notice !== undefined) process.stdout.write(`${notice}\n`);
  const maxScore = results.tests.reduce((sum, test) => sum + test.max_score, 0);
  process.stdout.write(`results written: score ${results.score} / ${maxScore}\n`);
}

if (require.main === module) void main().then(() => process.exit(0));
