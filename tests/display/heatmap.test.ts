import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import { heatColour, showHeatmaps, type Shown } from '../../src/display';
import { recordingDisplay } from './recording-display';

function decodePng({ content }: Shown<'png'>): PNG {
  return PNG.sync.read(Buffer.from(content));
}

function pixelAt(png: PNG, x: number, y: number): number[] {
  const i = (y * png.width + x) * 4;
  return [...png.data.subarray(i, i + 4)];
}

describe('heatColour', () => {
  it('runs from dark blue (cold) to red (hot)', () => {
    const [cold, hot] = [heatColour(0), heatColour(1)];
    expect(cold[2]).to.be.greaterThan(cold[0]);
    expect(hot[0]).to.be.greaterThan(hot[2]);
    expect(hot[0]).to.be.greaterThan(hot[1]);
  });

  it('clamps heat outside [0, 1] and treats NaN as cold', () => {
    expect(heatColour(-3)).to.deep.equal(heatColour(0));
    expect(heatColour(7)).to.deep.equal(heatColour(1));
    expect(heatColour(Number.NaN)).to.deep.equal(heatColour(0));
  });

  it('changes gradually: nearby heats give nearby colours', () => {
    for (let heat = 0; heat < 1; heat += 0.05) {
      const [a, b] = [heatColour(heat), heatColour(heat + 0.01)];
      a.forEach((channel, c) => expect(Math.abs(channel - b[c])).to.be.at.most(12));
    }
  });
});

describe('showHeatmaps', () => {
  it('blends each heatmap over its image: red where hot, the photo mostly kept where cold', async () => {
    const grey = 0.5;
    const image = tf.fill([2, 2, 3], grey) as tf.Tensor3D;
    const heatmap = tf.tensor2d([[1, 0], [0, 0]]);
    const display = recordingDisplay();
    const png = decodePng(await showHeatmaps([image, image], [heatmap, tf.zeros([2, 2]) as tf.Tensor2D], { scale: 1, display }));
    expect(display.shown.map((output) => output.kind)).to.deep.equal(['png']);
    expect([png.width, png.height]).to.deep.equal([2 + 2 + 2, 2]);
    const [hotRed, hotGreen, hotBlue] = pixelAt(png, 0, 0);
    expect(hotRed).to.be.greaterThan(hotGreen).and.greaterThan(hotBlue);
    const cold = pixelAt(png, 1, 0);
    const background = Math.round(grey * 255);
    // A cold pixel keeps more of the photo than a hot one takes from the heat colour.
    cold.slice(0, 3).forEach((channel) => expect(Math.abs(channel - background)).to.be.lessThan(80));
    expect(pixelAt(png, 4 + 1, 1)).to.deep.equal(cold);
  });

  it('leaves the image untouched at opacity 0', async () => {
    const image = tf.tensor3d([[[0.2, 0.4, 0.6]]]);
    const png = decodePng(await showHeatmaps([image], [tf.ones([1, 1]) as tf.Tensor2D], { opacity: 0, scale: 1, display: recordingDisplay() }));
    expect(pixelAt(png, 0, 0)).to.deep.equal([51, 102, 153, 255]);
  });

  it('shows captions as HTML around the same pixels', async () => {
    const display = recordingDisplay();
    await showHeatmaps([tf.zeros([3, 3, 3]) as tf.Tensor3D], [tf.ones([3, 3]) as tf.Tensor2D], { labels: ['bees 0.91'], display });
    expect(display.shown).to.have.length(1);
    expect(display.shown[0].kind).to.equal('html');
    expect(display.shown[0].content).to.include('bees 0.91');
  });

  const invalid: [string, () => Promise<unknown>, string][] = [
    ['fewer heatmaps than images', () => showHeatmaps([tf.zeros([2, 2, 3]) as tf.Tensor3D], []), 'showHeatmaps: got 0 heatmaps for 1 images'],
    ['a heatmap smaller than its image', () => showHeatmaps([tf.zeros([4, 4, 3]) as tf.Tensor3D], [tf.zeros([2, 2]) as tf.Tensor2D]),
      'showHeatmaps: heatmap 0 has shape [2,2] but its image is 4×4 (upsample it first)'],
    ['an opacity above 1', () => showHeatmaps([tf.zeros([2, 2, 3]) as tf.Tensor3D], [tf.zeros([2, 2]) as tf.Tensor2D], { opacity: 1.5 }),
      'showHeatmaps: opacity must be in [0, 1], got 1.5'],
  ];
  for (const [what, call, message] of invalid) {
    it(`rejects ${what} with a clear message`, async () => {
      const error = await call().then(() => undefined, (e: Error) => e);
      expect(error?.message).to.equal(message);
    });
  }
});
