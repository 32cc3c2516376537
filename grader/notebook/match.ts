import { cellChecksum } from './checksum';
import { cellSource, gradeIdOf, type Cell, type Notebook } from './types';

/** How a learner's cell was matched to a released cell, strongest first. */
export type MatchedBy = 'grade-id' | 'cell-id' | 'checksum' | 'position';

export interface CellMatch {
  /** index in the released notebook */
  readonly released: number;
  readonly by: MatchedBy;
}

/** Lines that say something about a cell (not `}` or the stub's comment): what position matching compares. */
function telling(source: string): Set<string> {
  return new Set(source.split('\n').map((line) => line.trim()).filter((line) => line.length >= 6 && line !== '// YOUR CODE HERE'));
}

const gradeIdAndCellId = (cell: Cell): string | undefined =>
  (gradeIdOf(cell) === undefined || cell.id === undefined ? undefined : JSON.stringify([gradeIdOf(cell), cell.id]));

const shared = (a: Set<string>, b: Set<string>): number => [...a].filter((line) => b.has(line)).length;

/**
 * Matches each learner cell to at most one released cell: by nbgrader grade_id (a cell that also has the released
 * cell's id first), then by cell id (unless the ids were made up by an upgrade), then by the checksum of a locked
 * cell's source, and last an unmatched released cell to an unmatched learner cell without nbgrader metadata that sits
 * between the same matched neighbours and shares lines with it (an exercise whose metadata another editor stripped).
 * Returns one entry per learner cell.
 */
export function matchCells(learner: readonly Cell[], released: readonly Cell[], options: { byCellId: boolean }): (CellMatch | undefined)[] {
  const matches: (CellMatch | undefined)[] = learner.map(() => undefined);
  const taken = new Set<number>();
  const pass = (by: MatchedBy, keyOfReleased: (cell: Cell) => string | undefined, keyOfLearner: (cell: Cell) => string | undefined): void => {
    const index = new Map<string, number>();
    released.forEach((cell, position) => {
      const key = keyOfReleased(cell);
      if (key !== undefined && !taken.has(position) && !index.has(key)) index.set(key, position);
    });
    learner.forEach((cell, position) => {
      if (matches[position]) return;
      const key = keyOfLearner(cell);
      const target = key === undefined ? undefined : index.get(key);
      if (target === undefined || taken.has(target)) return;
      taken.add(target);
      matches[position] = { released: target, by };
    });
  };
  // A copy of a cell (its grade_id with it) must not take the place of the released cell it copies, wherever it sits.
  if (options.byCellId) pass('grade-id', gradeIdAndCellId, gradeIdAndCellId);
  pass('grade-id', gradeIdOf, gradeIdOf);
  if (options.byCellId) pass('cell-id', (cell) => cell.id, (cell) => cell.id);
  pass('checksum', (cell) => (cell.metadata.nbgrader?.locked ? cell.metadata.nbgrader.checksum : undefined), cellChecksum);
  matchByPosition(learner, released, matches, taken);
  return matches;
}

function matchByPosition(learner: readonly Cell[], released: readonly Cell[], matches: (CellMatch | undefined)[], taken: Set<number>): void {
  const learnerAt = new Map<number, number>();
  matches.forEach((match, position) => { if (match) learnerAt.set(match.released, position); });
  released.forEach((cell, position) => {
    if (taken.has(position)) return;
    const before = Math.max(-1, ...[...learnerAt].filter(([at]) => at < position).map(([, learnerPosition]) => learnerPosition));
    const after = Math.min(learner.length, ...[...learnerAt].filter(([at]) => at > position).map(([, learnerPosition]) => learnerPosition));
    const lines = telling(cellSource(cell));
    let best: { position: number; score: number } | undefined;
    for (let candidate = before + 1; candidate < after; candidate += 1) {
      const other = learner[candidate]!;
      if (matches[candidate] || other.cell_type !== cell.cell_type || other.metadata.nbgrader !== undefined) continue;
      const score = shared(lines, telling(cellSource(other)));
      if (score > 0 && (!best || score > best.score)) best = { position: candidate, score };
    }
    if (!best) return;
    taken.add(position);
    learnerAt.set(position, best.position);
    matches[best.position] = { released: position, by: 'position' };
  });
}

/**
 * The assignment a notebook belongs to: what its `metadata.convlab.assignment` says, else the released notebook
 * sharing the most locked cells with it (by checksum); undefined when nothing tells.
 */
export function assignmentOf(notebook: Notebook, releases: ReadonlyMap<string, Notebook>): string | undefined {
  const claimed = notebook.metadata?.convlab?.assignment;
  if (typeof claimed === 'string' && claimed !== '') return claimed;
  const checksums = new Set((notebook.cells ?? []).map((cell) => cellChecksum(cell)));
  let best: { name: string; count: number } | undefined;
  let tied = false;
  for (const [name, release] of releases) {
    const count = release.cells.filter((cell) => cell.metadata.nbgrader?.locked && checksums.has(cell.metadata.nbgrader.checksum ?? '')).length;
    if (count === 0 || (best && count < best.count)) continue;
    tied = best !== undefined && count === best.count;
    if (!tied) best = { name, count };
  }
  return tied ? undefined : best?.name;
}
