import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import { showBoxes, showTable } from '../../src/display';
import { elements, parseSvg, texts } from './svg';

describe('showBoxes', () => {
  // Made in a hook, not while mocha loads the files: another test file may have registered wasm, which starts async.
  let image: tf.Tensor3D;
  before(() => { image = tf.fill([32, 48, 3], 0.5) as tf.Tensor3D; });

  it('embeds the image as a PNG and outlines each box in image pixels, with its caption', async () => {
    const { content: svg } = await showBoxes(
      image,
      [
        { box: [4, 10, 20, 30], label: 'circle', score: 0.934 },
        { box: [25, 2, 40, 12], label: 'square' },
        { box: [30, 15, 44, 28] },
      ],
      { scale: 4 },
    );
    const document = parseSvg(svg);
    const root = document.documentElement!;
    expect([root.getAttribute('width'), root.getAttribute('height'), root.getAttribute('viewBox')]).to.deep.equal(['192', '128', '0 0 48 32']);
    const [picture] = elements(document, 'image');
    const png = PNG.sync.read(Buffer.from(picture.getAttribute('href')!.replace('data:image/png;base64,', ''), 'base64'));
    expect([png.width, png.height]).to.deep.equal([48, 32]);
    const outlines = elements(document, 'rect').filter((rect) => rect.getAttribute('fill') === 'none');
    expect(outlines.map((rect) => ['x', 'y', 'width', 'height'].map((name) => Number(rect.getAttribute(name))))).to.deep.equal([
      [4, 10, 16, 20],
      [25, 2, 15, 10],
      [30, 15, 14, 13],
    ]);
    expect(new Set(outlines.map((rect) => rect.getAttribute('stroke'))).size).to.equal(3);
    expect(texts(document)).to.deep.equal(['circle 0.93', 'square']);
  });

  it('escapes labels', async () => {
    expect(texts(parseSvg((await showBoxes(image, [{ box: [1, 1, 5, 5], label: '<b>&"' }])).content))).to.deep.equal(['<b>&"']);
  });

  it('rejects a box that is not four numbers, quoting it', async () => {
    const error = await showBoxes(image, [{ box: [1, 2, 3] }]).catch((e: Error) => e);
    expect((error as Error).message).to.equal('showBoxes: box 0 must be [x1, y1, x2, y2] in pixels, got [1,2,3]');
  });
});

describe('showTable', () => {
  it('returns an HTML table: columns in order of first appearance, numbers right-aligned at 4 decimals', () => {
    const { content: html } = showTable([{ model: 'resnet', acc: 0.91234 }, { model: 'mobile<net>', epochs: 3 }], { title: 'Results' });
    expect(html).to.equal(
      '<table><caption>Results</caption><thead><tr><th>model</th><th>acc</th><th>epochs</th></tr></thead><tbody>' +
        '<tr><td>resnet</td><td style="text-align:right">0.9123</td><td></td></tr>' +
        '<tr><td>mobile&lt;net&gt;</td><td></td><td style="text-align:right">3</td></tr>' +
        '</tbody></table>',
    );
  });
});
