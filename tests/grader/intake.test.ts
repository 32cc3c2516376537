/**
 * Tolerant intake, end to end: every harmless way a notebook's format can differ from the release still gives the
 * solution full marks, and what was repaired is listed in the learner's feedback. One grading run for all cases.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { serializeNotebook } from '../../grader/notebook/format';
import { cellSource, type Cell, type Notebook } from '../../grader/notebook/types';
import { gradeFolder, type GradedFolder } from '../support/graded-folder';
import { tempDir, TINY, tinySolution, writeFile } from '../support/helpers';

const solution = (): Notebook => tinySolution();
const without = (...ids: string[]): Notebook => ({ ...solution(), cells: solution().cells.filter((cell) => !ids.includes(cell.id!)) });
/** Saved by an older Jupyter: nbformat 4.minor, no cell ids. */
const older = (minor: number, notebook = solution()): Notebook => ({
  ...notebook, nbformat_minor: minor, cells: notebook.cells.map(({ id: _id, ...cell }) => cell as Cell),
});
/** Another editor dropped every cell's metadata. */
const stripped = (notebook = solution()): Notebook => ({ ...notebook, cells: notebook.cells.map((cell) => ({ ...cell, metadata: {} })) });
const code = (id: string, source: string): Cell => ({ cell_type: 'code', id, metadata: {}, source, outputs: [], execution_count: null });
const inserted = (at: number, ...cells: Cell[]): Notebook => {
  const all = [...solution().cells];
  all.splice(at, 0, ...cells);
  return { ...solution(), cells: all };
};
const withOutputs = (): Notebook => ({
  ...solution(),
  cells: solution().cells.map((cell, index) => (cell.cell_type !== 'code' ? cell : {
    ...cell, execution_count: index,
    outputs: [
      { output_type: 'stream', name: 'stdout', text: ['grading: false\n'] },
      { output_type: 'execute_result', execution_count: index, metadata: {}, data: { 'text/plain': ['42'] } },
    ],
  })),
});
const crlf = (): string => serializeNotebook(solution()).replace(/\\n/g, '\\r\\n');
const stringSources = (): string => JSON.stringify({ ...solution(), cells: solution().cells.map((cell) => ({ ...cell, source: cellSource(cell) })) });

const OLDER_FORMAT = (minor: number): string => `Your notebook was saved in an older format (nbformat 4.${minor}); it was converted before grading.`;
const RECOGNISED = 'cells had lost their grading information and were recognised by their id or content: intro, imports, double, sum-tensor, check-double, demo.';
const REINSERTED = (ids: string): string => `These cells were missing and were put back from the released notebook before grading: ${ids}.`;

/** learner → what they submitted, the score expected, and the notes expected in their feedback */
const CASES: Readonly<Record<string, { notebook: () => Notebook | string; score: number; notes: readonly string[] }>> = {
  'deleted-prose': { notebook: () => without('intro'), score: 5, notes: [REINSERTED('intro')] },
  'deleted-given-code': { notebook: () => without('imports'), score: 5, notes: [REINSERTED('imports')] },
  'deleted-self-check': { notebook: () => without('check-double'), score: 5, notes: [REINSERTED('check-double')] },
  'nbformat-4-0': { notebook: () => older(0), score: 5, notes: [OLDER_FORMAT(0)] },
  'nbformat-4-4': { notebook: () => older(4), score: 5, notes: [OLDER_FORMAT(4)] },
  'stripped-metadata': { notebook: () => stripped(), score: 5, notes: [`6 ${RECOGNISED}`] },
  'stripped-metadata-4-4': { notebook: () => older(4, stripped()), score: 5, notes: [OLDER_FORMAT(4), `6 ${RECOGNISED}`] },
  'string-sources': { notebook: stringSources, score: 5, notes: [] },
  crlf: { notebook: crlf, score: 5, notes: [] },
  'outputs-kept': { notebook: withOutputs, score: 5, notes: [] },
  'failing-scratch-cell': { notebook: () => inserted(3, code('scratch', 'throw new Error("just trying something");')), score: 5, notes: [] },
  'extra-cells': {
    notebook: () => inserted(2, { cell_type: 'markdown', id: 'my-notes', metadata: {}, source: '## My notes' }, code('try-it', 'const tried: number = 3;\nconsole.log(tried);')),
    score: 5, notes: [],
  },
  'deleted-exercise': {
    notebook: () => without('sum-tensor'), score: 4,
    notes: [REINSERTED('sum-tensor'), 'Your notebook had no sum-tensor exercise cell; the starting code was put in its place, so the tests that need it fail.'],
  },
};

describe('tolerant intake: harmless format differences still grade (one run, real grading)', function () {
  this.timeout(900_000);
  const dir = tempDir('convlab-intake-');
  let graded: GradedFolder;

  before(async () => {
    for (const [student, { notebook }] of Object.entries(CASES)) writeFile(join(dir, 'submissions', `${student}_${TINY}.ipynb`), notebook());
    const other: Notebook = { ...solution(), metadata: { ...solution().metadata, convlab: { assignment: '01-conv-arithmetic' } } };
    writeFile(join(dir, 'submissions', `wrong-notebook_${TINY}.ipynb`), other);
    graded = await gradeFolder(dir);
  });

  for (const [student, { score, notes }] of Object.entries(CASES)) {
    it(`${student}: ${score} / 5, ${notes.length === 0 ? 'nothing to repair' : 'repairs listed in the feedback'}`, () => {
      const result = graded.results.get(student)!;
      expect([result.status, result.score, result.error]).to.deep.equal(['graded', score, undefined]);
      expect(graded.notesOf(student)).to.deep.equal(notes);
    });
  }

  it('refuses only a notebook of another assignment, telling the learner which it is', () => {
    expect(graded.results.get('wrong-notebook')).to.deep.include({
      status: 'invalid', score: 0, error: 'this notebook is assignment 01-conv-arithmetic, not 00-tiny: submit your 00-tiny notebook',
    });
  });
});
