import { rmSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { CHILD_ENTRY } from '../paths';
import { makeScratch, spawnConfined } from './confinement';
import { readLines } from './line-reader';
import type { SandboxLimits } from './limits';
import { PausableTimer } from './pausable-timer';
import { newKey, verifyMessage, WARM_LINE, type CellReport, type ChildJob, type ChildMessage, type CompiledCell, type TestReport } from './protocol';

/** Why a child stopped before reporting `done`; decided by flags set when it happened, never by parsing output. */
export type Termination = 'timeout' | 'cell-timeout' | 'memory' | 'crash' | 'fatal';

export interface SandboxOutcome {
  readonly cells: readonly CellReport[];
  readonly tests: readonly TestReport[];
  /** every cell ran (or was skipped) */
  readonly executed: boolean;
  readonly termination?: Termination;
  /** the cell that was running (or waiting for its compiled form) when the child was stopped */
  readonly runningCell?: number;
  readonly exitCode?: number;
  readonly signal?: string;
  /** the child's own error when it failed before or around the submission (e.g. a spec that cannot load) */
  readonly fatal?: string;
  /** the last characters the child wrote to stdout/stderr (bounded: the submission controls these streams) */
  readonly outputTail: string;
  /** report lines that failed the HMAC or sequence check */
  readonly forgedLines: number;
  readonly durationMs: number;
}

const OUTPUT_TAIL_CHARS = 4000;
/** How long past its own per-cell timer the parent waits before killing a cell that blocks the event loop. */
const CELL_GRACE_MS = 2000;

/**
 * A started child, warming up (loading tslab, TensorFlow.js and the compiler) until it is given a job. Starting
 * children ahead of their submissions hides that warm-up.
 */
export class Sandbox {
  private readonly scratch = makeScratch();
  private readonly key = newKey();
  private readonly child: ReturnType<typeof spawnConfined>;
  private outputTail = '';
  private lines: (line: string) => void = () => undefined;
  /** Resolves once the child has loaded everything and waits for its job (never rejects; a dead child never warms). */
  readonly warm: Promise<void>;

  /** `dataDir`: a copy of the course data cache the child may read (`gradescope/course-data.ts`). */
  constructor(private readonly limits: SandboxLimits, dataDir?: string) {
    this.child = spawnConfined(this.scratch, limits.maxOldSpaceMb, CHILD_ENTRY, dataDir);
    let warmed!: () => void;
    this.warm = new Promise((resolve) => { warmed = resolve; });
    let first = true;
    readLines(this.child.stdio[3] as Readable, (line) => {
      if (first && line === WARM_LINE) warmed();
      else this.lines(line);
      first = false;
    });
    const keepTail = (chunk: Buffer): void => {
      this.outputTail = (this.outputTail + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
    };
    this.child.stdout?.on('data', keepTail);
    this.child.stderr?.on('data', keepTail);
  }

  /**
   * Sends the job, then each cell's compiled form as it arrives, and follows the child to its end. Without `compiled`
   * the child compiles every cell itself. `releasedCells`: how many of the job's first cells are the release's own
   * (`releasedLeadingCells`), compiled once for the cohort; waiting for those is not charged to the submission.
   */
  run(job: ChildJob, compiled: AsyncIterable<CompiledCell> = notCompiled(job), releasedCells = 0): Promise<SandboxOutcome> {
    const started = Date.now();
    const cells: CellReport[] = [];
    const tests: TestReport[] = [];
    const state: { seq: number; executed: boolean; done: boolean; running?: number; fatal?: string; forged: number;
      termination?: Termination } = { seq: 0, executed: false, done: false, forged: 0 };
    let cellTimer: NodeJS.Timeout | undefined;
    const stop = (termination: Termination): void => {
      state.termination ??= termination;
      this.child.kill('SIGKILL');
    };
    const runTimer = new PausableTimer(() => stop('timeout'), this.limits.timeoutMs);
    // A submission pays for compiling its own cells: the service compiles them for it alone (`CompileService`), so
    // its waits are its own work, and once a learner's cell has run, its timers run while the child waits. The one
    // pause: while the child waits for a cell of the release's leading ones, after nothing but those has run.
    const compiledLines = { free: job.cells.slice(0, releasedCells).filter((cell) => !cell.skip).length, sent: 0, used: 0 };
    const skipped = new Set(job.cells.filter((cell) => cell.skip).map((cell) => cell.index));
    let ready = false;
    const pauseIfWaiting = (): void => {
      if (ready && state.running === undefined && compiledLines.used === compiledLines.sent && compiledLines.sent < compiledLines.free) runTimer.pause();
    };

    const handle = (message: ChildMessage): void => {
      switch (message.type) {
        case 'cell-start':
          if (!skipped.has(message.index)) compiledLines.used += 1;
          state.running = message.index;
          cellTimer = setTimeout(() => stop('cell-timeout'), this.limits.cellTimeoutMs + CELL_GRACE_MS);
          break;
        case 'cell-end':
          clearTimeout(cellTimer);
          state.running = undefined;
          cells.push(message.cell);
          pauseIfWaiting();
          break;
        case 'executed':
          state.executed = true;
          break;
        case 'test':
          tests.push(message.test);
          break;
        case 'done':
          state.done = true;
          break;
        case 'fatal':
          state.fatal = message.message;
          break;
        case 'ready':
          ready = true;
          pauseIfWaiting();
          break;
      }
    };
    this.lines = (line) => {
      const message = verifyMessage(this.key, state.seq, line);
      if (message) {
        state.seq += 1;
        handle(message);
      } else {
        state.forged += 1;
      }
    };
    void this.send(job, compiled, () => {
      compiledLines.sent += 1;
      runTimer.resume();
    });

    return this.child.then((result) => {
      runTimer.clear();
      clearTimeout(cellTimer);
      rmSync(this.scratch, { recursive: true, force: true });
      const signal = result.signal ?? undefined;
      const termination = state.done ? undefined
        : state.termination ?? (state.fatal !== undefined ? 'fatal' : signal === 'SIGABRT' || result.exitCode === 134 ? 'memory' : 'crash');
      return {
        // Stopped between cells (waiting for the next one's compiled form): that cell, which tslab compiles as it runs.
        cells, tests, executed: state.executed, termination, runningCell: state.running ?? (ready && !state.executed ? job.cells[cells.length]?.index : undefined),
        exitCode: result.exitCode, signal, fatal: state.fatal, outputTail: this.outputTail,
        forgedLines: state.forged, durationMs: Date.now() - started,
      };
    });
  }

  /**
   * Key, job and compiled cells, one line each; a child that died early just stops reading. Should compiling fail, the
   * cells still owed go without a compiled form (the child compiles them).
   */
  private async send(job: ChildJob, compiled: AsyncIterable<CompiledCell>, onSent: () => void): Promise<void> {
    const stdin = this.child.stdin!;
    stdin.on('error', () => undefined);
    stdin.write(`${this.key}\n${JSON.stringify(job)}\n`);
    const sent = new Set<number>();
    const write = (cell: CompiledCell): void => {
      sent.add(cell.index);
      if (!stdin.destroyed) stdin.write(`${JSON.stringify(cell)}\n`);
      onSent();
    };
    // A child that ended (done, stopped, crashed) needs no more cells: compiling for it stops at once.
    const cells = compiled[Symbol.asyncIterator]();
    const stopCompiling = (): void => void cells.return?.().catch(() => undefined);
    void this.child.then(stopCompiling, stopCompiling);
    try {
      for await (const cell of { [Symbol.asyncIterator]: () => cells }) write(cell);
    } catch {
      for await (const cell of notCompiled(job)) if (!sent.has(cell.index)) write(cell);
    }
    stdin.end();
  }

  /** Stops a child that will not be given a job. */
  dispose(): void {
    this.child.kill('SIGKILL');
    const removeScratch = (): void => rmSync(this.scratch, { recursive: true, force: true });
    // Now as well as once the exit is seen: a grader that exits right after (run_autograder refusing a submission)
    // would leave the folder behind; the second removal takes what the child wrote before the signal reached it.
    removeScratch();
    this.child.then(removeScratch, () => undefined);
  }
}

/** Tells the child to compile every cell itself. */
async function* notCompiled(job: ChildJob): AsyncIterable<CompiledCell> {
  for (const cell of job.cells) if (!cell.skip) yield { index: cell.index, result: null };
}
