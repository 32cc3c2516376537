/**
 * Intake as forgiving as Jupyter: an nbformat 3 notebook is upgraded as Jupyter's nbformat upgrades it and grades as
 * its nbformat 4 twin does; metadata of the wrong type is dropped and named in the feedback instead of failing the
 * notebook. What Jupyter cannot open either (invalid JSON, non-UTF-8: malformed.test.ts) or cannot run on tslab
 * (a Python notebook, in any version) stays refused with its one-line reason.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { dropInvalidMetadata } from '../../../grader/notebook/repair';
import type { Cell, Notebook } from '../../../grader/notebook/types';
import { upgradeNotebook } from '../../../grader/notebook/upgrade';
import { gradeFolder, type GradedFolder } from '../../support/graded-folder';
import { tempDir, TINY, TINY_SUBMISSIONS, withCell, writeFile } from '../../support/helpers';
import { jupyterReadsAs4, nbformat3Of } from './nbformat3';

/** A heading line (nbformat 3 keeps it as a heading cell) and one output of every kind nbformat 3 names differently. */
function withHeadingAndOutputs(notebook: Notebook): Notebook {
  const heading: Cell = { cell_type: 'markdown', id: 'part-1', metadata: {}, source: '## Part 1' };
  const outputs = [
    { output_type: 'stream', name: 'stdout', text: 'grading: false\n' },
    { output_type: 'execute_result', execution_count: 2, metadata: {}, data: { 'text/plain': '42\n43', 'application/json': { answer: 42 } } },
    { output_type: 'display_data', metadata: {}, data: { 'image/png': 'iVBORw0KGgo=', 'text/html': '<b>hi</b>' } },
    { output_type: 'error', ename: 'Error', evalue: 'boom', traceback: ['Error: boom'] },
  ];
  const cells = notebook.cells.flatMap((cell) => (cell.id === 'imports' ? [heading, { ...cell, execution_count: 2, outputs }] : [cell]));
  return { ...notebook, cells };
}

