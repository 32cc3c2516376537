import { expect } from 'chai';
import { join } from 'node:path';
import { convlab, tempDir, TINY, tinyReleased, tinySolution, withSource, writeFile } from '../support/helpers';

describe('convlab check', () => {
  it('names the error of a failed cell and of a check cell that could not run, never an empty object', async () => {
    let notebook = withSource(tinyReleased(), 'sum-tensor', 'throw new RangeError("sumTensor broke");');
    notebook = withSource(notebook, 'double', 'const unrelated = 1;');
    const path = writeFile(join(tempDir(), `${TINY}.ipynb`), notebook);
    const result = await convlab(['check', path]);
    expect(result).to.deep.include({ exitCode: 1, stderr: '' });
    expect(result.stdout).to.not.include('{}');
    expect(result.stdout.split('\n').slice(1)).to.deep.equal([
      '✗ check-double (cell 5)',
      "    ! 2:36 - Cannot find name 'double'.",
      '! cell 4 (sum-tensor) failed: RangeError: sumTensor broke',
      '',
    ]);
  });

  it("runs the kit's charts in the sandbox (grading shows them empty, never loading Vega, which adds to Set.prototype)", async () => {
    const path = writeFile(join(tempDir(), `${TINY}.ipynb`), withSource(tinySolution(), 'imports',
      'import * as tf from "@tensorflow/tfjs";\nimport { selfCheck, expect, plotBars } from "../dist/src";\n'
      + 'import { plotXY } from "../dist/src/display/xy-chart";\n'
      + 'await plotBars({ a: 1, b: 2 });\nawait plotXY({ line: { x: [0, 1], y: [1, 0] } });'));
    const result = await convlab(['check', path]);
    expect(result.stdout).to.not.include('failed');
    expect(result).to.deep.include({ exitCode: 0, stderr: '' });
  });
});
