import type { GradingContext, Stage } from './context';

/** Runs the notebook's cells, then the hidden tests, in a sandbox child, and keeps what it reported. */
export const execute: Stage = {
  name: 'execute',
  sanitizes: false,
  async run(context: GradingContext): Promise<GradingContext> {
    const { run } = context;
    return { ...context, outcome: await run.runner.run(context.notebook!, run.assignment) };
  },
};
