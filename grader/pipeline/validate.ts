import { upgradeNotebook } from '../notebook/upgrade';
import type { Notebook } from '../notebook/types';
import { notebookProblems } from '../notebook/validate';
import type { GradingContext, Stage } from './context';

/**
 * Upgrades nbformat 4.0–4.4 in memory, then checks the official nbformat v4.5 schema, nbformat 4 and a TypeScript
 * kernel; reports every problem found.
 */
export const validate: Stage = {
  name: 'validate',
  sanitizes: true,
  async run(context: GradingContext): Promise<GradingContext> {
    const { notebook, upgradedFrom } = upgradeNotebook(context.notebook);
    const problems = notebookProblems(notebook);
    if (problems.length > 0) return { ...context, invalid: problems.join('; ') };
    return { ...context, notebook: notebook as Notebook, ...(upgradedFrom !== undefined ? { upgradedFrom } : {}) };
  },
};
