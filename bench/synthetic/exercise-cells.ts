/**
 * Seeded synthetic exercise cells for the benchmark and the report tests: each learner's cell is a function written
 * from a small random grammar (so independent learners differ as real ones do), and a few planted pairs where one
 * learner's cell is another's with every name changed, comments added and lines re-indented.
 */
import { seededRandom } from '../../src/core/random';
import type { LearnerSource } from '../../grader/similarity/compare';

export interface SyntheticSources {
  /** exercise grade_id → every learner's cell */
  readonly exercises: ReadonlyMap<string, readonly LearnerSource[]>;
  /** exercise grade_id → starter code */
  readonly starters: ReadonlyMap<string, string>;
  /** the planted pairs, as [exercise, copied-from, copier] */
  readonly planted: readonly (readonly [exercise: string, from: string, to: string])[];
}

const NAMES = ['total', 'count', 'best', 'index', 'value', 'scale', 'offset', 'width', 'height', 'limit', 'step', 'acc'];
const CALLS = ['Math.max', 'Math.min', 'Math.abs', 'Math.floor', 'Math.sqrt'];
const OPERATORS = ['+', '-', '*', '/', '%'];
const COMPARISONS = ['<', '>', '<=', '>=', '===', '!=='];

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

function expression(random: Random, names: readonly string[], depth = 0): string {
  const roll = random();
  if (depth > 1 || roll < 0.35) return random() < 0.6 ? pick(random, names) : String(Math.floor(random() * 10));
  if (roll < 0.55) return `${pick(random, CALLS)}(${expression(random, names, depth + 1)}, ${expression(random, names, depth + 1)})`;
  if (roll < 0.7) return `input[${expression(random, names, depth + 1)}]`;
  return `(${expression(random, names, depth + 1)} ${pick(random, OPERATORS)} ${expression(random, names, depth + 1)})`;
}

function statements(random: Random, names: string[], count: number, indent: string): string[] {
  const lines: string[] = [];
  for (let n = 0; n < count; n += 1) {
    const roll = random();
    if (roll < 0.3 || names.length < 3) {
      const name = `${pick(random, NAMES)}${names.length}`;
      lines.push(`${indent}${random() < 0.5 ? 'let' : 'const'} ${name} = ${expression(random, names)};`);
      names.push(name);
    } else if (roll < 0.5) {
      lines.push(`${indent}${pick(random, names)} ${pick(random, ['+=', '-=', '*='])} ${expression(random, names)};`);
    } else if (roll < 0.65 && indent.length < 6) {
      lines.push(`${indent}if (${expression(random, names)} ${pick(random, COMPARISONS)} ${expression(random, names)}) {`,
        ...statements(random, names, 1 + Math.floor(random() * 3), `${indent}  `), `${indent}}`);
    } else if (roll < 0.8 && indent.length < 6) {
      const index = `i${lines.length}`;
      lines.push(`${indent}for (let ${index} = 0; ${index} < input.length; ${index}++) {`,
        ...statements(random, [...names, index], 1 + Math.floor(random() * 3), `${indent}  `), `${indent}}`);
    } else {
      lines.push(`${indent}result.push(${expression(random, names)});`);
    }
  }
  return lines;
}

const starterOf = (exercise: string): string =>
  `function ${exercise}(input: number[]): number[] {\n  // YOUR CODE HERE\n  throw new Error("Not implemented: ${exercise}");\n}`;

function cell(random: Random, exercise: string): string {
  const body = statements(random, ['input'], 12 + Math.floor(random() * 14), '  ');
  return [`function ${exercise}(input: number[]): number[] {`, '  const result: number[] = [];', ...body, '  return result;', '}'].join('\n');
}

/** The same code in disguise: every declared name changed, a comment added, every line indented differently. */
function disguise(source: string, learner: number): string {
  const renamed = source.replace(/\b([a-z]+)(\d+)\b/g, (_match, word: string, digits: string) => `${word.toUpperCase()}_${learner}_${digits}`);
  return `// my own solution\n${renamed.split('\n').map((line) => `  ${line.trimStart()}`).join('\n')}`;
}

/** Cells of `learners` learners for `exercises` exercises; `plantedPairs` per exercise are disguised copies. */
export function generateSources(options: { learners: number; exercises: number; seed: number; plantedPairs: number }): SyntheticSources {
  const random = seededRandom(options.seed);
  const ids = Array.from({ length: options.learners }, (_, n) => `learner-${String(n + 1).padStart(String(options.learners).length, '0')}`);
  const exercises = new Map<string, LearnerSource[]>();
  const starters = new Map<string, string>();
  const planted: [string, string, string][] = [];
  for (let e = 0; e < options.exercises; e += 1) {
    const exercise = `exercise${e + 1}`;
    starters.set(exercise, starterOf(exercise));
    const cells = ids.map((student) => ({ student, source: cell(random, exercise) }));
    for (let p = 0; p < options.plantedPairs && 2 * p + 1 < cells.length; p += 1) {
      // learners far apart in the list, different for every exercise
      const from = (e * 7 + p * 2) % cells.length;
      const to = (from + Math.floor(cells.length / 2) + 1) % cells.length;
      cells[to] = { student: cells[to]!.student, source: disguise(cells[from]!.source, to) };
      planted.push([exercise, cells[from]!.student, cells[to]!.student]);
    }
    exercises.set(exercise, cells);
  }
  return { exercises, starters, planted };
}
