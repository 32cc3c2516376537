import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { listAssignmentNames, readNotebookFile, releasedPath, solutionPath, type CourseLayout } from '../assignment';
import { UsageError } from '../errors';
import { serializeNotebook } from '../notebook/format';
import { bundleLockfile, namedPackages, shippedCode, type BundleManifest, type Lockfile } from './bundle-dependencies';
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

/** The compiled kit folders the bundle ships (notebooks import ../dist/src). */
const KIT_DIRS = ['src', 'datasets'];
/** The kernel the notebooks run on: the bundle installs it although no shipped file imports it. */
const KERNEL_PACKAGE = 'tslab';

const STUDENT_README = `# convlab — course notebooks

You need Node.js 20 or newer and Jupyter (\`pip install notebook\`, or on Debian/Ubuntu \`apt install jupyter-notebook\`).
In this folder:

1. \`npm ci\` — installs exactly the packages in package-lock.json (\`npm ci --offline\` installs them from your npm
   cache, without network, where your teacher prepared one). It also tries the optional packages that make training
   faster: \`@tensorflow/tfjs-node\` (TensorFlow's native CPU kernels; its install downloads TensorFlow, so it needs
   the network) and \`webgpu\` (your GPU through WebGPU). Where one cannot install, npm says so and goes on without it;
   \`npm ci --omit=optional\` skips them. The first cell of each notebook says which backend runs and why not the faster
   ones; on an NVIDIA GPU with CUDA 11.2 and cuDNN 8.1 it names the command that adds the fastest,
   \`@tensorflow/tfjs-node-gpu\`.
2. \`npm run kernel\` — installs the TypeScript kernel into Jupyter. It finds the Python that has Jupyter; if it picks
   the wrong one, name it: \`npm run kernel -- --python /path/to/python3\`. (\`-- --prefix <dir>\` installs under
   \`<dir>/share/jupyter\`, for Jupyter started with \`JUPYTER_PATH=<dir>/share/jupyter\`.)
3. \`npm run data\` — downloads the photos and the pretrained network notebook 04 needs (about 65 MB, every file
   checked) into \`~/.cache/convlab\`. Offline, import the copy your teacher hands out: \`npm run data -- --from
   <folder|zip>\`. \`npm run data -- --check\` says what is there.
4. \`jupyter notebook notebooks/\` — opens the notebooks; they use the **TypeScript** kernel.

To check the setup without a browser: \`jupyter nbconvert --to notebook --execute --allow-errors --output checked.ipynb
notebooks/01-conv-arithmetic.ipynb\` runs the first notebook into notebooks/checked.ipynb. Its first cell names the
TensorFlow.js backend it picked; its first self-check prints ✗ \`Not implemented\` until you do the exercises, and the
cells after that check stay empty: the TypeScript kernel stops at the first error (in Jupyter too, so run the cells one
by one while exercises are unfinished, rather than Run All).

Each notebook has exercises (cells that say \`// YOUR CODE HERE\`) and public self-checks (cells that print ✓ or ✗).
Run the self-checks as you go; your instructor grades your notebook with further tests. Do not edit locked cells:
they are restored before grading.
`;

/** The project's manifest fields the bundle's own manifest is made from. */
interface ProjectManifest {
  readonly version: string;
  readonly dependencies: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
}

/** The entries of `declared` whose package is in `names`. */
const only = (declared: Record<string, string>, names: ReadonlySet<string>): Record<string, string> =>
  Object.fromEntries(Object.entries(declared).filter(([name]) => names.has(name)));

/**
 * The packages the bundle installs: the project dependencies its kit and notebooks name as modules, and the kernel.
 * Grader-only packages (mocha, better-sqlite3, execa...) are left out because nothing shipped names them. The
 * project's optional dependencies stay optional (the backend ladder's native and GPU packages): npm goes on without
 * one that cannot install, and the ladder passes it over.
 */
function bundleManifest(manifest: ProjectManifest, notebookTexts: readonly string[]): BundleManifest {
  const code = [...shippedCode(KIT_DIRS.map((kit) => projectPath('dist', kit))), ...notebookTexts];
  const optional = manifest.optionalDependencies ?? {};
  const names = new Set([...namedPackages(code, [...Object.keys(manifest.dependencies), ...Object.keys(optional)]), KERNEL_PACKAGE]);
  return {
    name: 'convlab-course', version: manifest.version, dependencies: only(manifest.dependencies, names),
    optionalDependencies: only(optional, names),
  };
}

/**
 * `convlab release --student <dir>`: what learners get: released notebooks, the compiled kit and datasets, a
 * package.json and lockfile with every runtime dependency, `npm run kernel`, and a README. No solutions, no hidden
 * tests, no grader.
 */
export function releaseStudentBundle(course: CourseLayout, dir: string): string[] {
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new UsageError(`--student "${dir}" exists and is not empty`);
  for (const kit of KIT_DIRS) {
    if (!existsSync(projectPath('dist', kit))) throw new UsageError(`the kit is not built: ${projectPath('dist', kit)} is missing (run npm run build)`);
  }
  const texts = releasedTexts(course);
  const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as ProjectManifest;
  const bundle = bundleManifest(manifest, [...texts.values()]);
  // Cut before anything is written, so that a project lockfile that lacks a package leaves no half-made bundle.
  const lock = bundleLockfile(JSON.parse(readFileSync(join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as Lockfile, bundle);
  mkdirSync(join(dir, 'notebooks'), { recursive: true });
  for (const [path, text] of texts) writeFileSync(join(dir, 'notebooks', relative(join(course.root, 'notebooks'), path)), text);
  for (const kit of KIT_DIRS) cpSync(projectPath('dist', kit), join(dir, 'dist', kit), { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({
    ...bundle, private: true, description: 'convlab course notebooks', engines: { node: '>=20' },
    scripts: { kernel: 'node dist/src/jupyter/install-kernel.js', data: 'node dist/datasets/course-data/cli.js' },
  }, null, 2)}\n`);
  writeFileSync(join(dir, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
  writeFileSync(join(dir, 'README.md'), STUDENT_README);
  return ['README.md', 'package.json', 'package-lock.json', ...KIT_DIRS.map((kit) => `dist/${kit}`),
    ...[...texts.keys()].map((path) => relative(course.root, path))];
}
