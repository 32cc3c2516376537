import { expect } from 'chai';
import { inspect } from 'node:util';
import { Shown } from '../../src/display';

describe('Shown', () => {
  const lines: [Shown, string][] = [
    [new Shown('table', 'html', '<table></table>'), 'table shown (HTML, 15 B)'],
    [new Shown('bar chart', 'svg', 'é'.repeat(500)), 'bar chart shown (SVG, 1.0 kB)'],
    [new Shown('image grid', 'png', new Uint8Array(12_345)), 'image grid shown (PNG, 12.3 kB)'],
  ];
  for (const [shown, line] of lines) {
    it(`prints ${shown.kind} content of ${shown.bytes} bytes as "${line}"`, () => {
      expect([inspect(shown), String(shown)]).to.deep.equal([line, line]);
    });
  }

  it('counts text content in UTF-8 bytes', () => {
    expect(new Shown('table', 'html', 'é').bytes).to.equal(2);
  });

  it('cannot be changed once returned', () => {
    const shown = new Shown('table', 'html', '<table></table>');
    expect(() => Object.assign(shown, { content: '' })).to.throw(TypeError);
  });
});
