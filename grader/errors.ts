/** An error the user caused (bad argument, unknown assignment): the CLI prints its message and exits with 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Renders any thrown value as one line for users. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
