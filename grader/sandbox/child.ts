/**
 * The sandbox child: runs one submission with tslab's own converter and executor, then its hidden tests, and reports
 * over an HMAC-signed pipe (fd 3). Spawned by `sandbox/session.ts` under Node's permission model with the
 * submission's scratch folder as its working directory.
 *
 * Order matters: heavy modules load and tslab's compiler warms up first (while the parent prepares the job), then the
 * key and the job are read from stdin, the pristine test globals are captured and the specs are loaded, and only then
 * does submission code run.
 */
import * as fs from 'node:fs';
import { formatWithOptions } from 'node:util';
import { MochaClass } from './mocha';
import * as chai from 'chai';
import * as tf from '@tensorflow/tfjs';
import { createConverter } from 'tslab/dist/converter';
import { createExecutor } from 'tslab/dist/executor';
import {
  REPORT_FD, signMessage, WARM_LINE,
  type CellJob, type CellReport, type ChildJob, type ChildMessage, type TestReport,
} from './protocol';
import { disableHeapSnapshots, disableProcessControl, INTRINSICS, lockDownAll, lockGlobalBindings, testMachinery } from './harden';
import { collectTests, loadSpecs } from './specs';

// Taken before any submission code runs: a notebook may replace fs.writeSync or process.exit, not these copies.
const exitProcess = process.exit.bind(process);
const writeSync = fs.writeSync;
const converter = createConverter();
// Compiling (not running) the usual imports once loads TensorFlow.js's and the kit's type declarations into the
// compiler now, while the child waits for its job, instead of during the notebook's first cell.
converter.convert('', 'import * as tf from "@tensorflow/tfjs";\nimport * as kit from "../dist/src";\ntf.tensor([kit.isGrading() ? 1 : 0]);\n');

let key = '';
let seq = 0;

/** Writes synchronously so the parent knows which cell started even if that cell then blocks the event loop. */
function report(message: ChildMessage): void {
  const line = Buffer.from(signMessage(key, seq++, message));
  for (let offset = 0; offset < line.length;) {
    try {
      offset += writeSync(REPORT_FD, line, offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    }
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Output of the cell now running: whatever it printed, its error text, its rich displays (each bounded). */
class CellCapture {
  output = '';
  error = '';
  readonly displays: Record<string, unknown>[] = [];
  private displayChars = 0;
  constructor(private readonly limit: number) {}
  display(data: Record<string, unknown>): void {
    const size = JSON.stringify(data).length;
    if (this.displayChars + size > DISPLAY_LIMIT) return;
    this.displayChars += size;
    this.displays.push(data);
  }
  print(text: string): void {
    if (this.output.length < this.limit) this.output += text.slice(0, this.limit - this.output.length);
  }
  fail(text: string): void {
    this.print(text);
    if (this.error.length < this.limit) this.error += text.slice(0, this.limit - this.error.length);
  }
}

/** Rich outputs (images, charts) kept per cell, in characters of JSON: plots yes, an image per training step no. */
const DISPLAY_LIMIT = 4 * 1024 * 1024;

/**
 * Errors are spelled out by hand: once `Error.prototype` is locked, util.inspect renders an Error as `{}`, which is
 * all a learner would see of a failed cell.
 */
const spelledOut = (arg: unknown): unknown => (arg instanceof Error ? `${arg.name}: ${arg.message}` : arg);
const format = (args: unknown[]): string => `${formatWithOptions({ colors: false }, ...args.map(spelledOut))}\n`;

function installCapture(current: () => CellCapture | undefined): void {
  const print = (chunk: unknown): boolean => {
    current()?.print(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  process.stdout.write = print as typeof process.stdout.write;
  process.stderr.write = print as typeof process.stderr.write;
  // tslab.display(...) writes rich outputs through this hook, as it would to the Jupyter front end.
  (require('tslab/dist/jupyter') as { lastWriteDisplayData: unknown }).lastWriteDisplayData =
    (display: { data: Record<string, unknown> }) => current()?.display(display.data);
  const late = (error: unknown): void => current()?.fail(format([error]));
  process.on('uncaughtException', late);
  process.on('unhandledRejection', late);
}

async function runCells(cells: readonly CellJob[], job: ChildJob): Promise<object> {
  let capture: CellCapture | undefined;
  installCapture(() => capture);
  const executor = createExecutor(process.cwd(), { node: converter, browser: converter, close: () => converter.close() }, {
    log: (...args: unknown[]) => capture?.print(format(args)),
    error: (...args: unknown[]) => capture?.fail(format(args)),
  });
  for (const cell of cells) {
    report({ type: 'cell-start', index: cell.index });
    capture = new CellCapture(job.outputLimit);
    let status: CellReport['status'] = 'skipped';
    if (!cell.skip) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), job.cellTimeoutMs); });
      const outcome = await Promise.race([executor.execute(cell.source), timedOut]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        executor.interrupt();
        capture.fail(`cell did not finish within ${job.cellTimeoutMs / 1000} s`);
      }
      status = outcome === 'timeout' ? 'timeout' : outcome ? 'ok' : 'failed';
    }
    const { output, error, displays } = capture;
    report({ type: 'cell-end', cell: { index: cell.index, status, output, displays, ...(error ? { error } : {}) } });
  }
  capture = undefined;
  return executor.locals;
}

