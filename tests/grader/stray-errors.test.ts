import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../grader/paths';
import type { Notebook } from '../../grader/notebook/types';
import { convlab, tempDir, withSource, writeFile } from '../support/helpers';

/**
 * TensorFlow.js's wasm build installs Node listeners that rethrow any uncaught error, which made Node exit with code 7:
 * one stray timer error in a learner's cell cost the whole submission. The kit removes them once wasm has started.
 */
describe('a stray asynchronous error in a learner cell', function () {
  this.timeout(300_000);

  it('fails no more than that cell: the submission is still graded in full', async () => {
    const solution = JSON.parse(readFileSync(join(PROJECT_ROOT, 'solutions', '01-conv-arithmetic.ipynb'), 'utf8')) as Notebook;
    const cell = solution.cells.find((candidate) => candidate.metadata?.nbgrader?.grade_id === 'conv2d-params')!;
    const source = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
    const dir = tempDir();
    const notebook = writeFile(join(dir, 'alice_01-conv-arithmetic.ipynb'),
      withSource(solution, 'conv2d-params', `${source}\nsetTimeout(() => { throw new Error('stray timer error'); }, 10);\n`));
    const result = await convlab(['grade', notebook, '--db', join(dir, 'gradebook.sqlite'), '--json']);
    expect(result.exitCode, result.stderr).to.equal(0);
    const [graded] = (JSON.parse(result.stdout) as { results: { status: string; score: number; maxScore: number }[] }).results;
    expect(graded, result.stdout).to.deep.include({ status: 'graded' });
    expect(graded!.score).to.equal(graded!.maxScore);
  });
});
