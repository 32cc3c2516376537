import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { ConvertResult } from 'tslab/dist/converter';
import { getCodeMetadata } from 'tslab/dist/metadata';
import { COMPILE_SERVICE_ENTRY } from '../paths';
import type { CompileCache } from './compile-cache';
import type { CompileRequest } from './compile-service';
import { WARM_LINE, type ChildJob, type CompiledCell } from './protocol';
import { makeScratch, readLines, spawnConfined } from './session';

export interface CompileLimits {
  /** how long one cell may take to compile before the service is restarted (the child then compiles it itself) */
  readonly cellTimeoutMs: number;
  readonly maxOldSpaceMb: number;
}

/** One running service process and the replies it owes. */
class ServiceProcess {
  private readonly scratch = makeScratch();
  private readonly process: ReturnType<typeof spawnConfined>;
  private readonly replies = new Map<number, (result: ConvertResult | null) => void>();
  private nextId = 0;
  /** resolves once the service has loaded the compiler (or has died): per-cell timers start from there */
  private readonly ready: Promise<void>;
  exited = false;

  constructor(limits: CompileLimits) {
    this.process = spawnConfined(this.scratch, limits.maxOldSpaceMb, COMPILE_SERVICE_ENTRY);
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
      this.replies.get(reply.id)?.(reply.result);
      this.replies.delete(reply.id);
    });
    void this.process.then(() => {
      this.exited = true;
      warmed();
      rmSync(this.scratch, { recursive: true, force: true });
      for (const reply of this.replies.values()) reply(null);
      this.replies.clear();
    });
  }

  /** The converter's result, or null if the process died or did not answer within `timeoutMs` (it is then killed). */
  async convert(prevDecl: string, source: string, timeoutMs: number): Promise<ConvertResult | null> {
    await this.ready;
    if (this.exited) return null;
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.replies.delete(id);
        this.kill();
        resolve(null);
      }, timeoutMs);
      this.replies.set(id, (result) => {
        clearTimeout(timer);
        resolve(result);
      });
      const request: CompileRequest = { id, prevDecl, source };
      this.process.stdin?.write(`${JSON.stringify(request)}\n`);
    });
  }

  kill(): void {
    this.exited = true;
    this.process.kill('SIGKILL');
  }
}

/**
 * The grader's side of the compile service (`sandbox/compile-service.ts`): compiles each cell once per run for the
 * declarations before it, so the locked cells every learner shares, and identical submissions, compile once; with a
 * `CompileCache`, once across runs too. Requests run one at a time; a cell that takes longer than the per-cell limit
 * (hostile types can make a compiler spin) gets no result and the service restarts for the next request.
 */
export class CompileService {
  private service?: ServiceProcess;
  private readonly results = new Map<string, Promise<ConvertResult | null>>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly limits: CompileLimits, private readonly cache?: CompileCache) {}

  /** Starts the service process now (it loads TypeScript and the kit's declarations) rather than at the first cell. */
  start(): void {
    this.process();
  }

  /** tslab's converter output for `source` after the declarations `prevDecl`, or null when the service has none. */
  compile(prevDecl: string, source: string): Promise<ConvertResult | null> {
    const key = createHash('sha256').update(prevDecl).update('\0').update(source).digest('hex');
    let result = this.results.get(key);
    if (!result) {
      const stored = this.cache?.get(key);
      if (stored) {
        result = Promise.resolve(stored);
      } else {
        result = this.queue.then(() => this.process().convert(prevDecl, source, this.limits.cellTimeoutMs)).then(portable).then((compiled) => {
          // No result (timed out, service died) is not an answer to keep: the next run asks again.
          if (compiled) this.cache?.put(key, compiled);
          return compiled;
        });
        this.queue = result;
      }
      this.results.set(key, result);
    }
    return result;
  }

  /**
   * Each cell of the job that runs, compiled in order as if every earlier cell had run (as tslab's executor would
   * hold their declarations). After a `%module` cell (it changes the converter's state) or a cell without a result,
   * the rest get none.
   */
  async *compileCells(job: ChildJob): AsyncIterable<CompiledCell> {
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
      const result = await this.compile(prevDecl, cell.source);
      if (result === null) following = false;
      else if (result.diagnostics.length === 0) prevDecl = result.declOutput ?? '';
      yield { index: cell.index, result };
    }
  }

  dispose(): void {
    this.service?.kill();
    this.cache?.trim();
  }

  private process(): ServiceProcess {
    if (!this.service || this.service.exited) this.service = new ServiceProcess(this.limits);
    return this.service;
  }
}

/** A result that names files of the service's own scratch folder (outputs of local modules) is no use to a child. */
function portable(result: ConvertResult | null): ConvertResult | null {
  return result?.sideOutputs?.length ? null : result;
}
