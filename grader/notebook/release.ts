import { cellChecksum } from './checksum';
import { cellSource, gradeIdOf, type Cell, type Notebook } from './types';

export const BEGIN_SOLUTION = '// BEGIN SOLUTION';
export const END_SOLUTION = '// END SOLUTION';

/** The code a learner finds in place of a solution region; it compiles and fails clearly when called. */
export function solutionStub(indent: string, gradeId: string): string {
  return `${indent}// YOUR CODE HERE\n${indent}throw new Error("Not implemented: ${gradeId}");`;
}

/**
 * Replaces every `// BEGIN SOLUTION` … `// END SOLUTION` region (markers included) with the stub, indented like the
 * markers. Throws, naming the cell and line, when markers are unbalanced or differently indented.
 */
export function stripSolutions(source: string, gradeId: string): string {
  const out: string[] = [];
  let open: { indent: string; line: number } | undefined;
  source.split('\n').forEach((line, index) => {
    const marker = line.trim();
    const indent = line.slice(0, line.length - line.trimStart().length);
    if (marker === BEGIN_SOLUTION) {
      if (open) throw new Error(`cell "${gradeId}" line ${index + 1}: ${BEGIN_SOLUTION} inside another solution region`);
      open = { indent, line: index + 1 };
    } else if (marker === END_SOLUTION) {
      if (!open) throw new Error(`cell "${gradeId}" line ${index + 1}: ${END_SOLUTION} without ${BEGIN_SOLUTION}`);
      if (indent !== open.indent) {
        throw new Error(`cell "${gradeId}" line ${index + 1}: ${END_SOLUTION} is not indented like its ${BEGIN_SOLUTION} (line ${open.line})`);
      }
      out.push(solutionStub(open.indent, gradeId));
      open = undefined;
    } else if (!open) {
      out.push(line);
    }
  });
  if (open) throw new Error(`cell "${gradeId}" line ${open.line}: ${BEGIN_SOLUTION} is never closed`);
  return out.join('\n');
}

/** The learner's version of one solution cell: stubbed, outputs cleared, locked cells checksummed. */
export function releaseCell(cell: Cell, position: number): Cell {
  const gradeId = gradeIdOf(cell) ?? `cell-${position + 1}`;
  const source = cellSource(cell);
  const stripped = source.includes(BEGIN_SOLUTION) || source.includes(END_SOLUTION) ? stripSolutions(source, gradeId) : source;
  const released: Cell = cell.cell_type === 'code'
    ? { ...cell, source: stripped, outputs: [], execution_count: null }
    : { ...cell, source: stripped };
  const nbgrader = cell.metadata.nbgrader;
  if (!nbgrader?.locked) return released;
  return { ...released, metadata: { ...released.metadata, nbgrader: { ...nbgrader, checksum: cellChecksum(released) } } };
}

/** The learner notebook derived from a solution notebook (pure: same input, same output). */
export function releaseNotebook(solution: Notebook): Notebook {
  return { ...solution, cells: solution.cells.map(releaseCell) };
}
