import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { courseReleases, hiddenTestsDir, listAssignmentNames, loadAssignment, type CourseLayout } from '../assignment';
import { COURSE_FILE, loadDeadlines } from '../course/course-file';
import { serializeNotebook } from '../notebook/format';
import { projectPath } from '../paths';
import { readVisibility } from './settings';
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
# --ignore-scripts: dist/ ships built, so the "prepare" build must not run (its sources are not shipped). The
# grader compiles the hidden tests with typescript at run time, so dev dependencies are installed too.
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

/**
 * Every file of the autograder zip for one assignment: setup.sh and run_autograder at the root, the built kit and
 * grader, package.json and its lockfile, and a course folder with the released notebooks (this assignment's, and the
 * others' to tell their notebooks apart), the hidden tests and the course file. Never the solutions: the releases are
 * made from them here.
 */
export function autograderEntries(course: CourseLayout, name: string): ZipEntry[] {
  const assignment = loadAssignment(course, name);
  // Checked here so that a bad course file or visibility setting fails the build, not every learner's submission.
  loadDeadlines(course.root, listAssignmentNames(course));
  readVisibility(course.root);
  const kit = ['src', 'datasets', 'grader'].flatMap((folder) =>
    filesUnder(projectPath('dist', folder), projectPath()));
  const testsDir = hiddenTestsDir(course, name);
  const manifest: AutograderManifest = { assignment: assignment.name };
  return [
    file('setup.sh', SETUP_SH, 0o755),
    file('run_autograder', RUN_AUTOGRADER, 0o755),
    file('package.json', readFileSync(projectPath('package.json'))),
    file('package-lock.json', readFileSync(projectPath('package-lock.json'))),
    ...kit.map((path) => file(path, readFileSync(projectPath(path)))),
    file(`${AUTOGRADER_COURSE}/${AUTOGRADER_MANIFEST}`, `${JSON.stringify(manifest, null, 2)}\n`),
    // Every assignment's release, so that a notebook of another assignment is told apart and named, as `convlab grade` does.
    ...[...courseReleases(course, name)].map(([each, release]) => file(`${AUTOGRADER_COURSE}/notebooks/${each}.ipynb`, serializeNotebook(release))),
    ...filesUnder(testsDir, testsDir).map((path) =>
      file(`${AUTOGRADER_COURSE}/grader/tests/${name}/${path}`, readFileSync(join(testsDir, path)))),
    ...courseFileFor(course, name),
  ];
}