const withMetadata = (notebook: Notebook, metadata: Record<string, unknown>): Notebook => ({ ...notebook, metadata: { ...notebook.metadata, ...metadata } });
const authorsAsText = (): Notebook => withMetadata(TINY_SUBMISSIONS.correct(), { authors: 'Ada Lovelace' });
const kernelspecWithoutDisplayName = (): Notebook => withMetadata(TINY_SUBMISSIONS.correct(), { kernelspec: { name: 'tslab', language: 'typescript' } });
const tagsAsText = (): Notebook => withCell(TINY_SUBMISSIONS.correct(), 'double', (cell) => ({ ...cell, metadata: { ...cell.metadata, tags: 'exercise' as unknown as string[] } }));
const python = (): Notebook => withMetadata(TINY_SUBMISSIONS.correct(), { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' }, language_info: { name: 'python' } });

/** Without what differs by design: the ids an upgrade makes up, and the orig_nbformat note Jupyter keeps in memory. */
function comparable(value: unknown): unknown {
  const { metadata, cells, ...rest } = value as { metadata: Record<string, unknown>; cells: Record<string, unknown>[] };
  const { orig_nbformat: _major, orig_nbformat_minor: _minor, ...kept } = metadata;
  return { ...rest, metadata: kept, cells: cells.map(({ id: _id, ...cell }) => cell) };
}

describe('intake as forgiving as Jupyter: upgrading nbformat 3, dropping malformed metadata', () => {
  it('upgrades a real nbformat 3 notebook exactly as Jupyter\'s nbformat reads it as nbformat 4 (cells, headings, outputs)', async () => {
    const v3 = await nbformat3Of(withHeadingAndOutputs(TINY_SUBMISSIONS.correct()));
    const { notebook, upgradedFrom } = upgradeNotebook(JSON.parse(v3));
    expect(upgradedFrom).to.equal('3.0');
    expect(comparable(notebook)).to.deep.equal(comparable(await jupyterReadsAs4(v3)));
    expect((notebook as Notebook).cells.map((cell) => cell.id)).to.deep.equal(['cell-1', 'cell-2', 'cell-3', 'cell-4', 'cell-5', 'cell-6', 'cell-7']);
  });

  const repairs: ReadonlyArray<[what: string, notebook: () => Notebook, dropped: string[]]> = [
    ['authors as text', authorsAsText, ['"authors" (must be array)']],
    ['a kernelspec without display_name', kernelspecWithoutDisplayName, ['"kernelspec" (must have required property \'display_name\')']],
    ['a kernelspec that is a name', () => withMetadata(TINY_SUBMISSIONS.correct(), { kernelspec: 'tslab' }), ['"kernelspec" (must be object)']],
    ['a cell\'s tags as text', tagsAsText, ['cell 3 "tags" (must be array)']],
    ['a code cell\'s scrolled and execution of the wrong type', () => withCell(TINY_SUBMISSIONS.correct(), 'imports', (cell) => ({ ...cell, metadata: { ...cell.metadata, scrolled: 'yes', execution: { 'iopub.status.busy': 1 } } })),
      ['cell 2 "scrolled" (must be equal to one of the allowed values)', 'cell 2 "execution" (/iopub.status.busy must be string)']],
  ];
  for (const [what, notebook, dropped] of repairs) {
    it(`drops ${what}, naming it`, () => {
      const repaired = dropInvalidMetadata(notebook());
      expect(repaired.dropped).to.deep.equal(dropped);
      expect(dropInvalidMetadata(repaired.notebook).dropped).to.deep.equal([]);
    });
  }

  it('leaves well-typed and unknown metadata alone, and what is not a notebook', () => {
    const notebook = withMetadata(TINY_SUBMISSIONS.correct(), { authors: [{ name: 'Ada' }], constructor: 'x', mine: 1 });
    expect(dropInvalidMetadata(notebook)).to.deep.equal({ notebook, dropped: [] });
    for (const value of [[], 'text', { nbformat: 4, nbformat_minor: 5 }]) expect(dropInvalidMetadata(value)).to.deep.equal({ notebook: value, dropped: [] });
  });
});

const OLDER_FORMAT = 'Your notebook was saved in an older format (nbformat 3.0); it was converted before grading.';
const DROPPED = (fields: string): string => `Some of your notebook's metadata was malformed and was left out before grading: ${fields}.`;

describe('intake as forgiving as Jupyter, graded (one run)', function () {
  this.timeout(900_000);
  const dir = tempDir('convlab-intake-security-');
  let graded: GradedFolder;

  /** learner → what they submitted, as notebook text */
  const submissions: Readonly<Record<string, () => Promise<string> | string>> = {
    'v4-correct': () => JSON.stringify(withHeadingAndOutputs(TINY_SUBMISSIONS.correct())),
    'v3-correct': () => nbformat3Of(withHeadingAndOutputs(TINY_SUBMISSIONS.correct())),
    'v4-wrong': () => JSON.stringify(TINY_SUBMISSIONS.wrong()),
    'v3-wrong': () => nbformat3Of(TINY_SUBMISSIONS.wrong()),
    'v3-python': () => nbformat3Of(python()),
    'authors-text': () => JSON.stringify(authorsAsText()),
    'kernelspec-partial': () => JSON.stringify(kernelspecWithoutDisplayName()),
    'tags-text': () => JSON.stringify(tagsAsText()),
  };

  before(async () => {
    for (const [student, text] of Object.entries(submissions)) writeFile(join(dir, 'submissions', `${student}_${TINY}.ipynb`), await text());
    graded = await gradeFolder(dir);
  });

  const outcome = (student: string): unknown => {
    const result = graded.results.get(student)!;
    return { status: result.status, score: result.score, error: result.error, tests: result.tests.map((test) => [test.name, test.status, test.score]) };
  };

  for (const twin of ['correct', 'wrong']) {
    it(`an nbformat 3 notebook (${twin}) grades as its nbformat 4 twin, test by test, and its feedback says it was converted`, () => {
      expect(outcome(`v3-${twin}`)).to.deep.equal(outcome(`v4-${twin}`));
      expect(graded.results.get(`v3-${twin}`)!.score).to.equal(twin === 'correct' ? 5 : 2);
      expect(graded.notesOf(`v3-${twin}`)).to.deep.equal([OLDER_FORMAT]);
    });
  }

  const repaired: ReadonlyArray<[student: string, note: string]> = [
    ['authors-text', DROPPED('"authors" (must be array)')],
    // The feedback is Markdown: its `_` is escaped.
    ['kernelspec-partial', DROPPED('"kernelspec" (must have required property \'display\\_name\')')],
    ['tags-text', DROPPED('cell 3 "tags" (must be array)')],
  ];
  for (const [student, note] of repaired) {
    it(`${student}: graded 5 / 5, the repair named in the feedback`, () => {
      expect([graded.results.get(student)!.status, graded.results.get(student)!.score]).to.deep.equal(['graded', 5]);
      expect(graded.notesOf(student)).to.deep.equal([note]);
    });
  }

  it('still refuses a Python notebook, also in nbformat 3, with its one-line reason', () => {
    expect(graded.results.get('v3-python')).to.deep.include({
      status: 'invalid', score: 0, error: 'kernel language "python" is not typescript (convlab notebooks run on the tslab kernel)',
    });
  });
});
