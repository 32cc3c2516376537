import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { plotCurves } from '../../src/display';

const JUPYTER = '/usr/bin/jupyter';
const PROJECT_ROOT = join(__dirname, '..', '..');

interface Output {
  output_type: string;
  text?: string | string[];
  data?: Record<string, string | string[]>;
}

const CURVES = { loss: [0.9, 0.5, 0.3], val_loss: [1, 0.7, 0.6] };

/** Each cell ends with a helper call as its last expression, the way learners write it. */
const CELLS = [
  `await plotCurves(${JSON.stringify(CURVES)})`,
  'showTable([{ model: "lenet", acc: 0.98 }])',
  'trainingProgress({ epochs: 3 })',
];

/** Runs the cells on the installed tslab kernel with `jupyter nbconvert --execute`; returns each cell's outputs. */
function executeOnTslab(sources: string[]): Output[][] {
  const dir = mkdtempSync(join(tmpdir(), 'convlab-display-'));
  // The notebook imports the compiled kit as course notebooks do.
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(dir, 'node_modules'));
  symlinkSync(join(PROJECT_ROOT, 'dist'), join(dir, 'dist'));
  const cells = [`import { plotCurves, showTable, trainingProgress } from "./dist/src";`, ...sources].map((source, i) => ({
    cell_type: 'code', execution_count: null, id: `cell-${i}`, metadata: {}, outputs: [], source,
  }));
  const notebook = { cells, metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } }, nbformat: 4, nbformat_minor: 5 };
  writeFileSync(join(dir, 'cells.ipynb'), JSON.stringify(notebook));
  const run = spawnSync(JUPYTER, ['nbconvert', '--to', 'notebook', '--execute', '--output', 'executed.ipynb', 'cells.ipynb'], { cwd: dir, encoding: 'utf8' });
  expect(run.status, run.stderr).to.equal(0);
  const executed = JSON.parse(readFileSync(join(dir, 'executed.ipynb'), 'utf8')) as { cells: { outputs: Output[] }[] };
  return executed.cells.slice(1).map((cell) => cell.outputs);
}

const joined = (text: string | string[] | undefined) => (Array.isArray(text) ? text.join('') : text ?? '');

describe('display helpers as the last expression of a tslab cell', () => {
  it('print one short line under the output, not the SVG or HTML source', async function () {
    if (!existsSync(JUPYTER) || !existsSync(join(PROJECT_ROOT, 'dist', 'src', 'index.js'))) this.skip(); // reason: needs Jupyter and the built kit (npm run build)
    const outputs = executeOnTslab(CELLS);
    const printed = outputs.map((cell) => cell.filter((output) => output.output_type === 'stream').map((output) => joined(output.text)).join(''));
    const chart = await plotCurves(CURVES);
    expect(inspect(chart)).to.match(/^line chart shown \(SVG, \d+\.\d kB\)$/);
    expect(printed).to.deep.equal([`${inspect(chart)}\n`, 'table shown (HTML, 143 B)\n', 'training progress (0/3 epochs)\n']);
    const [shownChart] = outputs[0].filter((output) => output.output_type === 'display_data');
    expect(joined(shownChart.data?.['image/svg+xml'])).to.equal(chart.content);
  });
});
