/** A real Jupyter Notebook server for tests: loopback only, a known token, private runtime and kernel folders. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../grader/queue/local-redis';
import { tempDir } from './helpers';

export const PYTHON = '/usr/bin/python3';
export const RUNNING_AS_ROOT = process.getuid?.() === 0;

/** Resolves with the first line of the child's output that `pattern` matches; rejects if the child exits first. */
export function waitForOutput(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const look = (chunk: Buffer): void => {
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (match) resolve(match[0]);
    };
    child.stdout?.on('data', look);
    child.stderr?.on('data', look);
    child.on('close', (code) => reject(new Error(`exited (${code}) before printing ${pattern}:\n${seen.slice(-2000)}`)));
  });
}

/** Stops a child and waits until it has exited. */
export function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.on('close', () => resolve());
    child.kill('SIGTERM');
  });
}

export interface NotebookServer {
  /** e.g. http://127.0.0.1:PORT */
  readonly base: string;
  readonly token: string;
  readonly process: ChildProcess;
  /** Everything the server printed so far: Jupyter's log and its kernels' stderr. */
  output(): string;
}

/** Starts `jupyter notebook` serving `dir`, with kernels from `jupyterPath`; resolves once it listens. */
export async function startNotebookServer(dir: string, jupyterPath: string): Promise<NotebookServer> {
  const port = await freePort();
  const token = 'convlab-learner-test';
  const args = ['-m', 'notebook', '--no-browser', '--ip=127.0.0.1', `--port=${port}`, '--port-retries=0',
    `--NotebookApp.token=${token}`, `--notebook-dir=${dir}`, ...(RUNNING_AS_ROOT ? ['--allow-root'] : [])];
  const server = spawn(PYTHON, args, {
    cwd: dir, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, JUPYTER_PATH: jupyterPath, JUPYTER_RUNTIME_DIR: join(tempDir('convlab-jupyter-runtime-'), 'runtime') },
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output += chunk.toString();
  };
  server.stdout.on('data', keep);
  server.stderr.on('data', keep);
  await waitForOutput(server, new RegExp(`http://127\\.0\\.0\\.1:${port}/`));
  return { base: `http://127.0.0.1:${port}`, token, process: server, output: () => output };
}
