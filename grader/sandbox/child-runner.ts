import type { Assignment } from '../assignment';
import type { Notebook } from '../notebook/types';
import { childJob, releasedLeadingCells } from './child-job';
import { CompileCache } from './compile-cache';
import { CompileService } from './compile-service';
import type { SandboxLimits } from './limits';
import { SandboxPool } from './pool';
import type { SandboxOutcome } from './session';

/** Submissions one compile service serves before a fresh one takes over: its memory of compiled cells grows with each new cell. */
const COMPILER_JOBS = 500;

/**
 * Runs submissions' notebooks and hidden tests in sandbox children, for every place that grades (a local run, a queue
 * worker, Gradescope's run_autograder): a child started ahead for the next submission, and a compile service shared by
 * the children (the cells every learner shares compile once), replaced every COMPILER_JOBS submissions so that a
 * worker running for weeks keeps a bounded memory.
 */
export class ChildRunner {
  private readonly pool: SandboxPool;
  private compiler?: CompileService;
  private served = 0;
  /** submissions still using each compile service; a replaced one stops when its last submission ends */
  private readonly users = new Map<CompileService, number>();

  /**
   * `cache`: compiled cells kept across runs; `expected`: how many children the run may need, as far as it knows
   * (Infinity for a worker; 0 where another machine runs them: nothing starts); `dataDir`: see `Sandbox`.
   */
  constructor(private readonly limits: SandboxLimits, private readonly cache: CompileCache = new CompileCache(), expected = Infinity,
    dataDir?: string) {
    this.pool = new SandboxPool(limits, expected, 1, dataDir);
  }

  /** Starts the compile service and the spare child now, to warm up while the run reads its course and submissions. */
  warmUp(): void {
    this.compiler ??= this.startCompiler();
    this.pool.startAhead();
  }

  /** Now that the run knows: `count` children still needed. */
  expect(count: number): void {
    this.pool.expect(count);
  }

  /** Runs the notebook's cells, then the assignment's hidden tests, in a warm child, with its cells compiled by the service. */
  async run(notebook: Notebook, assignment: Pick<Assignment, 'specs' | 'released'>): Promise<SandboxOutcome> {
    const compiler = this.compilerForNext();
    this.users.set(compiler, this.users.get(compiler)! + 1);
    try {
      const job = childJob(notebook, assignment.specs, this.limits);
      return await this.pool.take().run(job, compiler.compileCells(job), releasedLeadingCells(job, assignment.released));
    } finally {
      this.release(compiler, 1);
    }
  }

  dispose(): void {
    this.pool.dispose();
    for (const compiler of this.users.keys()) compiler.dispose();
  }

  /** The current compile service, or a fresh one once the current has served its share. */
  private compilerForNext(): CompileService {
    if (this.compiler === undefined) this.compiler = this.startCompiler();
    else if (this.served >= COMPILER_JOBS) {
      const retired = this.compiler;
      this.compiler = this.startCompiler();
      this.release(retired, 0);
    }
    this.served += 1;
    return this.compiler;
  }

  private startCompiler(): CompileService {
    const compiler = new CompileService(this.limits, this.cache);
    compiler.start();
    this.users.set(compiler, 0);
    this.served = 0;
    return compiler;
  }

  /** `count` users fewer; a compile service no longer current and no longer used stops. */
  private release(compiler: CompileService, count: number): void {
    const left = this.users.get(compiler)! - count;
    this.users.set(compiler, left);
    if (left === 0 && compiler !== this.compiler) {
      compiler.dispose();
      this.users.delete(compiler);
    }
  }
}
