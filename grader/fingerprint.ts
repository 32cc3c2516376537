/**
 * The grading fingerprint: a hash of everything that decides a score besides the notebook itself. A stored result is
 * reused only under the same fingerprint; its parts are kept so a regrade can say which part changed.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Assignment } from './assignment';
import { hashFilesUnder } from './file-hash';
import type { FingerprintParts, GradingFingerprint, RegradeReason } from './model/results';
import { cellSource, gradeIdOf } from './notebook/types';
import { PROJECT_ROOT, projectPath } from './paths';
import { limitsKey, type SandboxLimits } from './sandbox/limits';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** convlab's own version, read once: a new version may grade differently. */
export const CONVLAB_VERSION: string = (JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as { version: string }).version;

/** The built folders a sandbox child loads: the kit notebooks import, its data loaders, the child itself. */
const CHILD_BUILD = [['dist', 'src'], ['dist', 'datasets'], ['dist', 'grader', 'sandbox']] as const;

const toolchains = new Map<string, string>();

/**
 * A hash of what a sandbox child runs besides the notebook and the specs: every built JavaScript file it may load
 * (`CHILD_BUILD`), `package-lock.json` and Node's major version. The version number alone misses a rebuilt kit or a
 * worker whose `dist/` is stale; this does not. Read once per process and course folder (a few hundred small files).
 */
export function gradingToolchain(root: string = PROJECT_ROOT): string {
  let toolchain = toolchains.get(root);
  if (toolchain === undefined) {
    const hash = createHash('sha256').update(`node ${process.versions.node.split('.')[0]}\0`);
    const lockfile = join(root, 'package-lock.json');
    hash.update(existsSync(lockfile) ? readFileSync(lockfile) : '').update('\0');
    toolchain = hashFilesUnder(hash, root, CHILD_BUILD, '.js').digest('hex');
    toolchains.set(root, toolchain);
  }
  return toolchain;
}

export interface FingerprintInput {
  readonly assignment: Assignment;
  readonly limits: SandboxLimits;
  readonly version?: string;
  readonly toolchain?: string;
}

export function gradingFingerprint({ assignment, limits, version = CONVLAB_VERSION, toolchain = gradingToolchain() }: FingerprintInput): GradingFingerprint {
  // The file's own bytes, not the transpiled code: a spec moved to another --tests folder is the same test.
  const tests = sha256(JSON.stringify(assignment.specs.map((spec) => [basename(spec.file), readFileSync(spec.file, 'utf8')])));
  const release = sha256(JSON.stringify(assignment.released.cells.flatMap((cell) => {
    const nbgrader = cell.metadata.nbgrader;
    if (nbgrader === undefined) return [];
    return [[cell.cell_type, gradeIdOf(cell), nbgrader.locked, nbgrader.locked ? cellSource(cell) : null, cell.metadata.tags ?? []]];
  })));
  const limitsHash = sha256(limitsKey(limits));
  const parts: FingerprintParts = { tests, release, limits: limitsHash, version, toolchain };
  return { id: sha256(JSON.stringify([parts.tests, parts.release, parts.limits, parts.version, parts.toolchain])), parts };
}

const REASON_BY_PART: Readonly<Record<keyof FingerprintParts, RegradeReason>> = {
  tests: 'hidden tests changed',
  release: 'released notebook changed',
  limits: 'limits changed',
  version: 'convlab version changed',
  toolchain: 'kit build, packages or Node changed',
};

/** Which parts differ; a previous attempt without recorded parts (an older gradebook) says so. */
export function regradeReasons(previous: FingerprintParts | undefined, current: FingerprintParts): RegradeReason[] {
  if (previous === undefined) return ['grading setup not recorded'];
  return (Object.keys(REASON_BY_PART) as (keyof FingerprintParts)[])
    .filter((part) => previous[part] !== current[part]).map((part) => REASON_BY_PART[part]);
}
