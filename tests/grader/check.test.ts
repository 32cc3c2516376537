import { expect } from 'chai';
import { join } from 'node:path';
import { convlab, tempDir, TINY, tinyReleased, withSource, writeFile } from '../support/helpers';

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
});
