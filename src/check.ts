import { inspect } from 'node:util';
import { expect, assert } from 'chai';

export { expect, assert };

export type Checks = Readonly<Record<string, () => unknown>>;

/**
 * Runs a cell's public self-checks: prints `✓ name` or `✗ name — message` for each, then throws if any failed so the
 * cell shows as failed in Jupyter and in `convlab check`. All checks run even when an early one fails.
 *
 * The thrown error carries no stack: tslab prints a failed cell's error with `console.error`, and frames inside the
 * kit's compiled files tell a learner nothing the ✗ lines above have not already said.
 */
export async function selfCheck(checks: Checks): Promise<void> {
  const failed: string[] = [];
  for (const [name, check] of Object.entries(checks)) {
    try {
      await check();
      console.log(`✓ ${name}`);
    } catch (error) {
      failed.push(name);
      console.log(`✗ ${name} — ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (failed.length > 0) {
    const failure = new Error(`${failed.length} of ${Object.keys(checks).length} self-checks failed: ${failed.join('; ')}`);
    Object.defineProperty(failure, inspect.custom, { value: () => `Error: ${failure.message}` });
    throw failure;
  }
}
