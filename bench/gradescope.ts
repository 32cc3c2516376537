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
import { LIGHT, learnerNotebook, nbconvertCost, timed, type Cost } from '../grader/bench';
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

/** Times `run_autograder` on `notebook` in a fresh /autograder; checks the score and returns the compile line. */
async function autograderCost(source: string, notebook: string, work: string): Promise<{ cost: Cost; compiled: string }> {
  const root = mkdtempSync(join(work, 'autograder-'));
  mkdirSync(join(root, 'submission'));
  symlinkSync(source, join(root, 'source'));
  writeFileSync(join(root, 'submission', `${LIGHT}.ipynb`), notebook);
  writeFileSync(join(root, 'submission_metadata.json'), JSON.stringify({ created_at: new Date().toISOString(), users: [{ email: 'learner@example.org' }] }));
  let stdout = '';
  const cost = await timed(async () => {
    ({ stdout } = await execa(join(root, 'source', 'run_autograder'), [], { env: { CONVLAB_AUTOGRADER_ROOT: root } }));
  });
  const results = JSON.parse(readFileSync(join(root, 'results', 'results.json'), 'utf8')) as { score: number; tests: { max_score: number }[] };
  const max = results.tests.reduce((sum, test) => sum + test.max_score, 0);
  if (max === 0 || results.score !== max) throw new Error(`the benchmark submission scored ${results.score} of ${max}: ${stdout}`);
  return { cost, compiled: /compiled cells: .*/.exec(stdout)?.[0] ?? 'no compile line' };
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
    const warm: Cost[] = [];
    const cold: Cost[] = [];
    const nbconvert: Cost[] = [];
    for (let run = 0; run < runs; run += 1) {
      const shipped = await autograderCost(await unpackedAutograder(zip, work, true), notebook, work);
      const bare = await autograderCost(await unpackedAutograder(zip, work, false), notebook, work);
      warm.push(shipped.cost);
      cold.push(bare.cost);
      nbconvert.push(await nbconvertCost(LIGHT, 1));
      console.log(`run ${run + 1}: run_autograder ${seconds(shipped.cost.wallMs)} (${shipped.compiled}), without the shipped cache `
        + `${seconds(bare.cost.wallMs)}, nbconvert ${seconds(nbconvert.at(-1)!.wallMs)}; load ${load()}`);
    }
    // Wall time only: run_autograder exits without reaping the compile service, whose CPU time its parent never sees.
    const wall = (costs: Cost[]): number => median(costs.map((cost) => cost.wallMs));
    console.log(`\n| ${LIGHT}, one cold submission (median of ${runs}) | wall time | nbconvert ÷ this |`);
    console.log('|---|---:|---:|');
    for (const [label, costs] of [['run_autograder, shipped compile cache', warm], ['run_autograder, no shipped cache', cold], ['jupyter nbconvert --execute', nbconvert]] as const) {
      console.log(`| ${label} | ${seconds(wall(costs))} | **${(wall(nbconvert) / wall(costs)).toFixed(2)}×** |`);
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
