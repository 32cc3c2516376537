import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import { defaultImageCodec, pureJsCodec } from '../../src/core/images/codec';
import { showImages, showSegmentation, type Shown } from '../../src/display';
import { recordingDisplay } from './recording-display';

function decodePng({ content }: Shown<'png'>): PNG {
  return PNG.sync.read(Buffer.from(content));
}

function pixelAt(png: PNG, x: number, y: number): number[] {
  const i = (y * png.width + x) * 4;
  return [...png.data.subarray(i, i + 4)];
}

/** `count` solid images [h, w, 3]; image k has red = k / 10. */
function solidImages(count: number, height: number, width: number): tf.Tensor4D {
  return tf.tidy(() => tf.stack(Array.from({ length: count }, (_, k) => tf.fill([height, width, 3], k / 10))) as tf.Tensor4D);
}

describe('showImages', () => {
  for (const codec of [pureJsCodec, defaultImageCodec()]) {
    it(`lays a batch out as a grid PNG (${codec.name} encoder)`, async () => {
      // 5 images of 10×12 at scale 3 in 2 columns: cells 36×30, 2 px gaps, 3 rows.
      const png = decodePng(await showImages(solidImages(5, 10, 12), { cols: 2, scale: 3, codec }));
      expect([png.width, png.height]).to.deep.equal([2 * 36 + 2, 3 * 30 + 2 * 2]);
      expect(pixelAt(png, 38 + 5, 32 + 5)).to.deep.equal([Math.round(0.3 * 255), Math.round(0.3 * 255), Math.round(0.3 * 255), 255]);
      expect(pixelAt(png, 36, 0)).to.deep.equal([255, 255, 255, 255]);
    });
  }

  it('accepts a list of images, greyscale ones included', async () => {
    const grey = tf.fill([4, 4, 1], 0.5) as tf.Tensor3D;
    const colour = tf.fill([4, 4, 3], 1) as tf.Tensor3D;
    const png = decodePng(await showImages([grey, colour], { scale: 1 }));
    expect([png.width, png.height]).to.deep.equal([4 + 2 + 4, 4]);
    expect(pixelAt(png, 0, 0)).to.deep.equal([128, 128, 128, 255]);
  });

  it('enlarges MNIST-sized digits by default so they stay legible', async () => {
    const png = decodePng(await showImages(tf.zeros([1, 28, 28, 1]) as tf.Tensor4D));
    expect([png.width, png.height]).to.deep.equal([112, 112]);
  });

  it('returns the same grid PNG with captions and a title', async () => {
    const images = solidImages(3, 8, 8);
    const plain = await showImages(images, { scale: 2 });
    const captioned = await showImages(images, { scale: 2, labels: ['a', 'b', 'c'], title: 'Three' });
    expect(Buffer.from(captioned.content).equals(Buffer.from(plain.content))).to.equal(true);
  });

  const invalid: [string, () => Promise<unknown>, string][] = [
    ['too few labels', () => showImages(solidImages(2, 4, 4), { labels: ['only one'] }), 'showImages: got 1 labels for 2 images'],
    ['a fractional scale', () => showImages(solidImages(1, 4, 4), { scale: 1.5 }), 'showImages: scale must be a positive integer, got 1.5'],
    ['no images', () => showImages([]), 'showImages: no images to show'],
    ['a single image passed as a batch', () => showImages(tf.zeros([4, 4, 3]) as unknown as tf.Tensor4D),
      'showImages: expected a batch [N, height, width, channels] or a list of images, got shape [4,4,3]'],
    ['two-channel images', () => showImages([tf.zeros([4, 4, 2]) as tf.Tensor3D]), 'showImages: expected 1, 3 or 4 channels, got 2 (shape [4,4,2])'],
  ];
  for (const [what, call, message] of invalid) {
    it(`rejects ${what} with a clear message`, async () => {
      const error = await call().then(() => undefined, (e: Error) => e);
      expect(error?.message).to.equal(message);
    });
  }
});

describe('showSegmentation', () => {
  it('shows the image and each mask overlaid in its class colour, side by side', async () => {
    const image = tf.fill([6, 6, 3], 0.2) as tf.Tensor3D;
    const mask = tf.tensor2d([[0, 1, 2, 0, 0, 0], ...Array.from({ length: 5 }, () => [0, 0, 0, 0, 0, 0])], [6, 6], 'int32');
    const png = decodePng(await showSegmentation(image, [mask, mask], { scale: 1, titles: ['photo', 'truth', 'prediction'] }));
    expect([png.width, png.height]).to.deep.equal([3 * 6 + 2 * 2, 6]);
    const background = Math.round(0.2 * 255);
    expect(pixelAt(png, 8 + 0, 0)).to.deep.equal([background, background, background, 255]);
    // Class 1 takes the palette's first colour (#4e79a7), class 2 the second (#f28e2b), at 55% over the photo.
    const blend = (channel: number) => Math.round(0.45 * background + 0.55 * channel);
    expect(pixelAt(png, 8 + 1, 0)).to.deep.equal([blend(0x4e), blend(0x79), blend(0xa7), 255]);
    expect(pixelAt(png, 8 + 2, 0)).to.deep.equal([blend(0xf2), blend(0x8e), blend(0x2b), 255]);
    expect(pixelAt(png, 1, 0)).to.deep.equal([background, background, background, 255]);
  });

  it('rejects a mask of another size, naming both sizes', async () => {
    const error = await showSegmentation(tf.zeros([6, 6, 3]) as tf.Tensor3D, [tf.zeros([4, 4], 'int32') as tf.Tensor2D]).catch((e: Error) => e);
    expect((error as Error).message).to.equal('showSegmentation: mask 0 has shape [4,4] but the image is 6×6');
  });

  it('titles the image panel "image" when given one title per mask', async () => {
    const display = recordingDisplay();
    await showSegmentation(tf.zeros([6, 6, 3]) as tf.Tensor3D, [tf.zeros([6, 6], 'int32') as tf.Tensor2D], { titles: ['truth'], display });
    const captions = [...(display.shown[0].content as string).matchAll(/<td style="width[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]);
    expect(captions).to.deep.equal(['image', 'truth']);
  });

  it('asks for one title per mask or per panel', async () => {
    const error = await showSegmentation(tf.zeros([6, 6, 3]) as tf.Tensor3D, [tf.zeros([6, 6], 'int32') as tf.Tensor2D], {
      titles: ['a', 'b', 'c'],
    }).catch((e: Error) => e);
    expect((error as Error).message).to.equal(
      'showSegmentation: titles has 3 entries; expected 1 (one per mask) or 2 (the image, then one per mask)',
    );
  });
});
