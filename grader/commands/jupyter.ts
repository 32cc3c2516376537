import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { findPython, installKernel, NOTEBOOK_MODULES, PYTHON_CANDIDATES, tslabEntry } from '../../src/jupyter/kernelspec';
import { UsageError } from '../errors';
import { projectPath } from '../paths';

/** Where `convlab jupyter` keeps its kernelspec: inside the project, so it never replaces the user's own. */
const KERNEL_PREFIX = projectPath('.convlab', 'jupyter');
/** The address Jupyter logs for the browser, token included. */
const SERVER_URL = /https?:\/\/(?:127\.0\.0\.1|localhost)[^\s]*/;
const TOKEN_OPTION = '--NotebookApp.token=';
/** What Jupyter prints when it refuses to run as root. */
const ROOT_REFUSAL = '--allow-root';

/** What must be installed before Jupyter can open the course, one line each (empty when nothing is missing). */
function missingPieces(python: string | undefined): string[] {
  const missing: string[] = [];
  if (python === undefined) {
    missing.push(`Jupyter: none of ${PYTHON_CANDIDATES.join(', ')} can import ${NOTEBOOK_MODULES.join(' and ')} (pip install notebook, or on Debian/Ubuntu: apt install jupyter-notebook)`);
  }
  try {
    tslabEntry();
  } catch {
    missing.push('the TypeScript kernel (tslab): run npm install');
  }
  if (!existsSync(projectPath('notebooks'))) missing.push(`the notebooks: ${projectPath('notebooks')} does not exist (run convlab release)`);
  return missing;
}

/**
 * `convlab jupyter [jupyter options...]`: installs the course's TypeScript kernel where only this Jupyter sees it and
 * runs `jupyter notebook` in notebooks/ with the options given, until it exits. `onUrl` gets the address to open as
 * soon as Jupyter logs it. Throws when something is missing or Jupyter fails, saying what to do.
 */
export async function jupyter(options: readonly string[], onUrl: (url: string) => void): Promise<string> {
  const python = findPython(NOTEBOOK_MODULES);
  const missing = missingPieces(python);
  if (python === undefined || missing.length > 0) {
    throw new UsageError(`cannot open the notebooks, missing:\n${missing.map((line) => `  - ${line}`).join('\n')}`);
  }
  try {
    installKernel(python, KERNEL_PREFIX);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const jupyterPath = [join(KERNEL_PREFIX, 'share', 'jupyter'), process.env.JUPYTER_PATH].filter(Boolean).join(delimiter);
  // Jupyter logs a token it was given as "token=...": convlab chooses it (unless told one) to print the whole address.
  const given = options.find((option) => option.startsWith(TOKEN_OPTION));
  const token = given?.slice(TOKEN_OPTION.length) ?? randomBytes(24).toString('hex');
  const server = spawn(python, ['-m', 'notebook', ...options, ...(given ? [] : [`${TOKEN_OPTION}${token}`])], {
    cwd: projectPath('notebooks'), env: { ...process.env, JUPYTER_PATH: jupyterPath }, stdio: ['inherit', 'pipe', 'pipe'],
  });
  let log = '';
  let announced = false;
  const follow = (chunk: Buffer): void => {
    process.stderr.write(chunk);
    log = (log + chunk.toString()).slice(-20_000);
    // Only complete lines: an address split between two chunks must not be announced half-way.
    const url = announced ? null : SERVER_URL.exec(log.slice(0, log.lastIndexOf('\n') + 1));
    if (url) {
      announced = true;
      onUrl(url[0].replace(/token=\.\.\.$/, `token=${token}`));
    }
  };
  server.stdout.on('data', follow);
  server.stderr.on('data', follow);
  // Ctrl+C reaches Jupyter too, which asks whether to stop: convlab waits for its answer instead of dying first.
  // A SIGTERM reaches convlab alone: it passes it on, so that no Jupyter is left serving without it.
  const ignoreInterrupt = (): void => {};
  const passTerminate = (): void => { server.kill('SIGTERM'); };
  process.on('SIGINT', ignoreInterrupt);
  process.on('SIGTERM', passTerminate);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    server.on('error', reject);
    server.on('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
  }).finally(() => {
    process.off('SIGINT', ignoreInterrupt);
    process.off('SIGTERM', passTerminate);
  });
  if (code === 0 || signal === 'SIGINT' || signal === 'SIGTERM') return 'Jupyter stopped';
  if (log.includes(ROOT_REFUSAL) && !options.includes(ROOT_REFUSAL)) {
    throw new UsageError('Jupyter refuses to run as root; to run it anyway: npm run jupyter -- --allow-root');
  }
  const lastLine = log.trim().split('\n').pop() ?? '';
  throw new UsageError(`jupyter notebook failed (exit code ${code ?? signal}): ${lastLine}`);
}
