import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import { plotBars, plotConfusionMatrix, plotCurves, showBoxes, showImages, showSegmentation, showTable } from '../../src/display';
import { recordingDisplay, type Recorded } from './recording-display';
import type { Shown } from '../../src/display';

const image = () => tf.fill([8, 8, 3], 0.5) as tf.Tensor3D;
const mask = () => tf.zeros([8, 8], 'int32') as tf.Tensor2D;

describe('display functions outside a Jupyter kernel', () => {
  const calls: [string, () => Promise<Shown> | Shown][] = [
    ['showImages', () => showImages([image()], { labels: ['x'] })],
    ['showSegmentation', () => showSegmentation(image(), [mask()])],
    ['plotCurves', () => plotCurves({ loss: [1, 0.5] })],
    ['plotConfusionMatrix', () => plotConfusionMatrix([[1]], ['a'])],
    ['plotBars', () => plotBars({ a: 1 })],
    ['showBoxes', () => showBoxes(image(), [{ box: [1, 1, 4, 4] }])],
    ['showTable', () => showTable([{ a: 1 }])],
  ];
  for (const [name, call] of calls) {
    it(`${name} returns its artifact instead of throwing tslab's "Not ready"`, async () => {
      expect((await call()).bytes).to.be.above(0);
    });
  }
});

describe('display functions in a Jupyter cell', () => {
  async function shownBy(
    call: (display: ReturnType<typeof recordingDisplay>) => Promise<Shown> | Shown,
  ): Promise<{ shown: Recorded[]; returned: Shown }> {
    const display = recordingDisplay();
    const returned = await call(display);
    return { shown: display.shown, returned };
  }

  it('show charts, boxes and tables as what they return', async () => {
    const cases = [
      await shownBy((display) => plotCurves({ loss: [1, 0.5] }, { display })),
      await shownBy((display) => plotConfusionMatrix([[1]], ['a'], { display })),
      await shownBy((display) => plotBars({ a: 1 }, { display })),
      await shownBy((display) => showBoxes(image(), [{ box: [1, 1, 4, 4] }], { display })),
      await shownBy((display) => showTable([{ a: 1 }], { display })),
    ];
    expect(cases.map(({ shown }) => shown.map((entry) => entry.kind))).to.deep.equal([['svg'], ['svg'], ['svg'], ['svg'], ['html']]);
    for (const { shown, returned } of cases) expect(shown[0].content).to.equal(returned.content);
  });

  it('show an uncaptioned grid as the PNG they return', async () => {
    const { shown, returned } = await shownBy((display) => showImages([image()], { display }));
    expect(shown).to.deep.equal([{ kind: 'png', content: returned.content }]);
  });

  it('caption each image under it: one PNG strip per grid row, then a row of labels', async () => {
    const { shown } = await shownBy((display) =>
      showImages([image(), image(), image()], { cols: 2, scale: 2, labels: ['ant', 'bee', 'a<b'], title: 'Pets', display }),
    );
    expect(shown.map((entry) => entry.kind)).to.deep.equal(['html']);
    const html = shown[0].content as string;
    expect(html).to.match(/^<table[^>]*><caption[^>]*>Pets<\/caption>/);
    const strips = [...html.matchAll(/src="data:image\/png;base64,([^"]+)"/g)].map((m) => PNG.sync.read(Buffer.from(m[1], 'base64')));
    expect(strips.map((png) => [png.width, png.height])).to.deep.equal([[16 + 2 + 16, 16], [16, 16]]);
    const labels = [...html.matchAll(/<td style="width:16px[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]);
    expect(labels).to.deep.equal(['ant', 'bee', 'a&lt;b']);
  });

  it('caption segmentation panels with their titles', async () => {
    const { shown } = await shownBy((display) => showSegmentation(image(), [mask()], { titles: ['photo', 'mask'], display }));
    expect(shown[0].content as string).to.contain('>photo</td>').and.to.contain('>mask</td>');
  });
});
