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

/**
 * The project's lockfile cut down to `dependencies` and everything they depend on, with a root entry for the bundle:
 * what `npm ci` in the bundle installs. Dev flags are dropped (everything the bundle has is for running it).
 */
export function bundleLockfile(lock: Lockfile, root: { name: string; version: string; dependencies: Record<string, string> }): Lockfile {
  const kept = new Map<string, LockEntry>();
  const pending: [from: string, name: string, required: boolean][] = Object.keys(root.dependencies).map((name) => ['', name, true]);
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [from, name, required] = next;
    const path = resolveIn(lock.packages, from, name);
    if (path === undefined) {
      if (required) throw new UsageError(`package-lock.json has no ${name} (needed by ${from || 'the bundle'}): run npm install`);
      continue;
    }
    if (kept.has(path)) continue;
    const entry = lock.packages[path]!;
    const { dev: _dev, devOptional, ...rest } = entry;
    kept.set(path, devOptional ? { ...rest, optional: true } : rest);
    for (const dep of Object.keys(entry.dependencies ?? {})) pending.push([path, dep, true]);
    for (const dep of Object.keys(entry.optionalDependencies ?? {})) pending.push([path, dep, false]);
    for (const dep of Object.keys(entry.peerDependencies ?? {})) pending.push([path, dep, entry.peerDependenciesMeta?.[dep]?.optional !== true]);
  }
  const packages = Object.fromEntries([...kept].sort(([a], [b]) => a.localeCompare(b)));
  return {
    name: root.name, version: root.version, lockfileVersion: lock.lockfileVersion, requires: true,
    packages: { '': { name: root.name, version: root.version, dependencies: root.dependencies }, ...packages },
  };
}
