import { contentHash } from '../notebook/checksum';
import { parseNotebookJson } from '../notebook/format';
import type { Notebook } from '../notebook/types';
import type { GradingContext, Stage } from './context';

/**
 * Reads the bytes, hashes them, and parses the JSON. A submission the gradebook already holds with the same content
 * is taken from there (unless --force) and not graded again.
 */
export const read: Stage = {
  name: 'read',
  sanitizes: true,
  async run(context: GradingContext): Promise<GradingContext> {
    const { source, run } = context;
    const bytes = await source.read();
    const hash = contentHash(bytes);
    const stored = run.force ? undefined : run.gradebook?.find(run.assignment.name, source.student, hash);
    if (stored) return { ...context, bytes, contentHash: hash, result: stored };
    const withHash = { ...context, bytes, contentHash: hash };
    if (!source.label.toLowerCase().endsWith('.ipynb')) return { ...withHash, invalid: `not a notebook: "${source.label}" is not an .ipynb file` };
    try {
      return { ...withHash, notebook: parseNotebookJson(bytes.toString('utf8')) as Notebook };
    } catch (error) {
      return { ...withHash, invalid: (error as Error).message };
    }
  },
};
