import { existsSync } from 'node:fs';
import { execa } from 'execa';
import { UsageError } from '../errors';
import { projectPath } from '../paths';

/** Pythons to try for Jupyter, best first: Debian's has jupyter installed system-wide. */
const PYTHON_CANDIDATES = ['/usr/bin/python3', 'python3'];

async function pythonWithJupyter(): Promise<string | undefined> {
  for (const python of PYTHON_CANDIDATES) {
    const probe = await execa(python, ['-c', 'import notebook, jupyter_client'], { reject: false });
    if (probe.exitCode === 0) return python;
  }
  return undefined;
}

/** `convlab jupyter`: installs the tslab kernelspec and runs `jupyter notebook` in notebooks/ until it exits. */
export async function jupyter(): Promise<string> {
  const python = await pythonWithJupyter();
  if (python === undefined) {
    throw new UsageError(`Jupyter is missing: none of ${PYTHON_CANDIDATES.join(', ')} can import notebook and jupyter_client (Debian: apt install jupyter-notebook)`);
  }
  const tslab = projectPath('node_modules', '.bin', 'tslab');
  if (!existsSync(tslab)) throw new UsageError(`tslab is missing: ${tslab} does not exist (run npm install)`);
  const notebooks = projectPath('notebooks');
  if (!existsSync(notebooks)) throw new UsageError(`${notebooks} does not exist (run convlab release)`);
  await execa(tslab, ['install', `--python=${python}`], { stdio: 'inherit' });
  const server = await execa(python, ['-m', 'notebook'], { cwd: notebooks, stdio: 'inherit', reject: false });
  return `jupyter notebook exited (${server.exitCode ?? server.signal})`;
}
