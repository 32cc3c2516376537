/**
 * The one family of errors the user caused and can fix (a bad argument, an unknown assignment, a missing gradebook,
 * a malformed roster): the CLI prints the message alone, on one line, and exits with 2. Anything else is the
 * grader's own failure (exit 3).
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A gradebook that cannot be opened, read or written; the message names the file. */
export class GradebookError extends UsageError {}

/** A roster that cannot be used; the message names the file (and the line). */
export class RosterError extends UsageError {}

/**
 * A failure the submission did not cause (its outcome refused by the queue, a worker's own breakdown): the run records
 * it as an error and the next run of the same command grades the submission again, as after a kill from outside.
 */
export class OutsideFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Renders any thrown value as one line for users. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
