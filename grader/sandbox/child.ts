/**
 * The sandbox child: runs one submission with tslab's own converter and executor, then its hidden tests, and reports
 * over an HMAC-signed pipe (fd 3). Spawned by `sandbox/session.ts` (`confinement.ts`) under Node's permission model with the
 * submission's scratch folder as its working directory.
 *
 * Order matters: heavy modules load first (while the parent prepares the job), then the key and the job are read from
 * stdin, the pristine test globals are captured and the specs are loaded, and only then does submission code run.
 *
 * The cells arrive compiled by the grader's compile service (`sandbox/compile-service.ts`), one stdin line per cell, so the
 * child normally never loads TypeScript; a cell the service did not compile for the declarations the executor actually
 * holds (an earlier cell threw, the service gave up) is compiled here by the same tslab converter, as before.
 */
import { createInterface } from 'node:readline';
import { formatWithOptions } from 'node:util';
import { MochaClass, RunGuard } from './mocha';
import * as chai from 'chai';
import * as tf from '@tensorflow/tfjs';
import type { ConvertResult, Converter } from 'tslab/dist/converter';
import { createExecutor } from 'tslab/dist/executor';
import {
  CONVERTER_WARM_UP, REPORT_FD, signMessage, WARM_LINE, writeAllSync,
  type CellJob, type CellReport, type ChildJob, type ChildMessage, type CompiledCell, type TestReport,
} from './protocol';
import {
  disableHeapInspection, disableProcessControl, guardStackTraces, INTRINSICS, lockDownAll, lockGlobalBindings, lockModuleSystem,
  testMachinery,
} from './harden';
import { collectTests, loadSpecs } from './specs';

// Taken before any submission code runs: a notebook may replace process.exit, not this copy.
const exitProcess = process.exit.bind(process);

let key = '';
let seq = 0;

/** Writes synchronously so the parent knows which cell started even if that cell then blocks the event loop. */
function report(message: ChildMessage): void {
  writeAllSync(REPORT_FD, signMessage(key, seq++, message));
}

/** stdin as lines: the key, the job, then one compiled cell per line. Resolves undefined at the end of input. */
function stdinLines(): () => Promise<string | undefined> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity })[Symbol.asyncIterator]();
  return async () => {
    const next = await lines.next();
    return next.done ? undefined : next.value;
  };
}

/**
 * tslab's converter as the executor sees it: a cell the compile service compiled for exactly this source after exactly
 * these declarations is not compiled again; anything else goes to a converter of the child's own, started on first use.
 */
class PrecompiledConverter {
  private local?: Converter;
  /** the declarations the service compiled the next cell against: those of the cells before, had each one run */
  private serviceDecl = '';
  private next?: { source: string; result: ConvertResult | null };

  /** The service's result for the cell the executor runs next. */
  expect(source: string, result: ConvertResult | null): void {
    this.next = { source, result };
  }

  convert(prevDecl: string, source: string): ConvertResult {
    const next = this.next;
    this.next = undefined;
    let converted: ConvertResult | undefined;
    if (next?.result) {
      if (next.source === source && prevDecl === this.serviceDecl) converted = next.result;
      if (next.result.diagnostics.length === 0) this.serviceDecl = next.result.declOutput ?? '';
    }
    return converted ?? this.compiler().convert(prevDecl, source);
  }

  addModule(...args: Parameters<Converter['addModule']>): ReturnType<Converter['addModule']> {
    return this.compiler().addModule(...args);
  }

  close(): void {
    this.local?.close();
  }

