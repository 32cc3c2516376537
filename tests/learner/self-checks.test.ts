import { expect } from 'chai';
import { join } from 'node:path';
import { projectPath } from '../../grader/paths';
import { convlab, readJson, tempDir, withSource, writeFile } from '../support/helpers';
import type { Notebook } from '../../grader/notebook/types';

describe('public self-checks speak to the learner', () => {
  it("quote the learner's value as actual and the right one as expected (01: TensorFlow.js agrees on stride 2)", async () => {
    // Rounds down where TensorFlow rounds up: 9 with stride 2 gives 4, TensorFlow.js gives 5.
    const roundsDown = 'function sameOutputSize(inputSize: number, stride: number): number {\n  return Math.floor(inputSize / stride);\n}';
    const notebook = withSource(readJson<Notebook>(projectPath('notebooks', '01-conv-arithmetic.ipynb')), 'same-output-size', roundsDown);
    const dir = tempDir();
    const result = await convlab(['check', writeFile(join(dir, 'notebooks', '01-conv-arithmetic.ipynb'), notebook)]);
    expect(result.stdout).to.include('    ✗ TensorFlow.js agrees on stride 2 — expected 4 to equal 5\n');
  });
});
