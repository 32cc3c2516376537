/**
 * Benchmark of `convlab report` on a synthetic cohort (default 1,000 learners × 10 assignments): the time to build
 * the report and its size, against the targets of under 5 s and under 5 MB.
 *
 *   npm run build && node dist/grader/report/bench.js [--learners 1000] [--assignments 10] [--runs 3]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { report } from '../commands/report';
import { writeSyntheticGradebook } from './synthetic';

const TARGET_SECONDS = 5;
const TARGET_BYTES = 5_000_000;
const MB = 1_000_000;

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
      runs: { type: 'string', default: '3' },
    },
  });
  const learners = positiveInteger('learners', values.learners);
  const assignments = positiveInteger('assignments', values.assignments);
  const runs = positiveInteger('runs', values.runs);
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
    return ok;
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
