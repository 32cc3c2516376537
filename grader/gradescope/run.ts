/**
 * What `run_autograder` runs on Gradescope for one submission: finds the learner's notebook, grades it through the
 * same pipeline, sandbox and limits as `convlab grade`, and writes `results/results.json` once. Anything that keeps
 * grading from finishing still ends in a results.json with one plain-worded failed test.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { UsageError } from '../errors';
import type { SubmissionSource } from '../inputs/collect';
import { notGraded, type GradescopeResults } from '../model/gradescope';
import { sandboxLimits } from '../options';
import { PROJECT_ROOT } from '../paths';
import { OpenRun } from '../pipeline/open-run';
import { exposureNotice, networkIsolation } from '../sandbox/network';
import { shippedDataDir } from './course-data';
import { AUTOGRADER_COURSE, AUTOGRADER_MANIFEST, type AutograderManifest } from './package';
import { deadlineFor, readMetadata } from './metadata';
import { gradeForGradescope, writeGradescopeResults } from './results';
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
export async function runAutograder(root: string): Promise<GradescopeResults> {
  const courseRoot = join(PROJECT_ROOT, AUTOGRADER_COURSE);
  const { assignment: name } = JSON.parse(readFileSync(join(courseRoot, AUTOGRADER_MANIFEST), 'utf8')) as AutograderManifest;
  // A learner's own cells are not in the shipped cache: the compile service warms up beside the child all the same.
  const shippedCache = openShippedCache(courseRoot);
  const opened = new OpenRun({
    root: courseRoot, releasedOnly: true, limits: sandboxLimits(), assignment: name, children: 1,
    compileCache: shippedCache, dataDir: shippedDataDir(PROJECT_ROOT),
  });
  try {
    const notebookPath = findNotebook(join(root, 'submission'));
    const metadata = readMetadata(join(root, 'submission_metadata.json'));
    const user = metadata.users?.[0];
    const source: SubmissionSource = {
      label: relative(root, notebookPath), student: user?.email ?? (user?.id !== undefined ? String(user.id) : 'submission'), assignment: name,
      submittedAt: metadata.created_at !== undefined ? new Date(metadata.created_at) : new Date(),
      read: () => readFile(notebookPath),
    };
    const visibility = readVisibility(courseRoot);
    const run = opened.gradingRun(name, { deadline: deadlineFor(courseRoot, name, metadata) });
    const results = (await gradeForGradescope(run, source, visibility)).gradescope;
    process.stdout.write(`${compiledCellsLine(shippedCache)}\n`); // the instructor's log
    return results;
  } finally {
    opened.dispose();
  }
}

async function main(): Promise<void> {
  const root = process.env.CONVLAB_AUTOGRADER_ROOT ?? '/autograder';
  let results: GradescopeResults;
  try {
    results = await runAutograder(root);
  } catch (error) {
    // The learner's own mistake is told as is; a grader failure in plain words, its details for the instructor's log.
    if (error instanceof SubmissionRefused) {
      results = notGraded(error.message, 'Submission not graded');
    } else {
      process.stderr.write(`convlab autograder: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      results = notGraded('The autograder could not grade this submission. This is not a problem with your notebook: please tell your instructor.');
    }
  }
  writeGradescopeResults(join(root, 'results', 'results.json'), results);
  // For the instructor's log: Gradescope's container may forbid the namespace that keeps submission code off the network.
  const notice = exposureNotice(networkIsolation());
  if (notice !== undefined) process.stdout.write(`${notice}\n`);
  const maxScore = results.tests.reduce((sum, test) => sum + test.max_score, 0);
  process.stdout.write(`results written: score ${results.score} / ${maxScore}\n`);
}

if (require.main === module) void main().then(() => process.exit(0));
