import { notebookProblems } from '../notebook/validate';
import type { GradingContext, Stage } from './context';

/** Checks the official nbformat v4.5 schema, nbformat 4 and a TypeScript kernel; reports every problem found. */
export const validate: Stage = {
  name: 'validate',
  sanitizes: true,
  async run(context: GradingContext): Promise<GradingContext> {
    const problems = notebookProblems(context.notebook);
    return problems.length === 0 ? context : { ...context, invalid: problems.join('; ') };
  },
};
