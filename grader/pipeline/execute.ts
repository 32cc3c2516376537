import { childJob, releasedLeadingCells } from '../sandbox/job';
import type { GradingContext, Stage } from './context';

/** Runs the notebook's cells, then the hidden tests, in a sandbox child, and keeps what it reported. */
export const execute: Stage = {
  name: 'execute',
  sanitizes: false,
  async run(context: GradingContext): Promise<GradingContext> {
    const { run } = context;
    const job = childJob(context.notebook!, run.assignment.specs, run.limits);
    const outcome = await run.takeSandbox().run(job, run.compiler?.compileCells(job), releasedLeadingCells(job, run.assignment.released));
    return { ...context, outcome };
  },
};
