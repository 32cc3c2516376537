import type { Display } from 'tslab';

/** One output sent to the cell. */
export interface Recorded {
  kind: 'html' | 'svg' | 'png' | 'text';
  content: string | Uint8Array;
}

/** A tslab Display that records what a running kernel would have shown. */
export function recordingDisplay(): Display & { shown: Recorded[] } {
  const shown: Recorded[] = [];
  const unsupported = (kind: string) => () => {
    throw new Error(`unexpected ${kind} output`);
  };
  return {
    shown,
    html: (content) => void shown.push({ kind: 'html', content }),
    svg: (content) => void shown.push({ kind: 'svg', content }),
    png: (content) => void shown.push({ kind: 'png', content }),
    text: (content) => void shown.push({ kind: 'text', content }),
    javascript: unsupported('javascript'),
    markdown: unsupported('markdown'),
    latex: unsupported('latex'),
    jpeg: unsupported('jpeg'),
    gif: unsupported('gif'),
    pdf: unsupported('pdf'),
    raw: unsupported('raw'),
  };
}
