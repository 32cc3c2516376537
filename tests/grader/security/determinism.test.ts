/**
 * Issue 6, determinism: grading the same submission twice gives identical results, even when its code draws random
 * numbers (every sandbox child seeds Math.random, which TensorFlow.js's unseeded random ops also start from).
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { COURSE, convlab, tempDir, TINY, tinySolution, withSource, writeFile } from '../../support/helpers';

/** Wrong in a random way: the failure messages quote the random values, so two runs agree only if seeded alike. */
const RANDOM_DOUBLE = 'function double(n: number): number {\n  return n + Math.floor(Math.random() * 1_000_000);\n}';
const RANDOM_SUM = 'function sumTensor(t: tf.Tensor): number {\n  return t.sum().dataSync()[0]! + tf.randomUniform([1]).dataSync()[0]!;\n}';

describe('determinism (issue 6): two runs of the same submission', function () {
  this.timeout(600_000);

  it('give identical scores and messages, random draws included', async () => {
    const dir = tempDir('convlab-determinism-');
    const notebook = withSource(withSource(tinySolution(), 'double', RANDOM_DOUBLE), 'sum-tensor', RANDOM_SUM);
    writeFile(join(dir, 'submissions', `dice_${TINY}.ipynb`), notebook);
    const grade = (db: string) => convlab(['grade', join(dir, 'submissions'), '--assignment', TINY, '--root', COURSE, '--db', join(dir, db), '--json', '--jobs', '2']);
    const [first, second] = await Promise.all([grade('first.sqlite'), grade('second.sqlite')]);
    const tests = (stdout: string) => (JSON.parse(stdout) as { results: { score: number; tests: { status: string; message?: string }[] }[] }).results[0]!;
    expect(tests(first.stdout).tests.map((test) => test.status)).to.deep.equal(['passed', 'failed', 'failed', 'failed']);
    expect(tests(second.stdout)).to.deep.equal(tests(first.stdout));
  });
});
