/**
 * Pairwise similarity of learners' exercise cells: winnowed fingerprints of normalized tokens, minus the starter
 * code's, minus fingerprints so common in the cohort that they say nothing (the natural shape of a short solution).
 * Pairs are found through an index from fingerprint to learners, so the work grows with shared fingerprints, not with
 * the square of the cohort. A flagged pair is a signal for a human to read the two cells, never a verdict.
 */
import { normalizedTokens, type Tokens } from './tokens';
import { K, winnow } from './winnow';

export interface LearnerSource {
  readonly student: string;
  readonly source: string;
}

export interface ExerciseSources {
  /** the exercise cell's grade_id */
  readonly exercise: string;
  /** the released starter code, subtracted from every learner's cell */
  readonly starter: string;
  readonly learners: readonly LearnerSource[];
}

export interface SimilarityOptions {
  /** Dice coefficient of the two cells' fingerprint sets from which a pair is listed, 0…1 */
  readonly threshold: number;
  /** a pair needs at least this many shared fingerprints (short cells are alike by necessity) */
  readonly minShared: number;
  /**
   * a fingerprint held by more learners than this share of the cohort (at least 2, at most `mostHolders`) is common
   * code, as MOSS ignores passages found in more than 10 programs; it also bounds the pairs each fingerprint adds
   */
  readonly commonShare: number;
  readonly mostHolders: number;
}

export const DEFAULT_SIMILARITY: SimilarityOptions = { threshold: 0.5, minShared: 8, commonShare: 0.05, mostHolders: 10 };

export interface SourceLines {
  /** 1-based, inclusive */
  readonly startLine: number;
  readonly endLine: number;
  readonly text: string;
}

/** The same stretch of code, as it reads in each learner's cell. */
export interface SharedFragment {
  readonly a: SourceLines;
  readonly b: SourceLines;
}

export interface SimilarPair {
  readonly exercise: string;
  readonly a: string;
  readonly b: string;
  /** Dice coefficient of their fingerprint sets, 0…1 */
  readonly similarity: number;
  readonly shared: number;
  /** the longest shared stretches, in the order they appear in a's cell */
  readonly fragments: readonly SharedFragment[];
}

export interface ExerciseSimilarity {
  readonly exercise: string;
  /** learners whose cell has code of their own (beyond the starter) */
  readonly learners: number;
  /** highest similarity first */
  readonly pairs: readonly SimilarPair[];
}

const FRAGMENTS_PER_PAIR = 3;

interface Prepared {
  readonly student: string;
  readonly lines: readonly string[];
  readonly tokens: Tokens;
  /** kept fingerprint hash → its first position */
  readonly fingerprints: Map<number, number>;
}

function prepare(learner: LearnerSource, starter: ReadonlySet<number>): Prepared {
  const tokens = normalizedTokens(learner.source);
  const fingerprints = new Map<number, number>();
  for (const { hash, position } of winnow(tokens)) {
    if (!starter.has(hash) && !fingerprints.has(hash)) fingerprints.set(hash, position);
  }
  return { student: learner.student, lines: learner.source.split('\n'), tokens, fingerprints };
}

function linesOf(learner: Prepared, fromToken: number, toToken: number): SourceLines {
  const { lines } = learner.tokens;
  const startLine = lines[fromToken]!;
  const endLine = lines[Math.min(toToken, lines.length - 1)]!;
  return { startLine, endLine, text: learner.lines.slice(startLine - 1, endLine).join('\n') };
}

/** Shared fingerprints that follow each other in both cells merge into one stretch; the longest few are shown. */
function fragmentsOf(a: Prepared, b: Prepared, shared: readonly number[]): SharedFragment[] {
  const matches = shared.map((hash) => ({ a: a.fingerprints.get(hash)!, b: b.fingerprints.get(hash)! })).sort((x, y) => x.a - y.a);
  const runs: { a: [number, number]; b: [number, number] }[] = [];
  for (const match of matches) {
    const last = runs.at(-1);
    if (last && match.a - last.a[1] <= K && match.b >= last.b[0] && match.b - last.b[1] <= K) {
      last.a[1] = match.a;
      last.b[1] = Math.max(last.b[1], match.b);
    } else runs.push({ a: [match.a, match.a], b: [match.b, match.b] });
  }
  return runs
    .sort((x, y) => (y.a[1] - y.a[0]) - (x.a[1] - x.a[0]))
    .slice(0, FRAGMENTS_PER_PAIR)
    .sort((x, y) => x.a[0] - y.a[0])
    .map((run) => ({ a: linesOf(a, run.a[0], run.a[1] + K - 1), b: linesOf(b, run.b[0], run.b[1] + K - 1) }));
}

const round = (value: number): number => Math.round(value * 1000) / 1000;

export function compareExercise(sources: ExerciseSources, options: SimilarityOptions = DEFAULT_SIMILARITY): ExerciseSimilarity {
  const starter = new Set(winnow(normalizedTokens(sources.starter)).map((fingerprint) => fingerprint.hash));
  const learners = sources.learners.map((learner) => prepare(learner, starter)).filter((learner) => learner.fingerprints.size > 0);
  const holders = new Map<number, number[]>();
  learners.forEach((learner, index) => {
    for (const hash of learner.fingerprints.keys()) {
      const list = holders.get(hash);
      if (list === undefined) holders.set(hash, [index]);
      else list.push(index);
    }
  });
  const mostHolders = Math.max(2, Math.min(options.mostHolders, Math.floor(options.commonShare * learners.length)));
  const kept = learners.map(() => new Set<number>());
  const sharedCount = new Map<number, number>();
  for (const [hash, list] of holders) {
    if (list.length > mostHolders) continue;
    for (const index of list) kept[index]!.add(hash);
    for (let i = 0; i < list.length; i += 1) {
      for (let j = i + 1; j < list.length; j += 1) {
        const key = list[i]! * learners.length + list[j]!;
        sharedCount.set(key, (sharedCount.get(key) ?? 0) + 1);
      }
    }
  }
  const pairs: SimilarPair[] = [];
  for (const [key, shared] of sharedCount) {
    const [i, j] = [Math.floor(key / learners.length), key % learners.length];
    const similarity = (2 * shared) / (kept[i]!.size + kept[j]!.size);
    if (shared < options.minShared || similarity < options.threshold) continue;
    // named in order, so that a pair reads the same whatever order the gradebook returned the learners in
    const [a, b] = [i, j].sort((x, y) => learners[x]!.student.localeCompare(learners[y]!.student)) as [number, number];
    const common = [...kept[a]!].filter((hash) => kept[b]!.has(hash));
    pairs.push({ exercise: sources.exercise, a: learners[a]!.student, b: learners[b]!.student, similarity: round(similarity),
      shared, fragments: fragmentsOf(learners[a]!, learners[b]!, common) });
  }
  pairs.sort((x, y) => y.similarity - x.similarity || y.shared - x.shared || x.a.localeCompare(y.a) || x.b.localeCompare(y.b));
  return { exercise: sources.exercise, learners: learners.length, pairs };
}
