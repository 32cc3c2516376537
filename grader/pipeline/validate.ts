import { openNotebook } from '../notebook/open';
import type { GradingContext, Stage } from './context';

/**
 * Upgrades nbformat 3 and 4.0–4.4 in memory and drops metadata fields of the wrong type (both as Jupyter opens them),
 * then checks the official nbformat v4.5 schema, nbformat 4 and a TypeScript kernel; reports every problem found.
 */
export const validate: Stage = {
  name: 'validate',
  sanitizes: true,
  async run(context: GradingContext): Promise<GradingContext> {
    const opened = openNotebook(context.notebook);
    if (opened.problems) return { ...context, invalid: opened.problems.join('; ') };
    const { notebook, dropped, upgradedFrom } = opened;
    const repairs = dropped.length === 0 ? context.repairs
      : [...context.repairs ?? [], `Some of your notebook's metadata was malformed and was left out before grading: ${dropped.join('; ')}.`];
    return { ...context, notebook, ...(upgradedFrom !== undefined ? { upgradedFrom } : {}), ...(repairs !== undefined ? { repairs } : {}) };
  },
};
