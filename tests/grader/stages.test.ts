import { expect } from 'chai';
import type { Assignment } from '../../grader/assignment';
import type { SubmissionSource } from '../../grader/inputs/collect';
import { cellChecksum } from '../../grader/notebook/checksum';
import { serializeNotebook } from '../../grader/notebook/format';
import { cellSource, type Notebook } from '../../grader/notebook/types';
import type { GradingContext, GradingRun } from '../../grader/pipeline/context';
import { gradeSubmission, SANITIZE } from '../../grader/pipeline';
import { read } from '../../grader/pipeline/read';
import { score } from '../../grader/pipeline/score';
import { restoreLocked } from '../../grader/pipeline/restore-locked';
import { validate } from '../../grader/pipeline/validate';
import { TINY, tinyReleased, tinySolution, withCell, withSource } from '../support/helpers';

const assignment: Assignment = { name: TINY, released: tinyReleased(), specs: [], tests: [], maxScore: 0 };
const run = { assignment, force: false } as unknown as GradingRun;

const source = (text: string, label = 'alice/00-tiny.ipynb'): SubmissionSource =>
  ({ label, student: 'alice', assignment: TINY, submittedAt: new Date(0), read: async () => Buffer.from(text) });

/** The sanitize stages in order, stopping at the first that finds the submission invalid. */
async function sanitize(text: string, label?: string): Promise<GradingContext> {
  let context: GradingContext = { run, source: source(text, label), startedAt: 0 };
  for (const stage of [read, validate, restoreLocked]) {
    if (context.invalid !== undefined) break;
    context = await stage.run(context);
  }
  return context;
}

