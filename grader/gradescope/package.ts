import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, sep } from 'node:path';
import { courseReleases, hiddenTestsDir, listAssignmentNames, loadAssignment, readNotebookFile, solutionPath, type CourseLayout } from '../assignment';
import { COURSE_FILE, loadDeadlines } from '../course/course-file';
import { serializeNotebook } from '../notebook/format';
import { cellSource, type Notebook } from '../notebook/types';
import { sandboxLimits } from '../options';
import { projectPath } from '../paths';
import { CompileCache } from '../sandbox/compile-cache';
import { childJob } from '../sandbox/child-job';
import { compiledCellKey, CompileService } from '../sandbox/compile-service';
import { readVisibility } from './settings';
import { SHIPPED_CACHE } from './shipped-cache';
import type { ZipEntry } from './zip';

/** Where the course's files for one assignment sit inside the autograder's source folder. */
export const AUTOGRADER_COURSE = 'course';
/** Names the one assignment the autograder grades. */
export const AUTOGRADER_MANIFEST = 'autograder.json';

export interface AutograderManifest {
  readonly assignment: string;
}

/**
 * Gradescope's base image is Ubuntu 22.04 without Node. The official Node 20 tarball (rather than NodeSource's apt
 * repository) is one download, checked against nodejs.org's SHASUMS256.txt; `npm ci` installs exactly the locked
 * dependencies, tslab and TensorFlow.js included. Not run here: it needs Gradescope's image and the network.
 */
const SETUP_SH = `#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image (Ubuntu 22.04).
set -euo pipefail
NODE_VERSION=20.19.5
apt-get update
# util-linux: unshare, which runs submission code without network where the container allows namespaces.
apt-get install -y --no-install-recommends ca-certificates curl xz-utils python3 make g++ util-linux
cd /tmp
curl -fsSLO "https://nodejs.org/dist/v\${NODE_VERSION}/node-v\${NODE_VERSION}-linux-x64.tar.xz"
curl -fsSLO "https://nodejs.org/dist/v\${NODE_VERSION}/SHASUMS256.txt"
grep " node-v\${NODE_VERSION}-linux-x64.tar.xz\\$" SHASUMS256.txt | sha256sum -c -
tar -xJf "node-v\${NODE_VERSION}-linux-x64.tar.xz" -C /usr/local --strip-components=1
cd /autograder/source
# --ignore-scripts: dist/ ships built, so the "prepare" build must not run (its sources are not shipped). The grader
# needs only the runtime dependencies (hidden tests are transpiled with @tslab/typescript-for-tslab, one of them).
# --omit=optional: the backend ladder's native and GPU packages, which the sandbox cannot load (no native addons).
npm ci --ignore-scripts --omit=optional
# better-sqlite3 and sharp fetch or build their native parts in their install scripts.
npm rebuild better-sqlite3 sharp
`;

const RUN_AUTOGRADER = `#!/usr/bin/env bash
# Gradescope runs this for every submission. CONVLAB_AUTOGRADER_ROOT stands in for /autograder in tests.
set -euo pipefail
cd "\${CONVLAB_AUTOGRADER_ROOT:-/autograder}/source"
exec node dist/grader/gradescope/run.js
`;

/** Files under a folder, sorted, as paths relative to `base` with forward slashes. */
function filesUnder(dir: string, base: string, keep: (path: string) => boolean = () => true): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name)).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path, base, keep);
    return entry.isFile() && keep(path) ? [relative(base, path).split(sep).join('/')] : [];
  });
}

const file = (name: string, data: Buffer | string, mode = 0o644): ZipEntry =>
  ({ name, data: typeof data === 'string' ? Buffer.from(data) : data, mode });

/** The course file cut down to this assignment: the autograder knows no other. */
function courseFileFor(course: CourseLayout, name: string): ZipEntry[] {
  const path = join(course.root, COURSE_FILE);
  if (!existsSync(path)) return [];
  const value = JSON.parse(readFileSync(path, 'utf8')) as { assignments?: Record<string, unknown> };
  const assignments = value.assignments?.[name] !== undefined ? { assignments: { [name]: value.assignments[name] } } : {};
  const { assignments: _others, ...rest } = value;
  return [file(`${AUTOGRADER_COURSE}/${COURSE_FILE}`, `${JSON.stringify({ ...rest, ...assignments }, null, 2)}\n`)];
}

/** Packaging is not grading: a cell compiled on a busy machine is not given up after the grading limit. */
const PACKAGING_CELL_TIMEOUT_MS = 120_000;

