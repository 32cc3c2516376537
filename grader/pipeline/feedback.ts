import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { toFeedbackHtml, toFeedbackMarkdown, withHints } from '../model/feedback';
import type { GradingContext, Stage } from './context';

/** A student id as a file name: anything unusual (from an archive entry, say) becomes '_'. */
export const feedbackFileStem = (student: string): string => student.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');

/** Writes `<student>.md` and `<student>.html` to the feedback folder (the only stage that writes files). */
export const feedback: Stage = {
  name: 'feedback',
  sanitizes: false,
  async run(context: GradingContext): Promise<GradingContext> {
    const dir = context.run.feedbackDir;
    if (dir === undefined || !context.result) return context;
    await mkdir(dir, { recursive: true });
    const stem = join(dir, feedbackFileStem(context.result.student));
    const result = withHints(context.result, context.run.assignment.tests);
    await writeFile(`${stem}.md`, toFeedbackMarkdown(result));
    await writeFile(`${stem}.html`, toFeedbackHtml(result));
    return context;
  },
};
