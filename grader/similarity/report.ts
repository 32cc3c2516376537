/** The similarity signal of one assignment: every exercise cell compared across the cohort's current attempts. */
import type { AssignmentSources } from '../gradebook/queries';
import { compareExercise, DEFAULT_SIMILARITY, type ExerciseSimilarity, type SimilarityOptions } from './compare';

export interface SimilarityReport {
  readonly assignment: string;
  readonly options: SimilarityOptions;
  readonly exercises: readonly ExerciseSimilarity[];
}

/** Words for whoever reads the pairs: what the signal is and is not. */
export const SIMILARITY_CAVEAT = 'Pairs of exercise cells whose code is much alike once names, literals, comments and layout '
  + 'are set aside and the starter code is subtracted. This is a signal for a person to look at the two cells, not a '
  + 'finding: short exercises, shared course examples and pair work make honest code look alike.';

export function similarityReport(assignment: string, sources: AssignmentSources, options: SimilarityOptions = DEFAULT_SIMILARITY): SimilarityReport {
  const byExercise = new Map<string, { student: string; source: string }[]>();
  for (const cell of sources.cells) byExercise.set(cell.gradeId, [...(byExercise.get(cell.gradeId) ?? []), cell]);
  const exercises = [...byExercise].sort(([a], [b]) => a.localeCompare(b)).map(([exercise, learners]) =>
    compareExercise({ exercise, starter: sources.starters.get(exercise) ?? '', learners }, options));
  return { assignment, options, exercises };
}

const percent = (value: number): string => `${Math.round(value * 100)}%`;
const indent = (text: string, prefix: string): string => text.split('\n').map((line) => `${prefix}${line}`).join('\n');

/** The report as text: per exercise, the pairs above the threshold, each with its shared fragments one after the other. */
export function formatSimilarity(report: SimilarityReport): string {
  const pairs = report.exercises.flatMap((exercise) => exercise.pairs);
  const lines = [`${report.assignment}: ${pairs.length} pair${pairs.length === 1 ? '' : 's'} of exercise cells at least `
    + `${percent(report.options.threshold)} alike`, SIMILARITY_CAVEAT, ''];
  for (const exercise of report.exercises) {
    lines.push(`${exercise.exercise} (${exercise.learners} learners with code of their own): `
      + (exercise.pairs.length === 0 ? 'no pair above the threshold' : `${exercise.pairs.length} pair${exercise.pairs.length === 1 ? '' : 's'}`));
    for (const pair of exercise.pairs) {
      lines.push(`  ${pair.a} ~ ${pair.b}: ${percent(pair.similarity)} alike, ${pair.shared} shared fingerprints`);
      for (const fragment of pair.fragments) {
        lines.push(`    ${pair.a}, lines ${fragment.a.startLine}–${fragment.a.endLine}:`, indent(fragment.a.text, '      | '),
          `    ${pair.b}, lines ${fragment.b.startLine}–${fragment.b.endLine}:`, indent(fragment.b.text, '      | '));
      }
    }
  }
  return lines.join('\n');
}
