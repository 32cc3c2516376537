import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { ConvertResult } from 'tslab/dist/converter';
import { getCodeMetadata } from 'tslab/dist/metadata';
import { COMPILE_PROCESS_ENTRY } from '../paths';
import { MAX_COMPILED_CHARS, type CompileCache } from './compile-cache';
import type { CompileRequest } from './compile-process';
import { WARM_LINE, type ChildJob, type CompiledCell } from './protocol';
import { makeScratch, spawnConfined } from './confinement';
import { readLines } from './line-reader';

export interface CompileLimits {
  /** how long one cell may take to compile before the service is restarted (the child then compiles it itself) */
  readonly cellTimeoutMs: number;
  readonly maxOldSpaceMb: number;
}

/** The compiled cell's key in memory and in a `CompileCache`: its source and the declarations it is compiled after. */
export const compiledCellKey = (prevDecl: string, source: string): string =>
  createHash('sha256').update(prevDecl).update('\0').update(source).digest('hex');

/** What a request comes to: the converter's result, none (too slow, too large, the service died), or given up by its submission. */
const CANCELLED = Symbol('cancelled');
type Reply = ConvertResult | null | typeof CANCELLED;

/** Compiled cells kept in memory for the run, in bytes of JSON: the release's cells, asked for by every submission, stay. */
const MEMORY_BYTES = 32 * 1024 * 1024;

/** One running service process and the replies it owes. */
class ServiceProcess {
  private readonly scratch = makeScratch();
  private readonly process: ReturnType<typeof spawnConfined>;
  private readonly replies = new Map<number, (reply: Reply) => void>();
  private nextId = 0;
  /** resolves once the service has loaded the compiler (or has died): per-cell timers start from there */
  private readonly ready: Promise<void>;
  exited = false;

  constructor(limits: CompileLimits, onExit: () => void) {
    this.process = spawnConfined(this.scratch, limits.maxOldSpaceMb, COMPILE_PROCESS_ENTRY);
    this.process.stdin?.on('error', () => undefined);
    let warmed!: () => void;
    this.ready = new Promise((resolve) => { warmed = resolve; });
    readLines(this.process.stdio[3] as Readable, (line) => {
      if (line === WARM_LINE) return warmed();
      let reply: { id: number; result: ConvertResult | null };
      try {
        reply = JSON.parse(line) as typeof reply;
      } catch {
        return; // a garbled or oversized line: that request times out and its cell is compiled by the child
      }
      // The service sends nothing larger (the request says so); a longer line is not a result to keep.
      this.replies.get(reply.id)?.(line.length > MAX_COMPILED_CHARS + REPLY_ENVELOPE_CHARS ? null : reply.result);
      this.replies.delete(reply.id);
    });
    void this.process.then(() => {
      this.exited = true;
      warmed();
      rmSync(this.scratch, { recursive: true, force: true });
      this.answerAll(null);
      onExit();
    });
  }

  get busy(): boolean {
    return this.replies.size > 0;
  }

  /** The converter's result, or null if the process died or did not answer within `timeoutMs` (it is then killed). */
  async convert(prevDecl: string, source: string, timeoutMs: number): Promise<Reply> {
    await this.ready;
    if (this.exited) return null;
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.replies.delete(id);
        this.kill();
        resolve(null);
      }, timeoutMs);
      this.replies.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      const request: CompileRequest = { id, prevDecl, source, maxChars: MAX_COMPILED_CHARS };
      this.process.stdin?.write(`${JSON.stringify(request)}\n`);
    });
  }

  /** Stops the process; what it was compiling was given up (not an answer about the cell). */
  cancel(): void {
    this.answerAll(CANCELLED);
    this.kill();
  }

  kill(): void {
    this.exited = true;
    this.process.kill('SIGKILL');
    // Now, not once the exit is seen: a grader that exits right after (run_autograder) would leave the folder behind.
    rmSync(this.scratch, { recursive: true, force: true });
  }

  private answerAll(reply: Reply): void {
    for (const answer of this.replies.values()) answer(reply);
    this.replies.clear();
  }
}

/** What a reply line adds around the result: `{"id":…,"result":…}`. */
const REPLY_ENVELOPE_CHARS = 64;

/** Compiled results by key, least recently used first out once they take more than `maxBytes` of JSON. */
class ResultMemory {
  private readonly entries = new Map<string, { result: ConvertResult; bytes: number }>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string): ConvertResult | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.result;
  }

  set(key: string, result: ConvertResult): void {
    const bytes = JSON.stringify(result).length;
    if (this.entries.has(key) || bytes > this.maxBytes) return;
    this.entries.set(key, { result, bytes });
    this.bytes += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.bytes;
    }
  }

  *values(): IterableIterator<ConvertResult> {
    for (const entry of this.entries.values()) yield entry.result;
  }
}

/**
 * One submission's compiler: a service process of its own, taken when it first needs one. A notebook whose types make
 * the compiler spin holds up only itself, and pays for it out of its own run time; the release's cells, which every
 * submission shares, are compiled once whichever submission asks first.
 */
class Lease {
  private process?: ServiceProcess;
  cancelled = false;

  constructor(private readonly service: CompileService) {}

  /** The process this submission compiles in (a fresh one after its last was stopped for taking too long). */
  take(): ServiceProcess {
    if (!this.process || this.process.exited) this.process = this.service.takeProcess();
    return this.process;
  }