/**
 * The compiled cells of `released`, then of `solution`, as files (paths under the cache's root → bytes). The solution's
 * own answer cells (those that differ from the release) are compiled for the declarations they leave to the cells after
 * them, but not shipped: the zip carries no solution code, compiled or not.
 */
export async function compileShippedCache(released: Notebook, solution: Notebook): Promise<Map<string, Buffer>> {
  const root = mkdtempSync(join(tmpdir(), 'convlab-shipped-cache-'));
  try {
    const answers = await compileInto(new CompileCache(root), released, solution);
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((path) => lstatSync(join(root, path)).isFile() && !answers.has(basename(path))).sort();
    return new Map(files.map((path) => [path.split(sep).join('/'), readFileSync(join(root, path))]));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Compiles both notebooks' cells into `cache`; returns the file names of the solution's answer cells' entries. */
async function compileInto(cache: CompileCache, released: Notebook, solution: Notebook): Promise<Set<string>> {
  const limits = { ...sandboxLimits(), cellTimeoutMs: PACKAGING_CELL_TIMEOUT_MS };
  const compiler = new CompileService(limits, cache);
  const answers = new Set<string>();
  try {
    for (const notebook of [released, solution]) {
      // A cell the service gave no result for (a busy machine can cost one) is asked for again, once, with the cells
      // already compiled taken from memory: what the zip holds should not depend on the load while it was built.
      for (let attempt = 0, complete = false; attempt < 2 && !complete; attempt += 1) {
        let prevDecl = '';
        complete = true;
        for await (const { index, result } of compiler.compileCells(childJob(notebook, [], limits))) {
          const source = cellSource(notebook.cells[index]!);
          if (notebook === solution && source !== cellSource(released.cells[index]!)) answers.add(`${compiledCellKey(prevDecl, source)}.json`);
          if (result === null) complete = false;
          else if (result.diagnostics.length === 0) prevDecl = result.declOutput ?? '';
        }
      }
    }
    return answers;
  } finally {
    compiler.dispose();
  }
}

/**
 * Every file of the autograder zip for one assignment: setup.sh and run_autograder at the root, the built kit and
 * grader, package.json and its lockfile, and a course folder with the released notebooks (this assignment's, and the
 * others' to tell their notebooks apart), the hidden tests, the course file and the shipped compile cache
 * (`shipped-cache.ts`), then `data` (`course-data.ts`). Never the solutions: the releases are made from them here.
 */
export async function autograderEntries(course: CourseLayout, name: string, data: ZipEntry[] = []): Promise<ZipEntry[]> {
  const assignment = loadAssignment(course, name);
  // Checked here so that a bad course file or visibility setting fails the build, not every learner's submission.
  loadDeadlines(course.root, listAssignmentNames(course));
  readVisibility(course.root);
  const kit = ['src', 'datasets', 'grader'].flatMap((folder) =>
    filesUnder(projectPath('dist', folder), projectPath()));
  const testsDir = hiddenTestsDir(course, name);
  const manifest: AutograderManifest = { assignment: assignment.name };
  const releases = courseReleases(course, name);
  const compiled = await compileShippedCache(assignment.released, readNotebookFile(solutionPath(course, name)));
  return [
    file('setup.sh', SETUP_SH, 0o755),
    file('run_autograder', RUN_AUTOGRADER, 0o755),
    file('package.json', readFileSync(projectPath('package.json'))),
    file('package-lock.json', readFileSync(projectPath('package-lock.json'))),
    ...kit.map((path) => file(path, readFileSync(projectPath(path)))),
    file(`${AUTOGRADER_COURSE}/${AUTOGRADER_MANIFEST}`, `${JSON.stringify(manifest, null, 2)}\n`),
    // Every assignment's release, so that a notebook of another assignment is told apart and named, as `convlab grade` does.
    ...[...releases].map(([each, release]) => file(`${AUTOGRADER_COURSE}/notebooks/${each}.ipynb`, serializeNotebook(release))),
    ...filesUnder(testsDir, testsDir).map((path) =>
      file(`${AUTOGRADER_COURSE}/grader/tests/${name}/${path}`, readFileSync(join(testsDir, path)))),
    ...courseFileFor(course, name),
    ...[...compiled].map(([path, bytes]) => file(`${AUTOGRADER_COURSE}/${SHIPPED_CACHE}/${path}`, bytes)),
    ...data,
  ];
}
