import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { listAssignmentNames, readNotebookFile, releasedPath, solutionPath, type CourseLayout } from '../assignment';
import { UsageError } from '../errors';
import { serializeNotebook } from '../notebook/format';
import { releaseNotebook } from '../notebook/release';
import { PROJECT_ROOT, projectPath } from '../paths';

/** The learner notebook text for each assignment, derived from its solution. */
function releasedTexts(course: CourseLayout): Map<string, string> {
  return new Map(listAssignmentNames(course).map((name) =>
    [releasedPath(course, name), serializeNotebook(releaseNotebook(readNotebookFile(solutionPath(course, name))))]));
}

/** `convlab release`: writes notebooks/NN-name.ipynb for every solutions/NN-name.ipynb; returns the files written. */
export function release(course: CourseLayout): string[] {
  const texts = releasedTexts(course);
  mkdirSync(join(course.root, 'notebooks'), { recursive: true });
  for (const [path, text] of texts) writeFileSync(path, text);
  return [...texts.keys()].map((path) => relative(course.root, path));
}

/** `convlab release --check`: the learner notebooks that are missing, stale, or have no solution any more. */
export function releaseDrift(course: CourseLayout): string[] {
  const texts = releasedTexts(course);
  const drift: string[] = [];
  for (const [path, text] of texts) {
    if (!existsSync(path)) drift.push(`${relative(course.root, path)} (missing)`);
    else if (readFileSync(path, 'utf8') !== text) drift.push(`${relative(course.root, path)} (differs from its solution)`);
  }
  const dir = join(course.root, 'notebooks');
  const orphans = existsSync(dir) ? readdirSync(dir).filter((file) => file.endsWith('.ipynb') && !texts.has(join(dir, file))) : [];
  return [...drift, ...orphans.map((file) => `notebooks/${file} (no solutions/${file})`)];
}

/** Packages the grader needs but learners do not. */
const GRADER_ONLY_PACKAGES = new Set(['ajv', 'ajv-formats', 'better-sqlite3', 'cli-progress', 'execa', 'mocha', 'yauzl']);

const STUDENT_README = `# convlab — course notebooks

1. Install: \`npm install\` (Node.js 20 or newer).
2. Install the TypeScript kernel for Jupyter: \`npx tslab install --python=python3\`.
3. Open the notebooks: \`jupyter notebook notebooks/\`, pick the **TypeScript** kernel.

Each notebook has exercises (cells that say \`// YOUR CODE HERE\`) and public self-checks (cells that print ✓ or ✗).
Run the self-checks as you go; your instructor grades your notebook with further tests. Do not edit locked cells:
they are restored before grading.
`;

/**
 * `convlab release --student <dir>`: what learners get: released notebooks, the compiled kit and datasets, a minimal
 * package.json and a README. No solutions, no hidden tests, no grader.
 */
export function releaseStudentBundle(course: CourseLayout, dir: string): string[] {
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new UsageError(`--student "${dir}" exists and is not empty`);
  for (const kit of ['src', 'datasets']) {
    if (!existsSync(projectPath('dist', kit))) throw new UsageError(`the kit is not built: ${projectPath('dist', kit)} is missing (run npm run build)`);
  }
  const texts = releasedTexts(course);
  mkdirSync(join(dir, 'notebooks'), { recursive: true });
  for (const [path, text] of texts) writeFileSync(join(dir, 'notebooks', relative(join(course.root, 'notebooks'), path)), text);
  for (const kit of ['src', 'datasets']) cpSync(projectPath('dist', kit), join(dir, 'dist', kit), { recursive: true });
  const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string> };
  const dependencies = Object.fromEntries(Object.entries(manifest.dependencies).filter(([name]) => !GRADER_ONLY_PACKAGES.has(name)));
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({
    name: 'convlab-course', version: manifest.version, private: true, description: 'convlab course notebooks', dependencies,
  }, null, 2)}\n`);
  writeFileSync(join(dir, 'README.md'), STUDENT_README);
  return ['README.md', 'package.json', 'dist/src', 'dist/datasets', ...[...texts.keys()].map((path) => relative(course.root, path))];
}
