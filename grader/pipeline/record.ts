import type { GradingContext, Stage } from './context';

/** Writes the attempt and its tests to the gradebook in one transaction (the only stage that writes SQLite). */
export const record: Stage = {
  name: 'record',
  sanitizes: false,
  async run(context: GradingContext): Promise<GradingContext> {
    if (context.result && !context.result.unchanged) context.run.gradebook?.record(context.result, context.run.fingerprint);
    return context;
  },
};
