import { latenessOf } from '../course/deadlines';
import type { GradingContext, Stage } from './context';

/**
 * Attaches the submission's lateness under the course file's deadline for this assignment. It runs on every result,
 * one taken unchanged from the gradebook included, so that a changed due date or extension applies at once.
 */
export const latePenalty: Stage = {
  name: 'late-penalty',
  sanitizes: false,
  async run(context: GradingContext): Promise<GradingContext> {
    const { run, source, result } = context;
    if (!result || !run.deadline) return context;
    return { ...context, result: { ...result, lateness: latenessOf(run.deadline, source.student, source.submittedAt, source.lmsLate) } };
  },
};
