import type { Notebook } from './types';

/** Parses notebook text; the error quotes what JSON.parse said, and the caller adds where it came from. */
export function parseNotebookJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`not valid JSON (${(error as Error).message})`);
  }
}

/**
 * Serializes a notebook the way Jupyter writes it: keys sorted, 1-space indent, multi-line strings (cell sources)
 * as lists of lines, trailing newline. The same notebook always gives byte-identical text.
 */
export function serializeNotebook(notebook: Notebook): string {
  return `${JSON.stringify(normalize(notebook), null, 1)}\n`;
}

/** Splits text into lines that keep their '\n', as nbformat stores sources and stream outputs. */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

const LINE_LIST_KEYS = new Set(['source', 'text']);

function normalize(value: unknown, key?: string): unknown {
  if (typeof value === 'string' && key !== undefined && LINE_LIST_KEYS.has(key)) return splitLines(value);
  if (Array.isArray(value)) {
    if (key !== undefined && LINE_LIST_KEYS.has(key) && value.every((item) => typeof item === 'string')) {
      return splitLines(value.join(''));
    }
    return value.map((item) => normalize(item));
  }
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const name of Object.keys(value).sort()) sorted[name] = normalize((value as Record<string, unknown>)[name], name);
    return sorted;
  }
  return value;
}
