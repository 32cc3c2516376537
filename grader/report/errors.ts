/**
 * The base of every error `convlab report` raises about its inputs (options, roster, gradebook): the user can fix
 * them, so the CLI prints the message alone and exits with its usage status instead of a stack trace.
 */
export class ReportInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
