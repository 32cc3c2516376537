import type MochaModule = require('mocha');

/** mocha 12 is an ES module; required from CommonJS, its class is the `default` export. */
export const MochaClass: typeof MochaModule = (require('mocha') as { default: typeof MochaModule }).default;

type Runnable = MochaModule.Runnable;

/** The tests and hooks of `suite` and every suite under it. */
function runnablesOf(suite: MochaModule.Suite): Runnable[] {
  const hooks = suite as unknown as Record<'_beforeAll' | '_beforeEach' | '_afterAll' | '_afterEach', Runnable[]>;
  return [...suite.tests, ...hooks._beforeAll, ...hooks._beforeEach, ...hooks._afterAll, ...hooks._afterEach,
    ...suite.suites.flatMap(runnablesOf)];
}

/**
 * Says whether a test really passed: mocha's word is not enough once submission code has run in the same process, so a
 * pass counts only when the test's own function ran to completion while mocha ran that very test, and no hook ended
 * without its own function having run to completion.
 *
 * `seal` puts each test's and hook's function behind a wrapper that records its completion, fixed on the instance
 * (mocha never writes or deletes `fn` once a Runnable exists, unless a runner is told to clean references), and clears
 * the source text mocha keeps beside it (`body`).
 */
export class RunGuard {
  private test?: Runnable;
  private hook?: Runnable;
  private readonly completed = new WeakSet<Runnable>();
  /** a hook ended, not skipped, without its own function having run to completion */
  private hookBypassed = false;

  static seal(suite: MochaModule.Suite): RunGuard {
    const guard = new RunGuard();
    for (const runnable of runnablesOf(suite)) if (runnable.fn) guard.wrap(runnable);
    return guard;
  }

  /** Follows the runner's events: which test and which hook are running. */
  watch(runner: MochaModule.Runner): void {
    const { EVENT_TEST_BEGIN, EVENT_TEST_END, EVENT_HOOK_BEGIN, EVENT_HOOK_END } = MochaClass.Runner.constants;
    runner.on(EVENT_TEST_BEGIN, (test: Runnable) => { this.test = test; });
    runner.on(EVENT_TEST_END, () => { this.test = undefined; });
    runner.on(EVENT_HOOK_BEGIN, (hook: Runnable) => {
      this.hook = hook;
      this.completed.delete(hook);
    });
    runner.on(EVENT_HOOK_END, (hook: Runnable) => {
      if (!this.completed.has(hook) && !hook.pending) this.hookBypassed = true;
      this.hook = undefined;
    });
  }

  passed(test: Runnable): boolean {
    return this.completed.has(test) && !this.hookBypassed;
  }

  /** A hook runs while its test is the current one; a test's own function runs outside its hooks. */
  private isRunning(runnable: Runnable): boolean {
    return runnable instanceof MochaClass.Hook ? runnable === this.hook : runnable === this.test && this.hook === undefined;
  }

  private wrap(runnable: Runnable): void {
    const original = runnable.fn!;
    const finish = (): void => {
      if (this.isRunning(runnable)) this.completed.add(runnable);
    };
    // Same arity as the original: mocha chose callback style or not from it when the Runnable was made.
    const wrapper = original.length > 0
      ? function (this: unknown, done: (error?: unknown) => void): unknown {
        return original.call(this as MochaModule.Context, (error?: unknown) => {
          if (!error) finish();
          done(error);
        });
      }
      : function (this: unknown): unknown {
        const result = (original as (this: unknown) => unknown).call(this);
        if (!isThenable(result)) {
          finish();
          return result;
        }
        return result.then((value: unknown) => {
          finish();
          return value;
        });
      };
    Object.defineProperty(runnable, 'fn', { value: wrapper, writable: false, configurable: false, enumerable: true });
    runnable.body = '';
  }
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
