import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { messageOf, UsageError } from '../errors';
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
    const stem = join(dir, feedbackFileStem(context.result.student));
    const result = withHints(context.result, context.run.assignment.tests);
    // The grade is already in the gradebook: a file that cannot be written stops the run in one line, and a rerun
    // writes it from the stored result.
    const files = [[`${stem}.md`, toFeedbackMarkdown(result)], [`${stem}.html`, toFeedbackHtml(result)]] as const;
    let path: string = dir;
    try {
      await mkdir(dir, { recursive: true });
      for (const [file, text] of files) {
        path = file;
        await writeFile(file, text);
      }
    } catch (error) {
      throw new UsageError(`cannot write feedback "${path}": ${messageOf(error)}`);
    }
    return context;
  },
};
