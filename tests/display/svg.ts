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

type Point = readonly [x: number, y: number];

/** The box a text label covers, as the four corners Vega's own width estimate gives it. */
export interface LabelBox {
  readonly text: string;
  readonly corners: readonly Point[];
}

/**
 * Vega without a canvas (as convlab renders) sizes text at 0.8 × font size per character, wider than browsers draw
 * sans-serif: labels that do not overlap at this width do not overlap on screen.
 */
const ESTIMATED_CHARACTER_WIDTH = 0.8;

const translation = (node: Element): Point => {
  const match = /translate\(([-\d.e]+),\s*([-\d.e]+)\)/.exec(node.getAttribute('transform') ?? '');
  return match === null ? [0, 0] : [Number(match[1]), Number(match[2])];
};

/** Where an element's own origin lies in the SVG: its translation and those of the groups around it (Vega translates only). */
function offsetOf(node: Element): Point {
  let [x, y] = [0, 0];
  for (let at: Element | null = node; at !== null && at.tagName !== 'svg'; at = at.parentNode as Element | null) {
    const [dx, dy] = translation(at);
    [x, y] = [x + dx, y + dy];
  }
  return [x, y];
}

/** The boxes of the axis labels (`role-axis-label`), placed by each text's (and its groups') translate, rotate and anchor. */
export function axisLabelBoxes(document: Document): LabelBox[] {
  const labels = elements(document, 'g').filter((g) => (g.getAttribute('class') ?? '').split(' ').includes('role-axis-label'));
  return labels.flatMap((group) => elements(group, 'text')).map((text) => {
    const content = text.textContent ?? '';
    const transform = text.getAttribute('transform') ?? '';
    const [x, y] = offsetOf(text);
    const angle = (Number(/rotate\(([-\d.e]+)\)/.exec(transform)?.[1] ?? 0) * Math.PI) / 180;
    const size = Number.parseFloat(text.getAttribute('font-size') ?? '10');
    const width = ESTIMATED_CHARACTER_WIDTH * size * content.length;
    const left = { start: 0, middle: -width / 2, end: -width }[text.getAttribute('text-anchor') ?? 'start'] ?? 0;
    // From the top of the capitals to the baseline the text sits on.
    const local: Point[] = [[left, -size], [left + width, -size], [left + width, 0], [left, 0]];
    const corners = local.map(([u, v]): Point => [x + u * Math.cos(angle) - v * Math.sin(angle), y + u * Math.sin(angle) + v * Math.cos(angle)]);
    return { text: content, corners };
  });
}

/** Pairs of boxes that overlap by more than a hair (separating-axis test on the boxes' edges). */
export function overlappingLabels(boxes: readonly LabelBox[]): string[] {
  const axesOf = (box: LabelBox): Point[] => box.corners.slice(0, 2).map((corner, i) => {
    const next = box.corners[i + 1]!;
    return [next[1] - corner[1], corner[0] - next[0]];
  });
  const separated = (a: LabelBox, b: LabelBox): boolean => [...axesOf(a), ...axesOf(b)].some(([ax, ay]) => {
    const length = Math.hypot(ax, ay);
    const project = (box: LabelBox): number[] => box.corners.map(([x, y]) => (x * ax + y * ay) / length);
    const [pa, pb] = [project(a), project(b)];
    return Math.min(...pa) >= Math.max(...pb) - 0.5 || Math.min(...pb) >= Math.max(...pa) - 0.5;
  });
  return boxes.flatMap((a, i) => boxes.slice(i + 1).filter((b) => !separated(a, b)).map((b) => `${a.text} / ${b.text}`));
}
