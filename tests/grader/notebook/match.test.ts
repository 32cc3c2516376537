import { expect } from 'chai';
import { assignmentOf, matchCells } from '../../../grader/notebook/match';
import type { Cell, Notebook } from '../../../grader/notebook/types';
import { upgradeNotebook } from '../../../grader/notebook/upgrade';
import { notebookProblems } from '../../../grader/notebook/validate';
import { TINY, tinyReleased, tinySolution } from '../../support/helpers';

const released = tinyReleased().cells;
const stripped = (cells: readonly Cell[]): Cell[] => cells.map(({ id: _id, ...cell }) => ({ ...cell, metadata: {} }) as Cell);
const summary = (matches: ReturnType<typeof matchCells>) => matches.map((match) => (match ? `${released[match.released]!.id}:${match.by}` : '-'));

describe('matching a learner\'s cells to the release', () => {
  it('matches by grade_id first', () => {
    expect(summary(matchCells(tinySolution().cells, released, { byCellId: true }))).to.deep.equal(
      ['intro', 'imports', 'double', 'sum-tensor', 'check-double', 'demo'].map((id) => `${id}:grade-id`));
  });

  it('matches by cell id when the nbgrader metadata is gone', () => {
    const cells = tinySolution().cells.map((cell) => ({ ...cell, metadata: {} }));
    expect(summary(matchCells(cells, released, { byCellId: true }))[2]).to.equal('double:cell-id');
  });

  it('without ids or metadata: locked cells by checksum, exercises by position and shared lines, extra cells left alone', () => {
    const cells = stripped(tinySolution().cells);
    const extra: Cell = { cell_type: 'code', metadata: {}, source: 'const scratch = 1;', outputs: [], execution_count: null };
    cells.splice(3, 0, extra);
    expect(summary(matchCells(cells, released, { byCellId: false }))).to.deep.equal([
      'intro:checksum', 'imports:checksum', 'double:position', '-', 'sum-tensor:position', 'check-double:checksum', 'demo:checksum',
    ]);
  });

  it('does not take made-up ids of an upgraded notebook for released ones', () => {
    const cells = stripped(tinySolution().cells).map((cell, index) => ({ ...cell, id: released[(index + 1) % released.length]!.id }));
    expect(summary(matchCells(cells, released, { byCellId: false })).filter((match) => match.endsWith(':cell-id'))).to.deep.equal([]);
  });
});

describe('the assignment a notebook belongs to', () => {
  const other: Notebook = { ...tinyReleased(), metadata: { ...tinyReleased().metadata, convlab: { assignment: '01-other' } }, cells: tinyReleased().cells.slice(0, 1) };
  const releases = new Map([[TINY, tinyReleased()], ['01-other', other]]);
  const anonymous = (notebook: Notebook): Notebook => ({ ...notebook, metadata: { ...notebook.metadata, convlab: {} } });

  it('is what its metadata says', () => expect(assignmentOf(tinySolution(), new Map())).to.equal(TINY));
  it('else the release sharing the most locked cells', () => expect(assignmentOf(anonymous(tinySolution()), releases)).to.equal(TINY));
  it('else nobody knows', () => expect(assignmentOf(anonymous({ ...tinySolution(), cells: [] }), releases)).to.equal(undefined));
});

describe('upgrading older nbformat 4 notebooks', () => {
  it('numbers the cells of a 4.4 notebook and makes it valid 4.5', () => {
    const old = { ...tinySolution(), nbformat_minor: 4, cells: stripped(tinySolution().cells) };
    expect(notebookProblems(old)).to.not.deep.equal([]);
    const { notebook, upgradedFrom } = upgradeNotebook(old);
    expect(upgradedFrom).to.equal('4.4');
    expect((notebook as Notebook).cells.map((cell) => cell.id)).to.deep.equal(['cell-1', 'cell-2', 'cell-3', 'cell-4', 'cell-5', 'cell-6']);
    expect(notebookProblems(notebook)).to.deep.equal([]);
  });

  it('leaves 4.5 and other formats to validation', () => {
    for (const value of [tinySolution(), { nbformat: 3, nbformat_minor: 0 }, [], 'text']) expect(upgradeNotebook(value)).to.deep.equal({ notebook: value });
  });
});