const json = (notebook: unknown): string => JSON.stringify(notebook);
const python = { ...tinySolution(), metadata: { ...tinySolution().metadata, kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' }, language_info: { name: 'python' } } };

describe('sanitize stages: invalid submissions', () => {
  const cases: ReadonlyArray<{ name: string; text: string; label?: string; error: string }> = [
    { name: 'text that is not JSON', text: '{"cells": [', error: 'not valid JSON (Unexpected end of JSON input)' },
    { name: 'a JSON array', text: '[]', error: 'not a notebook (the JSON is not an object)' },
    { name: 'an nbformat 2 notebook', text: json({ nbformat: 2, nbformat_minor: 0, metadata: {}, worksheets: [] }), error: 'nbformat 2 is not supported (convlab reads nbformat 4)' },
    { name: 'a notebook without metadata (schema)', text: json({ nbformat: 4, nbformat_minor: 5, cells: [] }), error: "the notebook must have required property 'metadata'" },
    { name: 'a Python notebook', text: json(python), error: 'kernel language "python" is not typescript (convlab notebooks run on the tslab kernel)' },
    {
      name: 'a notebook of another assignment (by its metadata), saying which it is',
      text: json({ ...tinySolution(), metadata: { ...tinySolution().metadata, convlab: { assignment: '01-conv-arithmetic' } } }),
      error: 'this notebook is assignment 01-conv-arithmetic, not 00-tiny: submit your 00-tiny notebook',
    },
    {
      name: 'a notebook none of whose cells match the release',
      text: json({ ...tinySolution(), cells: [{ cell_type: 'code', id: 'mine', metadata: {}, source: 'const x = 1;', outputs: [], execution_count: null }] }),
      error: "none of this notebook's cells belong to assignment 00-tiny: start again from the released 00-tiny notebook and copy your code into it",
    },
    { name: 'a file that is not a notebook', text: 'hello', label: 'class.zip:README.txt', error: 'not a notebook: "class.zip:README.txt" is not an .ipynb file' },
  ];
  for (const { name, text, label, error } of cases) {
    it(`rejects ${name}`, async () => expect((await sanitize(text, label)).invalid).to.equal(error));
  }

  it('names the assignment a notebook without convlab metadata belongs to, from its locked cells', async () => {
    const intro = tinyReleased().cells.find((cell) => cell.id === 'intro')!;
    const otherRelease: Notebook = { ...tinyReleased(), cells: [...tinyReleased().cells.filter((cell) => cell.metadata.nbgrader?.locked), { ...intro, id: 'more', metadata: { nbgrader: { ...intro.metadata.nbgrader!, grade_id: 'more' } } }] };
    // This course's release shares fewer locked cells with the notebook than the other assignment's does.
    const thisRelease: Notebook = { ...tinyReleased(), cells: tinyReleased().cells.filter((cell) => cell.id !== 'demo' && cell.id !== 'check-double') };
    const lost: Notebook = { ...tinySolution(), metadata: { ...tinySolution().metadata, convlab: {} } };
    const withOther = { ...run, assignment: { ...assignment, released: thisRelease }, otherReleases: new Map([['01-other', otherRelease]]) };
    let context: GradingContext = { run: withOther, source: source(json(lost)), startedAt: 0 };
    for (const stage of SANITIZE) context = await stage.run(context);
    expect(context.invalid).to.equal('this notebook is assignment 01-other, not 00-tiny: submit your 00-tiny notebook');
  });

  it('turns an archive entry refused while reading into an invalid result with every test at zero', async () => {
    const reason = 'refused archive entry "../x.ipynb": path leaves the archive ("..")';
    const refused: SubmissionSource = { ...source(''), read: () => Promise.reject(new Error(reason)) };
    const withTests = { ...run, assignment: { ...assignment, tests: [{ name: 'a › b', points: 2 }], maxScore: 2 } };
    const result = await gradeSubmission(withTests, refused, [...SANITIZE, score]);
    expect(result).to.deep.include({ status: 'invalid', error: reason, student: 'alice' });
    expect(result.tests).to.deep.equal([
      { name: 'a › b', status: 'error', score: 0, maxScore: 2, message: reason, feedback: `Not run: ${reason}` },
    ]);
  });
});

describe('sanitize stages: valid submissions', () => {
  it('hashes the bytes and keeps an untouched notebook as it is', async () => {
    const context = await sanitize(serializeNotebook(tinySolution()));
    expect(context.invalid).to.equal(undefined);
    expect(context.contentHash).to.match(/^[0-9a-f]{64}$/);
    expect(context.restoredCells).to.deep.equal([]);
  });

  it('restores edited locked cells from the release and lists them, keeping the exercises', async () => {
    let notebook: Notebook = withSource(tinySolution(), 'check-double', 'console.log("all good");');
    notebook = withSource(notebook, 'imports', 'import * as tf from "@tensorflow/tfjs";');
    notebook = withSource(notebook, 'double', 'function double(n: number): number { return n + n; }');
    const context = await sanitize(serializeNotebook(notebook));
    expect(context.restoredCells).to.deep.equal(['imports', 'check-double']);
    const byId = new Map(context.notebook!.cells.map((cell) => [cell.id, cellSource(cell)]));
    const released = new Map(tinyReleased().cells.map((cell) => [cell.id, cellSource(cell)]));
    expect(byId.get('check-double')).to.equal(released.get('check-double'));
    expect(byId.get('imports')).to.equal(released.get('imports'));
    expect(byId.get('double')).to.equal('function double(n: number): number { return n + n; }');
  });

  it('re-inserts deleted locked and exercise cells at their place, the exercise as its stub, and lists them', async () => {
    const kept = tinySolution().cells.filter((cell) => !['intro', 'imports', 'sum-tensor'].includes(cell.id!));
    const context = await sanitize(json({ ...tinySolution(), cells: kept }));
    expect(context.invalid).to.equal(undefined);
    expect(context.reinsertedCells).to.deep.equal(['intro', 'imports', 'sum-tensor']);
    expect(context.notebook!.cells.map((cell) => cell.id)).to.deep.equal(tinySolution().cells.map((cell) => cell.id));
    const stub = context.notebook!.cells.find((cell) => cell.id === 'sum-tensor')!;
    expect(cellSource(stub)).to.include('throw new Error("Not implemented: sum-tensor")');
    expect(context.repairs).to.deep.equal(['Your notebook had no sum-tensor exercise cell; the starting code was put in its place, so the tests that need it fail.']);
  });

  it('does not count line endings and trailing spaces as tampering', async () => {
    const notebook = withCell(tinySolution(), 'imports', (cell) => ({ ...cell, source: `${cellSource(cell).replace(/\n/g, '  \r\n')}\n\n` }));
    const edited = notebook.cells.find((cell) => cell.id === 'imports')!;
    expect(cellChecksum(edited)).to.equal(tinyReleased().cells.find((cell) => cell.id === 'imports')!.metadata.nbgrader!.checksum);
    expect((await sanitize(serializeNotebook(notebook))).restoredCells).to.deep.equal([]);
  });
});
