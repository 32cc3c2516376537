import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { parseNotebookJson } from '../../grader/notebook/format';
import { cellSource, type Notebook } from '../../grader/notebook/types';
import { notebookProblems } from '../../grader/notebook/validate';
import { PROJECT_ROOT, projectPath } from '../../grader/paths';
import { convlab, COURSE, readJson, runProgram, tempDir, TINY, writeFile, tinySolution } from '../support/helpers';

/** Every course notebook that exists now (curriculum authors add theirs while this suite is written). */
const COURSE_FOLDERS = ['solutions', 'notebooks', 'examples/solutions', 'examples/notebooks',
  'tests/fixtures/notebooks/course/solutions', 'tests/fixtures/notebooks/course/notebooks'];

describe('course notebooks follow the official nbformat v4.5 schema and run on tslab', () => {
  for (const folder of COURSE_FOLDERS) {
    const dir = join(PROJECT_ROOT, folder);
    const notebooks = existsSync(dir) ? readdirSync(dir).filter((file) => file.endsWith('.ipynb')) : [];
    for (const file of notebooks) {
      it(`${folder}/${file}`, () => {
        expect(notebookProblems(parseNotebookJson(readFileSync(join(dir, file), 'utf8')))).to.deep.equal([]);
      });
    }
  }
});

describe('real Jupyter and convlab run a notebook alike', function () {
  this.timeout(600_000);

  it('executes the fixture with jupyter nbconvert on the tslab kernel, printing what convlab check prints', async function () {
    if (!existsSync('/usr/bin/jupyter')) this.skip(); // reason: Jupyter is not installed (/usr/bin/jupyter is absent)
    const dir = tempDir();
    symlinkSync(projectPath('node_modules'), join(dir, 'node_modules'));
    symlinkSync(projectPath('dist'), join(dir, 'dist'));
    const notebook = writeFile(join(dir, 'notebooks', `${TINY}.ipynb`), tinySolution());
    const prefix = join(dir, 'jupyter');
    const install = await runProgram(projectPath('node_modules', '.bin', 'tslab'),
      ['install', '--python=/usr/bin/python3', `--binary=${projectPath('node_modules', '.bin', 'tslab')}`, `--prefix=${prefix}`]);
    expect(install.exitCode, install.stderr).to.equal(0);
    const executed = await runProgram('/usr/bin/jupyter', ['nbconvert', '--to', 'notebook', '--execute', '--output', 'executed.ipynb', notebook],
      { env: { JUPYTER_PATH: join(prefix, 'share', 'jupyter') } });
    expect(executed.exitCode, executed.stderr).to.equal(0);

    const result = readJson<Notebook>(join(dir, 'notebooks', 'executed.ipynb'));
    const stdout = (id: string): string => {
      const outputs = (result.cells.find((cell) => cell.id === id)!.outputs ?? []) as { output_type: string; name?: string; text?: string | string[] }[];
      return outputs.filter((output) => output.output_type === 'stream' && output.name === 'stdout').map((output) => cellSource({ source: output.text ?? '' } as never)).join('');
    };
    expect(stdout('imports')).to.equal('grading: false\n');
    expect(stdout('check-double')).to.equal('✓ double(2) is 4\n✓ double(0) is 0\n');
    expect(stdout('demo')).to.equal('sum of 1..4: 10\n');

    const check = await convlab(['check', join(COURSE, 'solutions', `${TINY}.ipynb`)]);
    expect(check).to.deep.include({ exitCode: 0 });
    expect(check.stdout).to.equal(`${join(COURSE, 'solutions', `${TINY}.ipynb`)}: 1 of 1 self-check cells pass\n`
      + '✓ check-double (cell 5)\n    ✓ double(2) is 4\n    ✓ double(0) is 0\n');
  });
});
