import type { SandboxLimits } from './limits';
import { Sandbox } from './session';

/**
 * Hands out sandbox children that started early: while one submission runs, the next child is already loading tslab
 * and TensorFlow.js, so its warm-up does not add to the wall time.
 */
export class SandboxPool {
  private readonly spares: Sandbox[] = [];

  /** `expected`: how many children the run may still need (never start more than that); `dataDir`: see `Sandbox`. */
  constructor(private readonly limits: SandboxLimits, private expected: number, private readonly spareCount = 1,
    private readonly dataDir?: string) {}

  /** Starts the spare children now rather than at the first `take()`. */
  startAhead(): void {
    this.refill();
  }

  /** Now that the run knows: `count` children still needed, spares started ahead included. */
  expect(count: number): void {
    this.expected = count;
    for (const extra of this.spares.splice(count)) extra.dispose();
    this.refill();
  }

  take(): Sandbox {
    this.expected = Math.max(0, this.expected - 1);
    const sandbox = this.spares.shift() ?? new Sandbox(this.limits, this.dataDir);
    this.refill();
    return sandbox;
  }

  /** Stops the children nobody took. */
  dispose(): void {
    for (const sandbox of this.spares.splice(0)) sandbox.dispose();
  }

  private refill(): void {
    while (this.spares.length < Math.min(this.spareCount, this.expected)) this.spares.push(new Sandbox(this.limits, this.dataDir));
  }
}
