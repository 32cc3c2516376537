import { expect } from 'chai';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cellChecksum } from '../../grader/notebook/checksum';
import { serializeNotebook } from '../../grader/notebook/format';
import { releaseNotebook, stripSolutions } from '../../grader/notebook/release';
import { cellSource } from '../../grader/notebook/types';
import { convlab, copyOfCourse, tempDir, tinySolution, TINY, withSource, writeFile } from '../support/helpers';

describe('release: solution regions', () => {
  const cases: ReadonlyArray<{ name: string; source: string; released: string }> = [
    {
      name: 'replaces a region with the stub, indented like its markers',
      source: 'function f(): number {\n  // BEGIN SOLUTION\n  return 1;\n  // END SOLUTION\n}',
      released: 'function f(): number {\n  // YOUR CODE HERE\n  throw new Error("Not implemented: ex");\n}',
    },
    {
      name: 'replaces every region of a cell',
      source: '// BEGIN SOLUTION\nconst a = 1;\n// END SOLUTION\nconst b = 2;\n    // BEGIN SOLUTION\n    x();\n    // END SOLUTION',
      released: '// YOUR CODE HERE\nthrow new Error("Not implemented: ex");\nconst b = 2;\n    // YOUR CODE HERE\n    throw new Error("Not implemented: ex");',
    },
    { name: 'leaves a cell without markers alone', source: 'const given = 3;', released: 'const given = 3;' },
  ];
  for (const { name, source, released } of cases) {
    it(name, () => expect(stripSolutions(source, 'ex')).to.equal(released));
  }

  const broken: ReadonlyArray<{ name: string; source: string; error: string }> = [
    { name: 'an unclosed region', source: 'a\n// BEGIN SOLUTION\nb', error: 'cell "ex" line 2: // BEGIN SOLUTION is never closed' },
    { name: 'an END without BEGIN', source: 'a\n// END SOLUTION', error: 'cell "ex" line 2: // END SOLUTION without // BEGIN SOLUTION' },
    { name: 'a nested BEGIN', source: '// BEGIN SOLUTION\n// BEGIN SOLUTION', error: 'cell "ex" line 2: // BEGIN SOLUTION inside another solution region' },
    {
      name: 'markers indented differently', source: '  // BEGIN SOLUTION\n// END SOLUTION',
      error: 'cell "ex" line 2: // END SOLUTION is not indented like its // BEGIN SOLUTION (line 1)',
    },
  ];
  for (const { name, source, error } of broken) {
    it(`refuses ${name}`, () => expect(() => stripSolutions(source, 'ex')).to.throw(error));
  }
});

describe('release: learner notebook', () => {
  const released = releaseNotebook(tinySolution());
  const cell = (gradeId: string) => released.cells.find((c) => c.metadata.nbgrader?.grade_id === gradeId)!;

  it('stubs exercise cells with their grade_id', () => {
    expect(cellSource(cell('double'))).to.equal(
      '/** Twice `n`. */\nfunction double(n: number): number {\n  // YOUR CODE HERE\n  throw new Error("Not implemented: double");\n}');
  });

  it('puts the checksum of the released source on every locked cell, and on no other', () => {
    for (const c of released.cells) {
      expect(c.metadata.nbgrader?.checksum, c.id).to.equal(c.metadata.nbgrader?.locked ? cellChecksum(c) : undefined);
    }
  });

  it('clears outputs and execution counts of code cells', () => {
    const run = { ...tinySolution(), cells: tinySolution().cells.map((c) => (c.cell_type === 'code' ? { ...c, outputs: [{ output_type: 'stream', name: 'stdout', text: 'hi' }], execution_count: 3 } : c)) };
    for (const c of releaseNotebook(run).cells.filter((c) => c.cell_type === 'code')) {
      expect([c.outputs, c.execution_count]).to.deep.equal([[], null]);
    }
  });

  it('writes byte-identical text for the same solution, Jupyter style (1-space indent, sorted keys, trailing newline)', () => {
    const first = serializeNotebook(releaseNotebook(tinySolution()));
    expect(serializeNotebook(releaseNotebook(tinySolution()))).to.equal(first);
    expect(first.startsWith('{\n "cells": [\n  {\n   "cell_type": "markdown",\n')).to.equal(true);
    expect(first.endsWith('}\n')).to.equal(true);
  });
});