  /** The submission is done: its process goes back to the idle ones. */
  end(): void {
    if (this.process && !this.process.exited) this.service.giveBack(this.process);
    this.process = undefined;
  }

  /** The submission ended before its cells did (stopped, crashed): what its process was compiling is given up. */
  cancel(): void {
    this.cancelled = true;
    if (this.process?.busy) this.process.cancel();
    this.end();
  }
}

/**
 * The grader's side of the compile service (`sandbox/compile-process.ts`): compiles each cell for the declarations
 * before it, once per run while its result is in memory (the release's cells every learner shares, identical
 * submissions), and with a `CompileCache` once across runs too. Each submission compiles in a process of its own
 * (idle ones are reused), so one submission's slow cells delay no other. A
 * cell that takes longer than the per-cell limit (hostile types can make a compiler spin) gets no result, and its
 * process is stopped.
 */
export class CompileService {
  private readonly idle: ServiceProcess[] = [];
  private readonly running = new Set<ServiceProcess>();
  private readonly inFlight = new Map<string, Promise<Reply>>();
  readonly results = new ResultMemory(MEMORY_BYTES);

  constructor(private readonly limits: CompileLimits, private readonly cache?: CompileCache) {}

  /** Starts a service process now (it loads TypeScript and the kit's declarations) rather than at the first cell. */
  start(): void {
    if (this.idle.length === 0) this.idle.push(this.spawn());
  }

  /** How many service processes are running. */
  get processes(): number {
    return this.running.size;
  }

  /**
   * Each cell of the job that runs, compiled in order as if every earlier cell had run (as tslab's executor would
   * hold their declarations). After a `%module` cell (it changes the converter's state) or a cell without a result,
   * the rest get none. Ending the iteration early (the child ended) stops the compile in progress.
   */
  compileCells(job: ChildJob): AsyncIterable<CompiledCell> {
    const lease = new Lease(this);
    const cells = this.cellsFor(job, lease);
    return {
      [Symbol.asyncIterator]: () => ({
        next: () => cells.next(),
        return: (value?: unknown) => {
          lease.cancel();
          return cells.return(value);
        },
      }),
    };
  }

  dispose(): void {
    for (const process of this.running) process.kill();
    this.cache?.trim();
  }

  /**
   * An idle process, or a new one (no spare is kept warm: on a small machine its warm-up slows the submissions
   * running; a run holds as many processes as submissions it grades at once).
   */
  takeProcess(): ServiceProcess {
    return this.idle.pop() ?? this.spawn();
  }

  giveBack(process: ServiceProcess): void {
    this.idle.push(process);
  }

  private async *cellsFor(job: ChildJob, lease: Lease): AsyncGenerator<CompiledCell> {
    try {
      let prevDecl = '';
      let following = true;
      for (const cell of job.cells) {
        if (cell.skip) continue;
        const meta = getCodeMetadata(cell.source);
        if (meta.module !== undefined) following = false;
        // tslab's executor does not compile browser-mode cells.
        if (!following || meta.mode === 'browser') {
          yield { index: cell.index, result: null };
          continue;
        }
        const result = await this.compile(prevDecl, cell.source, lease);
        if (result === null) following = false;
        else if (result.diagnostics.length === 0) prevDecl = result.declOutput ?? '';
        yield { index: cell.index, result };
      }
    } finally {
      lease.end();
    }
  }

  /**
   * tslab's converter output for `source` after the declarations `prevDecl`, or null when the service has none: from
   * memory, the disk cache, a compile in progress for another submission, or the lease's own process.
   */
  private async compile(prevDecl: string, source: string, lease: Lease): Promise<ConvertResult | null> {
    const key = compiledCellKey(prevDecl, source);
    while (!lease.cancelled) {
      const known = this.results.get(key) ?? this.cache?.get(key);
      if (known) {
        this.results.set(key, known);
        return known;
      }
      const reply = await (this.inFlight.get(key) ?? this.startCompile(key, prevDecl, source, lease));
      // Given up by the submission that started it: this one compiles it in its own process.
      if (reply !== CANCELLED) return reply;
    }
    return null;
  }

  private startCompile(key: string, prevDecl: string, source: string, lease: Lease): Promise<Reply> {
    const compiled = lease.take().convert(prevDecl, source, this.limits.cellTimeoutMs).then((reply) => {
      this.inFlight.delete(key);
      if (reply === CANCELLED) return reply;
      const result = portable(reply);
      // No result (timed out, too large, service died) is not an answer to keep: the next submission asks again.
      if (result) {
        this.results.set(key, result);
        this.cache?.put(key, result);
      }
      return result;
    });
    this.inFlight.set(key, compiled);
    return compiled;
  }

  private spawn(): ServiceProcess {
    const process: ServiceProcess = new ServiceProcess(this.limits, () => {
      this.running.delete(process);
      const idle = this.idle.indexOf(process);
      if (idle >= 0) this.idle.splice(idle, 1);
    });
    this.running.add(process);
    return process;
  }
}

/** A result that names files of the service's own scratch folder (outputs of local modules) is no use to a child. */
function portable(result: ConvertResult | null): ConvertResult | null {
  return result?.sideOutputs?.length ? null : result;
}
