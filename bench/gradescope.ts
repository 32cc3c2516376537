/**
 * `npm run bench:gradescope [-- --runs N]`: what one Gradescope submission costs, cold. The autograder zip of 01 is
 * built once, then each run unpacks it afresh (the project's dependencies, hard-linked, stand in for `npm ci`) and
 * times, side by side: `run_autograder` on one learner's notebook (a fresh process, as Gradescope starts one per
 * submission), the same with the zip's compile cache removed, and `jupyter nbconvert --execute` of the same notebook
 * with the tslab kernel (a fresh kernel). The learner's notebook is the solution with a line of their own in every
 * answer cell, so only the cells every learner shares can come from the shipped cache. Medians of the runs.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { getPriority, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import * as yauzl from 'yauzl';
import { LIGHT, learnerNotebook, nbconvertCost, timed, type Cost } from './grader';
import { AUTOGRADER_COURSE } from '../grader/gradescope/package';
import { SHIPPED_CACHE } from '../grader/gradescope/shipped-cache';
import { projectPath } from '../grader/paths';

/** Every file of the zip, with its permission bits. */
function unzipInto(zip: string, dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    yauzl.open(zip, { lazyEntries: true }, (error, archive) => {
      if (error || !archive) return reject(error ?? new Error(`cannot open ${zip}`));
      archive.on('error', reject).on('end', () => resolve()).on('entry', (entry: yauzl.Entry) => {
        archive.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new Error(`cannot read ${entry.fileName}`));
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk)).on('error', reject).on('end', () => {
            const path = join(dir, entry.fileName);
            mkdirSync(dirname(path), { recursive: true });
            writeFileSync(path, Buffer.concat(chunks));
            chmodSync(path, (entry.externalFileAttributes >>> 16) & 0o777);
            archive.readEntry();
          });
        });
      });
      archive.readEntry();
    });
  });
}

/** A freshly unpacked autograder (`/autograder/source`), optionally without its compile cache. */
async function unpackedAutograder(zip: string, work: string, withCache: boolean): Promise<string> {
  const source = mkdtempSync(join(work, 'source-'));
  await unzipInto(zip, source);
  if (!withCache) rmSync(join(source, AUTOGRADER_COURSE, SHIPPED_CACHE), { recursive: true, force: true });
  await execa('cp', ['-al', projectPath('node_modules'), join(source, 'node_modules')]);
  return source;
}

interface AutograderRun {
  readonly cost: Cost;
  /** its "compiled cells: …" line */
  readonly compiled: string;
  /** why it did not give the notebook full marks (then it is left out of the medians, and counted) */
  readonly failure?: string;
}

/** Times `run_autograder` on `notebook` in a fresh /autograder; checks the score. */
async function autograderCost(source: string, notebook: string, work: string): Promise<AutograderRun> {
  const root = mkdtempSync(join(work, 'autograder-'));
  mkdirSync(join(root, 'submission'));
  symlinkSync(source, join(root, 'source'));
  writeFileSync(join(root, 'submission', `${LIGHT}.ipynb`), notebook);
  writeFileSync(join(root, 'submission_metadata.json'), JSON.stringify({ created_at: new Date().toISOString(), users: [{ email: 'learner@example.org' }] }));
  let stdout = '';
  let stderr = '';
  const cost = await timed(async () => {
    ({ stdout, stderr } = await execa(join(root, 'source', 'run_autograder'), [], { env: { CONVLAB_AUTOGRADER_ROOT: root } }));
  });
  const results = JSON.parse(readFileSync(join(root, 'results', 'results.json'), 'utf8')) as { score: number; tests: { max_score: number; output: string }[] };
  const max = results.tests.reduce((sum, test) => sum + test.max_score, 0);
  const compiled = /compiled cells: .*/.exec(stdout)?.[0] ?? 'no compile line';
  if (max > 0 && results.score === max) return { cost, compiled };
  return { cost, compiled, failure: `scored ${results.score} of ${max} (${results.tests[0]?.output.slice(0, 200)}; stderr: ${stderr.slice(-300)})` };
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const load = (): string => loadavg().map((value) => value.toFixed(1)).join(' ');

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
  const runs = Number(values.runs);
  // Beside node_modules, so that its hard-linked copy needs no second file system.
  mkdirSync(projectPath('.convlab'), { recursive: true });
  const work = mkdtempSync(projectPath('.convlab', 'bench-gradescope-'));
  // A temporary folder of its own (outside the project, where module lookups from a sandbox's scratch folder would
  // climb into it): the tslab kernel nbconvert starts watches the folders above its notebook, and other work's files
  // coming and going in a shared /tmp can crash it ("Unexpected pending rebuildTimer" in tslab).
  const temporary = mkdtempSync(join(tmpdir(), 'convlab-bench-gradescope-'));
  process.env.TMPDIR = temporary;
  try {
    console.log(`nice ${getPriority()}, load average at start ${load()}`);
    const zip = join(work, 'autograder.zip');
    const packing = await timed(() => execa(process.execPath, [projectPath('dist', 'grader', 'cli.js'), 'gradescope', '--assignment', LIGHT, '--out', zip]));
    console.log(`convlab gradescope (compiling the shipped cache included): ${seconds(packing.wallMs)}`);
    const notebook = learnerNotebook(LIGHT, 'student0');
    const warm: AutograderRun[] = [];
    const cold: AutograderRun[] = [];
    const nbconvert: Cost[] = [];
    const described = (run: AutograderRun): string => `${seconds(run.cost.wallMs)} (${run.failure !== undefined ? `FAILED: ${run.failure}` : run.compiled})`;
    for (let run = 0; run < runs; run += 1) {
      warm.push(await autograderCost(await unpackedAutograder(zip, work, true), notebook, work));
      cold.push(await autograderCost(await unpackedAutograder(zip, work, false), notebook, work));
      nbconvert.push(await nbconvertCost(LIGHT, 1));
      console.log(`run ${run + 1}: run_autograder ${described(warm.at(-1)!)}, without the shipped cache ${described(cold.at(-1)!)}, `
        + `nbconvert ${seconds(nbconvert.at(-1)!.wallMs)}; load ${load()}`);
    }
    // Wall time only: run_autograder exits without reaping the compile service, whose CPU time its parent never sees.
    const wall = (costs: readonly Cost[]): number => median(costs.map((cost) => cost.wallMs));
    const graded = (autograder: readonly AutograderRun[]): Cost[] => autograder.filter((run) => run.failure === undefined).map((run) => run.cost);
    console.log(`\n| ${LIGHT}, one cold submission (median of the runs that graded) | wall time | nbconvert ÷ this |`);
    console.log('|---|---:|---:|');
    for (const [label, costs] of [['run_autograder, shipped compile cache', graded(warm)], ['run_autograder, no shipped cache', graded(cold)],
      ['jupyter nbconvert --execute', nbconvert]] as const) {
      console.log(`| ${label} (${costs.length} of ${runs} runs) | ${seconds(wall(costs))} | **${(wall(nbconvert) / wall(costs)).toFixed(2)}×** |`);
    }
    console.log(`load average at end ${load()}`);
  } finally {
    for (const dir of [work, temporary]) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
