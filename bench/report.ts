/**
 * Benchmark of `convlab report` on a synthetic cohort (default 1,000 learners × 10 assignments): the time to build
 * the report and its size, against the targets of under 5 s and under 5 MB; then the similarity signal of one
 * assignment's exercise cells (default 1,000 learners × 8 exercises), against a target of under 30 s.
 *
 *   npm run build && node dist/bench/report.js [--learners 1000] [--assignments 10] [--exercises 8] [--runs 3]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { report } from '../grader/commands/report';
import { compareExercise } from '../grader/similarity/compare';
import { generateSources } from './synthetic/exercise-cells';
import { writeSyntheticGradebook } from './synthetic/gradebook';

const TARGET_SECONDS = 5;
const TARGET_BYTES = 5_000_000;
const MB = 1_000_000;
const SIMILARITY_TARGET_SECONDS = 30;

/** Compares every exercise's cells across the cohort; true when every planted pair is found within the target. */
function benchSimilarity(learners: number, exercises: number): boolean {
  const sources = generateSources({ learners, exercises, seed: 5, plantedPairs: 2 });
  const cells = [...sources.exercises.values()].reduce((total, list) => total + list.length, 0);
  const started = performance.now();
  const found = new Set<string>();
  for (const [exercise, list] of sources.exercises) {
    for (const pair of compareExercise({ exercise, starter: sources.starters.get(exercise)!, learners: list }).pairs) {
      found.add(JSON.stringify([exercise, ...[pair.a, pair.b].sort()]));
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const planted = sources.planted.filter(([exercise, from, to]) => found.has(JSON.stringify([exercise, ...[from, to].sort()])));
  const ok = seconds < SIMILARITY_TARGET_SECONDS && planted.length === sources.planted.length && found.size === planted.length;
  console.log(`similarity: ${learners} learners × ${exercises} exercises (${cells} cells) in ${seconds.toFixed(2)} s `
    + `(target < ${SIMILARITY_TARGET_SECONDS} s); ${planted.length} of ${sources.planted.length} planted pairs found, `
    + `${found.size - planted.length} other pairs: ${ok ? 'within targets' : 'OVER TARGET or wrong pairs'}`);
  return ok;
}

function positiveInteger(name: string, value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new Error(`--${name}: expected a whole number of at least 1, got ${JSON.stringify(value)}`);
  return number;
}

async function main(): Promise<boolean> {
  const { values } = parseArgs({
    options: {
      learners: { type: 'string', default: '1000' },
      assignments: { type: 'string', default: '10' },
      exercises: { type: 'string', default: '8' },
      runs: { type: 'string', default: '3' },
    },
  });
  const learners = positiveInteger('learners', values.learners);
  const assignments = positiveInteger('assignments', values.assignments);
  const runs = positiveInteger('runs', values.runs);
  const exercises = positiveInteger('exercises', values.exercises);
  const dir = mkdtempSync(join(tmpdir(), 'convlab-report-bench-'));
  try {
    const db = join(dir, 'gradebook.sqlite');
    let started = performance.now();
    const attempts = writeSyntheticGradebook(db, { learners, assignments });
    console.log(
      `gradebook: ${learners} learners × ${assignments} assignments, ${attempts} attempts, ` +
        `${(statSync(db).size / MB).toFixed(2)} MB, written in ${((performance.now() - started) / 1000).toFixed(2)} s`,
    );

    const seconds: number[] = [];
    let bytes = 0;
    for (let run = 1; run <= runs; run += 1) {
      started = performance.now();
      const summary = await report({ db, out: join(dir, 'report.html'), csv: join(dir, 'scores.csv') });
      seconds.push((performance.now() - started) / 1000);
      bytes = summary.bytes;
      console.log(`run ${run}: ${seconds.at(-1)!.toFixed(2)} s (report + CSV), ${(bytes / MB).toFixed(2)} MB HTML`);
    }
    const slowest = Math.max(...seconds);
    const ok = slowest < TARGET_SECONDS && bytes < TARGET_BYTES;
    console.log(
      `slowest ${slowest.toFixed(2)} s (target < ${TARGET_SECONDS} s), ${(bytes / MB).toFixed(2)} MB ` +
        `(target < ${TARGET_BYTES / MB} MB): ${ok ? 'within targets' : 'OVER TARGET'}`,
    );
    return benchSimilarity(learners, exercises) && ok;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (ok) => (process.exitCode = ok ? 0 : 1),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 2;
  },
);