const EVAL_FRAME = /^\s+at .*evalmachine\.<anonymous>/m;

function testReport(position: number, error: Error & { code?: string }): TestReport {
  if (error.code === 'ERR_MOCHA_TIMEOUT') return { position, status: 'timeout', message: error.message };
  if (error.name === 'AssertionError') return { position, status: 'failed', message: error.message };
  // tslab runs notebook code through vm without a file name: those frames read "evalmachine.<anonymous>".
  const fromSubmission = EVAL_FRAME.test((error.stack ?? '').split('\n').find((line) => /^\s+at /.test(line)) ?? '');
  return { position, status: 'error', message: `${error.name}: ${error.message}`, fromSubmission };
}

function runTests(Runner: typeof MochaClass.Runner, mocha: Mocha, positions: Map<Mocha.Test, number>): Promise<void> {
  const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_RUN_END } = Runner.constants;
  const reported = new Set<number>();
  let hookFailure: string | undefined;
  const send = (test: TestReport): void => {
    reported.add(test.position);
    report({ type: 'test', test });
  };
  return new Promise((resolve) => {
    const runner = new Runner(mocha.suite, { delay: false });
    runner.on(EVENT_TEST_PASS, (test: Mocha.Test) => send({ position: positions.get(test)!, status: 'passed' }));
    runner.on(EVENT_TEST_FAIL, (runnable: Mocha.Runnable, error: Error) => {
      const position = positions.get(runnable as Mocha.Test);
      if (position === undefined) hookFailure = `"${runnable.title}" failed: ${error.message}`;
      else if (!reported.has(position)) send(testReport(position, error));
    });
    runner.on(EVENT_RUN_END, () => {
      for (const position of positions.values()) {
        if (!reported.has(position)) send({ position, status: 'error', message: `not run: ${hookFailure ?? 'skipped by mocha'}` });
      }
      resolve();
    });
    runner.run();
  });
}

/**
 * The kit's charts load Vega and Vega-Lite lazily, and Vega-Lite adds `Set.prototype.toJSON` as it loads: load them
 * before the intrinsics are locked, or every chart cell would fail while grading.
 */
async function preloadChartLibraries(): Promise<void> {
  await import('vega');
  await import('vega-lite');
}

async function main(): Promise<void> {
  await preloadChartLibraries();
  writeSync(REPORT_FD, `${WARM_LINE}\n`);
  const input = await readStdin();
  const newline = input.indexOf('\n');
  key = input.slice(0, newline);
  const job = JSON.parse(input.slice(newline + 1)) as ChildJob;

  const pristine = { expect: chai.expect, assert: chai.assert, tf, Runner: MochaClass.Runner };
  const submission: Record<string, unknown> = {};
  const mocha = new MochaClass({ timeout: job.testTimeoutMs });
  loadSpecs(mocha, job.specs, { ...pristine, submission }, require);
  const positions = new Map(collectTests(mocha.suite).filter((test) => !test.isPending()).map((test, index) => [test, index]));
  report({ type: 'ready' });

  process.exit = ((code?: number) => {
    throw new Error(`process.exit(${code ?? ''}) is not allowed while grading`);
  }) as typeof process.exit;
  disableProcessControl(process);
  disableHeapSnapshots(require('node:v8') as typeof import('node:v8'));
  lockDownAll({ ...INTRINSICS, ...testMachinery(chai, MochaClass, tf) });
  lockGlobalBindings(globalThis);
  const locals = await runCells(job.cells, job);
  report({ type: 'executed' });

  // Whatever the notebook did to the globals, the tests see the originals and the notebook's declarations.
  Object.assign(submission, locals);
  Object.assign(globalThis, { expect: pristine.expect, assert: pristine.assert, tf: pristine.tf, submission });
  await runTests(pristine.Runner, mocha, positions);
  report({ type: 'done' });
  exitProcess(0);
}

main().catch((error: unknown) => {
  try {
    report({ type: 'fatal', message: error instanceof Error ? error.stack ?? error.message : String(error) });
  } finally {
    exitProcess(1);
  }
});
