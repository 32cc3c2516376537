/**
 * `npm run kernel [-- --python <python>] [-- --prefix <dir>]`: installs the TypeScript kernel this course's notebooks
 * use into Jupyter. Without --python it finds a Python that has Jupyter.
 */
import { parseArgs } from 'node:util';
import { findPython, installKernel, KERNEL_MODULES, PYTHON_CANDIDATES, canImport } from './kernelspec';

function main(args: string[]): number {
  let options: { python?: string; prefix?: string };
  try {
    options = parseArgs({ args, options: { python: { type: 'string' }, prefix: { type: 'string' } }, strict: true }).values;
  } catch (error) {
    console.error(`${(error as Error).message.split('. ')[0]}\nusage: npm run kernel [-- --python <python>] [--prefix <dir>]`);
    return 2;
  }
  const python = options.python ?? findPython(KERNEL_MODULES);
  if (python === undefined || !canImport(python, KERNEL_MODULES)) {
    console.error(options.python === undefined
      ? `No Python with Jupyter found (tried ${PYTHON_CANDIDATES.join(', ')}). Install Jupyter (pip install notebook, or on Debian/Ubuntu: apt install jupyter-notebook), or name its Python: npm run kernel -- --python /path/to/python3`
      : `${options.python} cannot import jupyter_client: is Jupyter installed in that Python?`);
    return 2;
  }
  try {
    console.log(`TypeScript kernel installed in ${installKernel(python, options.prefix)} (with ${python})`);
    return 0;
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