  private compiler(): Converter {
    if (!this.local) {
      // Loaded on first use, by the cell that needs it: TypeScript's compiler is the heaviest part of tslab, and most
      // children never need it. Folder watching off, as in the kernel: the submission may create folders here.
      (require('../../src/jupyter/compiler-watch') as typeof import('../../src/jupyter/compiler-watch')).stopDiskWatching();
      this.local = (require('tslab/dist/converter') as typeof import('tslab/dist/converter')).createConverter();
      this.local.convert('', CONVERTER_WARM_UP);
    }
    return this.local;
  }
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

/** The next compiled cell from stdin; the parent sends one per cell that runs, in order. */
async function nextCompiled(readLine: () => Promise<string | undefined>, index: number): Promise<ConvertResult | null> {
  const line = await readLine();
  const compiled = line === undefined ? undefined : JSON.parse(line) as CompiledCell;
  if (compiled?.index !== index) throw new Error(`expected the compiled form of cell ${index}, got ${line === undefined ? 'the end of input' : `cell ${compiled?.index}`}`);
  return compiled.result;
}

async function runCells(cells: readonly CellJob[], job: ChildJob, readLine: () => Promise<string | undefined>): Promise<object> {
  let capture: CellCapture | undefined;
  installCapture(() => capture);
  const converter = new PrecompiledConverter();
  const executor = createExecutor(process.cwd(), { node: converter as unknown as Converter, browser: converter as unknown as Converter, close: () => converter.close() }, {
    log: (...args: unknown[]) => capture?.print(format(args)),
    error: (...args: unknown[]) => capture?.fail(format(args)),
  });
  for (const cell of cells) {
    // Waiting for the compile service is not the cell's running time: its timer starts with cell-start.
    if (!cell.skip) converter.expect(cell.source, await nextCompiled(readLine, cell.index));
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

/** Says a test passed only where its own function ran (see RunGuard); mocha's word alone is not enough. */
function runTests(Runner: typeof MochaClass.Runner, mocha: Mocha, positions: Map<Mocha.Test, number>, guard: RunGuard): Promise<void> {
  const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_RUN_END } = Runner.constants;
  const reported = new Set<number>();
  let hookFailure: string | undefined;
  const send = (test: TestReport): void => {
    reported.add(test.position);
    report({ type: 'test', test });
  };
  return new Promise((resolve) => {
    const runner = new Runner(mocha.suite, { delay: false });
    guard.watch(runner);
    runner.on(EVENT_TEST_PASS, (test: Mocha.Test) => send(guard.passed(test)
      ? { position: positions.get(test)!, status: 'passed' }
      : { position: positions.get(test)!, status: 'error', message: 'the test\'s own check did not run' }));
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

async function main(): Promise<void> {
  writeAllSync(REPORT_FD, `${WARM_LINE}\n`);
  const readLine = stdinLines();
  key = (await readLine()) ?? '';
  const job = JSON.parse((await readLine()) ?? '') as ChildJob;

  const pristine = { expect: chai.expect, assert: chai.assert, tf, Runner: MochaClass.Runner };
  const submission: Record<string, unknown> = {};
  const mocha = new MochaClass({ timeout: job.testTimeoutMs });
  loadSpecs(mocha, job.specs, { ...pristine, submission }, require);
  const guard = RunGuard.seal(mocha.suite);
  const positions = new Map(collectTests(mocha.suite).filter((test) => !test.isPending()).map((test, index) => [test, index]));
  report({ type: 'ready' });

  process.exit = ((code?: number) => {
    throw new Error(`process.exit(${code ?? ''}) is not allowed while grading`);
  }) as typeof process.exit;
  disableProcessControl(process);
  disableHeapInspection(require('node:v8') as typeof import('node:v8'));
  lockDownAll({ ...INTRINSICS, ...testMachinery(chai, MochaClass, tf) });
  lockGlobalBindings(globalThis);
  lockModuleSystem(require('node:module') as typeof import('node:module'));
  const sealStackTraces = guardStackTraces(Error);
  const locals = await runCells(job.cells, job, readLine);
  report({ type: 'executed' });
  sealStackTraces();

  // Whatever the notebook did to the globals, the tests see the originals and the notebook's declarations.
  Object.assign(submission, locals);
  Object.assign(globalThis, { expect: pristine.expect, assert: pristine.assert, tf: pristine.tf, submission });
  await runTests(pristine.Runner, mocha, positions, guard);
  report({ type: 'done' });
  exitProcess(0);
}

// The parent shows a fatal error's message (to learners too); its stack, with the grader's paths, goes to stderr only.
main().catch((error: unknown) => {
  try {
    if (error instanceof Error && error.stack) writeAllSync(2, `${error.stack}\n`);
    report({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
  } finally {
    exitProcess(1);
  }
});
