/**
 * How a process that handles submission code (the sandbox child, the compile service's process) is started: in a
 * scratch folder of its own, under Node's permission model, with a minimal environment and, where the machine allows,
 * no network.
 */
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { CACHE_ENV } from '../../src/core/cache';
import { GRADING_ENV } from '../../src/grading';
import { projectPath } from '../paths';
import { withoutNetwork } from './network';

/** A scratch folder: `<tmp>/notebooks` is the working directory, `node_modules` and `dist` link to the project's. */
export function makeScratch(): string {
  const scratch = mkdtempSync(join(tmpdir(), 'convlab-sandbox-'));
  mkdirSync(join(scratch, 'notebooks'));
  symlinkSync(projectPath('node_modules'), join(scratch, 'node_modules'));
  symlinkSync(projectPath('dist'), join(scratch, 'dist'));
  return scratch;
}

/**
 * Node's permission model for a process that handles submission code (the child, the compile service): read the kit
 * and its dependencies, read and write the scratch folder, read the course data when the run has a copy (`dataDir`,
 * the Gradescope zip's), nothing else (no child processes, workers or addons).
 */
export function confinedNodeArguments(scratch: string, maxOldSpaceMb: number, entry: string, dataDir?: string): string[] {
  return [
    '--experimental-permission',
    `--allow-fs-read=${projectPath('node_modules')}/*`,
    `--allow-fs-read=${projectPath('dist')}/*`,
    `--allow-fs-read=${scratch}/*`,
    ...(dataDir !== undefined ? [`--allow-fs-read=${dataDir}/*`] : []),
    // Only the working folder: writes through the dist/ and node_modules/ links beside it would land in the project.
    `--allow-fs-write=${join(scratch, 'notebooks')}/*`,
    // Math.random starts from the same seed in every child: grading the same notebook twice gives the same scores.
    '--random-seed=20240101',
    `--max-old-space-size=${maxOldSpaceMb}`,
    '--no-warnings',
    entry,
  ];
}

/**
 * The process gets a minimal environment (no secrets of the grader's, the grading flag, a HOME it may write, the
 * course data as its cache when there is a copy) and, where the machine allows, no network (`network.ts`: unshare
 * execs node, so the process spawned is node itself).
 */
export function spawnConfined(scratch: string, maxOldSpaceMb: number, entry: string, dataDir?: string) {
  const [program, ...args] = withoutNetwork([process.execPath, ...confinedNodeArguments(scratch, maxOldSpaceMb, entry, dataDir)]);
  return execa(program!, args, {
    cwd: join(scratch, 'notebooks'),
    env: {
      [GRADING_ENV]: '1', HOME: join(scratch, 'notebooks'), PATH: '/usr/local/bin:/usr/bin:/bin', LANG: 'C.UTF-8',
      ...(dataDir !== undefined ? { [CACHE_ENV]: dataDir } : {}),
    },
    extendEnv: false,
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    buffer: false,
    reject: false,
  });
}
