import { dropInvalidMetadata } from './repair';
import type { Notebook } from './types';
import { upgradeNotebook } from './upgrade';
import { notebookProblems } from './validate';

/** A parsed notebook as Jupyter would open it, or why it cannot be. */
export type OpenedNotebook =
  | { readonly notebook: Notebook; readonly upgradedFrom?: string; readonly dropped: readonly string[]; readonly problems?: undefined }
  | { readonly problems: readonly string[]; readonly notebook?: undefined };

/**
 * Opens parsed JSON as Jupyter does: nbformat 3 and 4.0–4.4 upgraded in memory, metadata fields of the wrong type
 * dropped (Jupyter only warns about them), then the official nbformat v4.5 schema, nbformat 4 and a TypeScript kernel
 * checked. Grading, `convlab check` and the course's own notebooks all open notebooks this way.
 */
export function openNotebook(value: unknown): OpenedNotebook {
  const { notebook: upgraded, upgradedFrom } = upgradeNotebook(value);
  const { notebook, dropped } = dropInvalidMetadata(upgraded);
  const problems = notebookProblems(notebook);
  if (problems.length > 0) return { problems };
  return { notebook: notebook as Notebook, dropped, ...(upgradedFrom !== undefined ? { upgradedFrom } : {}) };
}
