/**
 * The tslab kernel for Jupyter, installed so that it starts without help from PATH: the kernelspec names this Node
 * and this course's own tslab by absolute path (Jupyter started from a desktop menu often has neither on PATH).
 * Used by `npm run kernel` in the learner bundle and by `convlab jupyter`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Pythons to try, best first: the one on PATH (an active virtualenv or conda env), then Debian's system Python. */
export const PYTHON_CANDIDATES: readonly string[] = ['python3', '/usr/bin/python3', 'python'];

/** The Python modules each use needs: installing a kernel needs jupyter_client; opening notebooks also needs notebook. */
export const KERNEL_MODULES: readonly string[] = ['jupyter_client'];
export const NOTEBOOK_MODULES: readonly string[] = ['notebook', 'jupyter_client'];

/** Whether `python` runs and can import every module of `modules`. */
export function canImport(python: string, modules: readonly string[]): boolean {
  const probe = spawnSync(python, ['-c', `import ${modules.join(', ')}`], { stdio: 'ignore' });
  return probe.status === 0;
}

/** The first of `candidates` that can import `modules`, or undefined. */
export function findPython(modules: readonly string[], candidates: readonly string[] = PYTHON_CANDIDATES): string | undefined {
  return candidates.find((python) => canImport(python, modules));
}

/** This course's tslab entry point (the bundle's or the project's node_modules). */
export function tslabEntry(): string {
  return join(dirname(require.resolve('tslab/package.json')), 'bin', 'tslab');
}

/**
 * The built `kernel.ts` of this course (the bundle's or the project's), also when this file runs from its source:
 * the folder above `src/` or `dist/src/` that holds package.json is the course.
 */
export function kernelEntry(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'dist', 'src', 'jupyter', 'kernel.js');
}

/** The kernel.json that starts this course's tslab (through `kernel.ts`) with this Node. */
export function kernelJson(): object {
  return {
    argv: [process.execPath, kernelEntry(), 'kernel', '--config-path', '{connection_file}'],
    display_name: 'TypeScript',
    language: 'typescript',
  };
}

// KernelSpecManager puts it where Jupyter looks: the user's data folder, or <prefix>/share/jupyter/kernels.
const INSTALL_SCRIPT = [
  'import sys',
  'from jupyter_client.kernelspec import KernelSpecManager',
  'prefix = sys.argv[2] or None',
  'print(KernelSpecManager().install_kernel_spec(sys.argv[1], "tslab", user=prefix is None, prefix=prefix))',
].join('\n');

/**
 * Installs the kernelspec named `tslab` with `python`'s jupyter_client, for the current user or under `prefix`;
 * returns the folder it was installed in. Throws with Python's last line when the install fails.
 */
export function installKernel(python: string, prefix?: string): string {
  const spec = mkdtempSync(join(tmpdir(), 'convlab-kernel-'));
  try {
    writeFileSync(join(spec, 'kernel.json'), `${JSON.stringify(kernelJson(), null, 1)}\n`);
    const install = spawnSync(python, ['-c', INSTALL_SCRIPT, spec, prefix ?? ''], { encoding: 'utf8' });
    if (install.status !== 0) {
      const why = install.error?.message ?? (install.stderr.trim().split('\n').pop() || `exit code ${install.status}`);
      throw new Error(`cannot install the TypeScript kernel with ${python}: ${why}`);
    }
    return install.stdout.trim();
  } finally {
    rmSync(spec, { recursive: true, force: true });
  }
}
