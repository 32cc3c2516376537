/** Real nbformat 3 notebooks, written by Jupyter's own nbformat (Debian's python3-nbformat, as the Jupyter tests use). */
import { serializeNotebook } from '../../../grader/notebook/format';
import type { Notebook } from '../../../grader/notebook/types';
import { runProgram } from '../../support/helpers';

async function python(script: string, input: string): Promise<string> {
  const result = await runProgram('/usr/bin/python3', ['-c', `import sys, json, nbformat\n${script}`], { input });
  if (result.exitCode !== 0) throw new Error(`nbformat failed: ${result.stderr}`);
  return result.stdout;
}

/** The notebook as Jupyter writes it in nbformat 3 (`nbformat.convert(nb, 3)`). */
export const nbformat3Of = (notebook: Notebook): Promise<string> =>
  python('sys.stdout.write(nbformat.writes(nbformat.convert(nbformat.reads(sys.stdin.read(), as_version=4), 3), version=3))', serializeNotebook(notebook));

/** What Jupyter reads notebook text as in nbformat 4 (`nbformat.reads(text, as_version=4)`). */
export const jupyterReadsAs4 = async (text: string): Promise<unknown> =>
  JSON.parse(await python('sys.stdout.write(json.dumps(nbformat.reads(sys.stdin.read(), as_version=4)))', text)) as unknown;
