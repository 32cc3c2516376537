import { codeCellCount } from '../sandbox/child-job';
import type { GradingContext, Stage } from './context';

/**
 * Code cells a submission may add to the release's: more than any learner needs, few enough that a notebook cannot
 * keep the compiler busy with thousands of cells (each one may type-check for up to `--cell-timeout`).
 */
export const EXTRA_CODE_CELLS = 50;

/** A notebook with more code cells than the release's plus EXTRA_CODE_CELLS is invalid, before any of it compiles. */
export const boundCells: Stage = {
  name: 'bound-cells',
  sanitizes: true,
  async run(context: GradingContext): Promise<GradingContext> {
    const released = codeCellCount(context.run.assignment.released);
    const submitted = codeCellCount(context.notebook!);
    if (submitted <= released + EXTRA_CODE_CELLS) return context;
    return {
      ...context,
      invalid: `the notebook has ${submitted} code cells; the assignment has ${released}, and at most ${released + EXTRA_CODE_CELLS} are graded: remove the cells you added that you do not need`,
    };
  },
};
