/** Parses SVG strictly (a malformed document throws) so tests can count marks and read text. */
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';

export function parseSvg(svg: string): Document {
  const document = new DOMParser({
    onError: (level, message) => {
      if (level !== 'warning') throw new Error(`invalid SVG: ${message}`);
    },
  }).parseFromString(svg, 'image/svg+xml');
  if (document.documentElement?.tagName !== 'svg') throw new Error('invalid SVG: the root element is not <svg>');
  return document;
}

export function elements(node: Document | Element, tagName: string): Element[] {
  return Array.from(node.getElementsByTagName(tagName));
}

/** The mark groups Vega draws, e.g. `mark-line`, `mark-rect`, `mark-text` (axis marks are `role-axis-*`). */
export function markGroups(document: Document, markClass: string): Element[] {
  return elements(document, 'g').filter((g) => (g.getAttribute('class') ?? '').split(' ').includes(markClass) &&
    (g.getAttribute('class') ?? '').split(' ').includes('role-mark'));
}

export function texts(node: Document | Element): string[] {
  return elements(node, 'text').map((text) => text.textContent ?? '');
}