describe('convlab release', () => {
  it('--check passes on a course in sync and names each drifted notebook otherwise', async () => {
    const root = copyOfCourse();
    expect(await convlab(['release', '--check', '--root', root])).to.deep.include({ exitCode: 0, stdout: 'notebooks/ is in sync with solutions/\n' });

    writeFile(join(root, 'solutions', `${TINY}.ipynb`), withSource(tinySolution(), 'imports', 'import * as tf from "@tensorflow/tfjs";'));
    writeFile(join(root, 'notebooks', '99-gone.ipynb'), '{}');
    const drift = await convlab(['release', '--check', '--root', root]);
    expect(drift).to.deep.include({
      exitCode: 1,
      stdout: 'notebooks/ is out of sync with solutions/ (run convlab release):\n'
        + '  notebooks/00-tiny.ipynb (differs from its solution)\n  notebooks/99-gone.ipynb (no solutions/99-gone.ipynb)\n',
    });

    rmSync(join(root, 'notebooks'), { recursive: true });
    expect((await convlab(['release', '--check', '--root', root])).stdout).to.include('  notebooks/00-tiny.ipynb (missing)\n');
    expect(await convlab(['release', '--root', root])).to.deep.include({ exitCode: 0, stdout: 'released:\n  notebooks/00-tiny.ipynb\n' });
    expect((await convlab(['release', '--check', '--root', root])).exitCode).to.equal(0);
  });

  it('--student builds a bundle with released notebooks and the kit, without solutions, hidden tests or grader', async () => {
    const bundle = join(tempDir(), 'course');
    const result = await convlab(['release', '--root', copyOfCourse(), '--student', bundle]);
    expect(result.exitCode, result.stderr).to.equal(0);
    expect(readdirSync(bundle).sort()).to.deep.equal(['README.md', 'dist', 'notebooks', 'package-lock.json', 'package.json']);
    expect(readdirSync(join(bundle, 'dist')).sort()).to.deep.equal(['datasets', 'src']);
    expect(existsSync(join(bundle, 'dist', 'src', 'index.js'))).to.equal(true);
    const notebook = readFileSync(join(bundle, 'notebooks', `${TINY}.ipynb`), 'utf8');
    expect(notebook).to.include('Not implemented: double').and.not.include('BEGIN SOLUTION').and.not.include('return 2 * n');
    const manifest = JSON.parse(readFileSync(join(bundle, 'package.json'), 'utf8')) as Record<'dependencies' | 'optionalDependencies' | 'scripts', Record<string, string>>;
    expect(manifest.dependencies).to.include.keys('@tensorflow/tfjs', 'tslab', 'chai', 'yauzl');
    expect(manifest.optionalDependencies).to.have.keys('@tensorflow/tfjs-node', 'webgpu', '@tensorflow/tfjs-backend-webgpu');
    expect(manifest.dependencies).to.not.have.any.keys('mocha', 'better-sqlite3', 'execa');
    expect(manifest.scripts).to.deep.equal({ kernel: 'node dist/src/jupyter/install-kernel.js', data: 'node dist/datasets/course-data/cli.js' });
    expect(existsSync(join(bundle, 'dist', 'src', 'jupyter', 'install-kernel.js'))).to.equal(true);
  });

  it('--student refuses a folder that is not empty, quoting it', async () => {
    const dir = tempDir();
    writeFile(join(dir, 'keep.txt'), 'mine');
    expect(await convlab(['release', '--root', copyOfCourse(), '--student', dir])).to.deep.include({
      exitCode: 2, stderr: `convlab: --student "${dir}" exists and is not empty\n`,
    });
  });
});
