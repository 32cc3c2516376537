/**
 * What the learner bundle must install, derived from what it ships (never a hand list that drifts), and a lockfile
 * that pins exactly those packages at the versions this project is tested with.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors';

interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  dev?: boolean;
  devOptional?: boolean;
  optional?: boolean;
  [field: string]: unknown;
}

export interface Lockfile {
  name: string;
  version: string;
  lockfileVersion: number;
  requires?: boolean;
  packages: Record<string, LockEntry>;
}

function javaScriptFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.js')).map((file) => join(dir, file));
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * The project dependencies that `texts` (compiled kit files, notebook cells) name as a module: the package name,
 * or a path inside it, as a whole string literal (`require("yauzl")`, `optionalRequire('webgpu')`,
 * `` require(`mnist/src/digits/${digit}.json`) ``, `import('vega')`).
 */
export function namedPackages(texts: readonly string[], declared: readonly string[]): string[] {
  return declared.filter((name) => {
    const literal = new RegExp(`(['"\`])${escapeRegExp(name)}(/[^'"\`]*)?\\1`);
    return texts.some((text) => literal.test(text));
  });
}

/** The text of every compiled file under `dirs`. */
export function shippedCode(dirs: readonly string[]): string[] {
  return dirs.flatMap(javaScriptFiles).map((file) => readFileSync(file, 'utf8'));
}

/** Where Node finds `name` from the package installed at `from` ('' is the root): its own node_modules, then up. */
function resolveIn(packages: Lockfile['packages'], from: string, name: string): string | undefined {
  for (let dir = from; ; dir = dir.slice(0, Math.max(0, dir.lastIndexOf('/node_modules/')))) {
    const candidate = `${dir === '' ? '' : `${dir}/`}node_modules/${name}`;
    if (packages[candidate] !== undefined) return candidate;
    if (dir === '') return undefined;
  }
}

/** The packages a bundle declares: what `npm ci` must install, and what it installs where it can. */
export interface BundleManifest {
  readonly name: string;
  readonly version: string;
  readonly dependencies: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
}

/**
 * The lockfile paths reachable from the bundle's `roots`: through every edge, or through required edges only (a
 * package's dependencies and non-optional peers). A package the project's lockfile lacks is an error on a required
 * edge; on an optional one (another platform's binary, say) it is passed over.
 */
function reachable(lock: Lockfile, roots: readonly string[], withOptional: boolean): Set<string> {
  const kept = new Set<string>();
  const pending: [from: string, name: string, required: boolean][] = roots.map((name) => ['', name, true]);
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [from, name, required] = next;
    const path = resolveIn(lock.packages, from, name);
    if (path === undefined) {
      if (required) throw new UsageError(`package-lock.json has no ${name} (needed by ${from || 'the bundle'}): run npm install`);
      continue;
    }
    if (kept.has(path)) continue;
    kept.add(path);
    const entry = lock.packages[path]!;
    for (const dep of Object.keys(entry.dependencies ?? {})) pending.push([path, dep, true]);
    for (const dep of Object.keys(entry.peerDependencies ?? {})) {
      const optional = entry.peerDependenciesMeta?.[dep]?.optional === true;
      if (withOptional || !optional) pending.push([path, dep, !optional]);
    }
    if (withOptional) for (const dep of Object.keys(entry.optionalDependencies ?? {})) pending.push([path, dep, false]);
  }
  return kept;
}

/**
 * The project's lockfile cut down to the bundle's dependencies and everything they depend on, with a root entry for
 * the bundle: what `npm ci` in the bundle installs. Each package's flags say what it is in the bundle, not in the
 * project: optional when only optional dependencies lead to it (so `npm ci --omit=optional` leaves it out, and npm
 * goes on when it fails to install), never dev (everything the bundle has is for running it).
 */
export function bundleLockfile(lock: Lockfile, root: BundleManifest): Lockfile {
  const required = reachable(lock, Object.keys(root.dependencies), false);
  const all = reachable(lock, [...Object.keys(root.dependencies), ...Object.keys(root.optionalDependencies ?? {})], true);
  const packages = Object.fromEntries([...all].sort((a, b) => a.localeCompare(b)).map((path) => {
    const { dev: _dev, devOptional: _devOptional, optional: _optional, ...entry } = lock.packages[path]!;
    return [path, required.has(path) ? entry : { ...entry, optional: true }];
  }));
  return {
    name: root.name, version: root.version, lockfileVersion: lock.lockfileVersion, requires: true,
    packages: { '': { ...root }, ...packages },
  };
}
