/**
 * Issue 6, malformed input: every broken submission gets its own `invalid` result quoting what is wrong, and the
 * valid ones beside it in the same run are graded.
 */
import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serializeNotebook } from '../../../grader/notebook/format';
import type { Notebook } from '../../../grader/notebook/types';
import { MAX_ARCHIVE_BYTES, MAX_ENTRY_BYTES } from '../../../grader/inputs/zip';
import { COURSE, convlab, makeZip, runProgram, tempDir, TINY, tinySolution, writeFile } from '../../support/helpers';
import { nbformat3Of } from './nbformat3';
import type { ResultJson } from '../../support/security-folder';

const solutionText = (): string => serializeNotebook(tinySolution());
const truncated = solutionText().slice(0, Math.floor(solutionText().length / 2));
const jsonError = (text: string): string => {
  try {
    JSON.parse(text);
    return 'parsed';
  } catch (error) {
    return (error as Error).message;
  }
};

/** A zip whose entries are `size` zero bytes each, deflated (a few kB on disk), built with Python's zipfile. */
async function zeroZip(path: string, entries: readonly string[], size: number): Promise<string> {
  const script = 'import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:\n'
    + '  for name in sys.argv[3:]: z.writestr(name, bytes(int(sys.argv[2])))';
  const result = await runProgram('/usr/bin/python3', ['-c', script, path, String(size), ...entries]);
  if (result.exitCode !== 0) throw new Error(`cannot build ${path}: ${result.stderr}`);
  return path;
}

const python = (): Notebook => ({
  ...tinySolution(),
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' }, language_info: { name: 'python' } },
});

describe('malformed submissions (issue 6): a clear per-submission error, the rest graded', function () {
  this.timeout(600_000);
  const dir = tempDir('convlab-malformed-');
  const submissions = join(dir, 'submissions');
  const at = (name: string): string => join(submissions, name);
  let results: Map<string, ResultJson>;
  let exitCode: number;

  before(async () => {
    writeFile(at(`valid_${TINY}.ipynb`), solutionText());
    writeFile(at(`string-sources_${TINY}.ipynb`), `${JSON.stringify({ ...tinySolution(), cells: tinySolution().cells.map((cell) => ({ ...cell, source: (cell.source as string[]).join('') })) })}\n`);
    writeFile(at(`invalid-json_${TINY}.ipynb`), '{"cells": [');
    writeFile(at(`truncated_${TINY}.ipynb`), truncated);
    // Jupyter opens nbformat 3 (upgrading it), so the grader does too: graded, not refused (finding 9 reversed this).
    writeFile(at(`nbformat3_${TINY}.ipynb`), await nbformat3Of(tinySolution()));
    writeFile(at(`python_${TINY}.ipynb`), python());
    mkdirSync(submissions, { recursive: true });
    writeFileSync(at(`latin1_${TINY}.ipynb`), Buffer.concat([Buffer.from(solutionText().replace('Twice', 'Deux fois')), Buffer.from([0xe9])]));
    writeFileSync(at(`huge_${TINY}.ipynb`), Buffer.alloc(200 * 1024 * 1024, 0x20));
    writeFile(at(`dup_${TINY}.ipynb`), solutionText());
    writeFile(at(join('dup', `${TINY}.ipynb`)), solutionText());
    mkdirSync(at('nobody'));
    await makeZip(at('traversal.zip'), { [`../escape_${TINY}.ipynb`]: solutionText() });
    await zeroZip(at('bomb.zip'), [`bomb_${TINY}.ipynb`], MAX_ENTRY_BYTES + 1);
    // Three zips of six 60 MiB entries each: the run's one budget admits 17 of the 18.
    for (const zip of [0, 1, 2]) await zeroZip(at(`wide-bomb-${zip}.zip`), [0, 1, 2, 3, 4, 5].map((n) => `w${zip}-${n}/${TINY}.ipynb`), 60 * 1024 * 1024);
    const run = await convlab(['grade', submissions, '--assignment', TINY, '--root', COURSE, '--db', join(dir, 'gb.sqlite'), '--json', '--jobs', '2']);
    exitCode = run.exitCode;
    results = new Map((JSON.parse(run.stdout) as { results: ResultJson[] }).results.map((result) => [result.submission, result]));
  });

  const invalid: ReadonlyArray<[what: string, submission: string, error: () => string]> = [
    ['invalid JSON', `invalid-json_${TINY}.ipynb`, () => 'not valid JSON (Unexpected end of JSON input)'],
    ['a truncated file', `truncated_${TINY}.ipynb`, () => `not valid JSON (${jsonError(truncated)})`],
    ['a Python notebook', `python_${TINY}.ipynb`, () => 'kernel language "python" is not typescript (convlab notebooks run on the tslab kernel)'],
    ['non-UTF-8 bytes', `latin1_${TINY}.ipynb`, () => 'not UTF-8 text (nbformat notebooks are UTF-8 JSON)'],
    ['a 200 MB notebook', `huge_${TINY}.ipynb`, () => `notebook too large: ${200 * 1024 * 1024} bytes (limit ${MAX_ENTRY_BYTES})`],
    ['a zip entry with "../"', `traversal.zip:../escape_${TINY}.ipynb`, () => `refused archive entry "../escape_${TINY}.ipynb": path leaves the archive ("..")`],
    ['a zip bomb entry', `bomb.zip:bomb_${TINY}.ipynb`, () => `refused archive entry "bomb_${TINY}.ipynb": ${MAX_ENTRY_BYTES + 1} bytes uncompressed (limit ${MAX_ENTRY_BYTES})`],
    ['zips whose entries add up past the run\'s cap', `wide-bomb-2.zip:w2-5/${TINY}.ipynb`, () => `refused archive entry "w2-5/${TINY}.ipynb": this run's archive entries exceed ${MAX_ARCHIVE_BYTES} bytes uncompressed in all`],
    ['one of two submissions of a student (folder)', join('dup', `${TINY}.ipynb`), () => `duplicate student id "dup": also submitted as "${at(`dup_${TINY}.ipynb`)}"`],
    ['one of two submissions of a student (file)', `dup_${TINY}.ipynb`, () => `duplicate student id "dup": also submitted as "${at(join('dup', `${TINY}.ipynb`))}"`],
    ['an empty student folder', 'nobody/', () => `empty folder: "${at('nobody')}" holds no notebook`],
  ];

  for (const [what, submission, error] of invalid) {
    it(`refuses ${what} as invalid, quoting the problem`, () => {
      const label = submission.includes('.zip:') ? at(submission) : submission.endsWith('/') ? `${at(submission.slice(0, -1))}/` : at(submission);
      const result = results.get(label);
      expect(result, `no result for ${label} among ${[...results.keys()].join(', ')}`).to.not.equal(undefined);
      expect({ status: result!.status, score: result!.score, maxScore: result!.maxScore, error: result!.error })
        .to.deep.equal({ status: 'invalid', score: 0, maxScore: 5, error: error() });
    });
  }

  it('grades the valid notebooks in the same run, with sources as lists or as strings, and in nbformat 3', () => {
    expect(exitCode).to.equal(0);
    expect([`valid_${TINY}.ipynb`, `string-sources_${TINY}.ipynb`, `nbformat3_${TINY}.ipynb`].map((name) => results.get(at(name))?.score)).to.deep.equal([5, 5, 5]);
  });
});
