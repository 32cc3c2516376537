import { regradeReasons } from '../fingerprint';
import { contentHash } from '../notebook/checksum';
import { parseNotebookJson } from '../notebook/format';
import type { Notebook } from '../notebook/types';
import { MAX_ENTRY_BYTES } from '../inputs/zip';
import { retryReason } from '../model/results';
import type { GradingContext, Stage } from './context';

/** nbformat files are UTF-8; a fatal decoder refuses other encodings instead of grading U+FFFD-mangled code. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads the bytes, hashes them, and parses the JSON. A submission the gradebook already holds with the same content
 * under the same grading fingerprint is taken from there (unless --force) and not graded again; one it holds under
 * another fingerprint is graded again, with the reasons, and so is one whose stored result failed outside the
 * submission, while attempts are left.
 */
export const read: Stage = {
  name: 'read',
  sanitizes: true,
  async run(context: GradingContext): Promise<GradingContext> {
    const { source, run } = context;
    const bytes = await source.read();
    const hash = contentHash(bytes);
    const stored = run.force ? undefined : run.gradebook?.find(run.assignment.name, source.student, hash, run.fingerprint.id);
    // A stored failure the submission did not cause is graded again while attempts are left.
    const retry = stored && retryReason(stored);
    // Same content, maybe under a new path: report where it was read from this time.
    if (stored && !retry) return { ...context, bytes, contentHash: hash, result: { ...stored, submission: source.label } };
    const previous = run.gradebook?.lastGrading(run.assignment.name, source.student, hash);
    const regraded = retry ? [retry] : previous === undefined ? undefined
      : run.force ? ['forced' as const] : regradeReasons(previous.parts, run.fingerprint.parts);
    const withHash = { ...context, bytes, contentHash: hash, ...(regraded !== undefined ? { regraded } : {}) };
    if (!source.label.toLowerCase().endsWith('.ipynb')) return { ...withHash, invalid: `not a notebook: "${source.label}" is not an .ipynb file` };
    // The same cap as an archive entry: a notebook is kilobytes to a few megabytes.
    if (bytes.length > MAX_ENTRY_BYTES) return { ...withHash, invalid: `notebook too large: ${bytes.length} bytes (limit ${MAX_ENTRY_BYTES})` };
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      return { ...withHash, invalid: 'not UTF-8 text (nbformat notebooks are UTF-8 JSON)' };
    }
    try {
      return { ...withHash, notebook: parseNotebookJson(text) as Notebook };
    } catch (error) {
      return { ...withHash, invalid: (error as Error).message };
    }
  },
};
