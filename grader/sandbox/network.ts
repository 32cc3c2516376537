/**
 * No network for submission code. Node's permission model confines files, child processes and addons, not sockets,
 * so on Linux every process that handles submission code (the sandbox child, the compile service) starts in a network
 * namespace of its own, where the only interface is a loopback that is down: the grading host's listeners (a Redis,
 * a database on 127.0.0.1) and the outside world are out of reach.
 *
 * `unshare` execs the command (no fork): the process execa spawned becomes the node process itself, so a kill, its
 * exit code or signal, and its stdio (fd 3 included) are the child's own. As root it only needs `--net`; otherwise an
 * unprivileged user namespace (`--map-root-user`) makes the network namespace possible. Root inside that user namespace
 * is the grader's own user outside it: it gains nothing over files the grader's user could not already touch, and the
 * permission model still bounds which paths the child may open.
 *
 * Some containers forbid namespaces: a probe, once per process, says whether it works; where it does not, processes
 * start without it and the run says "network not isolated".
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * CONVLAB_UNSHARE: the unshare program to use instead of the one found on PATH. Tests name a missing file to exercise
 * the fallback, as a container that forbids namespaces would.
 */
export const UNSHARE_ENV = 'CONVLAB_UNSHARE';

export type NetworkIsolation =
  | { readonly isolated: true }
  | { readonly isolated: false; readonly reason: string };

interface Probed {
  readonly isolation: NetworkIsolation;
  /** the program and options that put a command in its own network namespace (absent when not isolated) */
  readonly prefix: readonly string[];
}

/** As root `--net` is enough; without root, an unprivileged user namespace makes it possible. */
const NAMESPACE_OPTIONS: readonly (readonly string[])[] = [['--net'], ['--map-root-user', '--net']];
/** What the probe runs inside: node itself, which must see no network interface with an address. */
const NO_INTERFACE_CHECK = "process.exit(Object.keys(require('os').networkInterfaces()).length === 0 ? 0 : 1)";
const PROBE_TIMEOUT_MS = 15_000;
const SYSTEM_DIRS = ['/usr/bin', '/bin', '/usr/sbin', '/sbin'];

/** The unshare program: the one named by CONVLAB_UNSHARE, else the first executable one on PATH or in system folders. */
function unshareProgram(): string | undefined {
  const named = process.env[UNSHARE_ENV];
  if (named !== undefined && named !== '') return named;
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...SYSTEM_DIRS];
  return dirs.map((dir) => join(dir, 'unshare')).find((path) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** The first namespace options under which node runs and sees no interface, or why none works. */
function probe(): Probed {
  if (process.platform !== 'linux') return { isolation: { isolated: false, reason: `network namespaces need Linux (this is ${process.platform})` }, prefix: [] };
  const unshare = unshareProgram();
  if (unshare === undefined) return { isolation: { isolated: false, reason: 'no unshare program found (util-linux)' }, prefix: [] };
  const failures: string[] = [];
  for (const options of NAMESPACE_OPTIONS) {
    const prefix = [unshare, ...options, '--'];
    const run = spawnSync(prefix[0]!, [...prefix.slice(1), process.execPath, '-e', NO_INTERFACE_CHECK], { encoding: 'utf8', timeout: PROBE_TIMEOUT_MS });
    if (run.status === 0) return { isolation: { isolated: true }, prefix };
    failures.push(run.error?.message ?? (run.stderr.trim().split('\n')[0] || `exit code ${run.status ?? run.signal}`));
  }
  return { isolation: { isolated: false, reason: `${unshare} ${NAMESPACE_OPTIONS.at(-1)!.join(' ')} failed: ${failures.at(-1)}` }, prefix: [] };
}

let probed: Probed | undefined;
const probedOnce = (): Probed => (probed ??= probe());

/** Whether processes handling submission code run without network (probed on first use, then remembered). */
export function networkIsolation(): NetworkIsolation {
  return probedOnce().isolation;
}

/** The command line (program first) that runs `command` without network where this machine allows it, else as is. */
export function withoutNetwork(command: readonly string[]): string[] {
  return [...probedOnce().prefix, ...command];
}

/** The run summary's line for a run whose submission code had network; undefined when it had none. */
export function exposureNotice(isolation: NetworkIsolation | undefined): string | undefined {
  return isolation?.isolated === false ? `network not isolated: submission code could reach the network (${isolation.reason})` : undefined;
}
