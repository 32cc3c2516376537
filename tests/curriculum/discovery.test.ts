/**
 * Every assignment of the course reaches the places instructors and learners see it by discovery, without a list to
 * keep up to date: `convlab list`, the Gradescope autograder and the learner bundle.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { PROJECT_ROOT } from '../../grader/paths';
import { unzip } from '../grader/gradescope/unzip';
import { convlab, tempDir } from '../support/helpers';

const ASSIGNMENTS = readdirSync(join(PROJECT_ROOT, 'solutions'))
  .filter((file) => /^\d\d-[a-z0-9-]+\.ipynb$/.test(file))
  .map((file) => file.replace(/\.ipynb$/, ''));

describe('every assignment of the course', function () {
  this.timeout(60_000);

  it('is listed by convlab list with its hidden tests', async () => {
    const result = await convlab(['list']);
    expect(result.exitCode, result.stderr).to.equal(0);
    const listed = [...result.stdout.matchAll(/^(\d\d-[a-z0-9-]+): (\d+) hidden tests?, \d+ pts?$/gm)].map((match) => match[1]);
    expect(listed).to.have.members(ASSIGNMENTS);
  });

  it('is shipped in the learner bundle', async () => {
    const bundle = join(tempDir(), 'course');
    const result = await convlab(['release', '--student', bundle]);
    expect(result.exitCode, result.stderr).to.equal(0);
    expect(ASSIGNMENTS.filter((name) => !existsSync(join(bundle, 'notebooks', `${name}.ipynb`)))).to.deep.equal([]);
  });

  for (const name of ASSIGNMENTS) {
    it(`packages ${name} for Gradescope with its released notebook, hidden tests and compiled cells`, async function () {
      this.timeout(180_000); // the release's and the solution's cells are compiled for the shipped cache
      const out = join(tempDir(), 'autograder.zip');
      const built = await convlab(['gradescope', '--assignment', name, '--out', out, '--root', PROJECT_ROOT]);
      expect(built.exitCode, built.stderr).to.equal(0);
      const names = (await unzip(out)).map((entry) => entry.name);
      expect(names).to.include(`course/notebooks/${name}.ipynb`);
      expect(names.filter((entry) => entry.startsWith('course/compiled/'))).to.not.be.empty;
      expect(names.filter((entry) => entry.startsWith(`course/grader/tests/${name}/`) && /\.spec\.[jt]s$/.test(entry))).to.not.be.empty;
    });
  }
});
