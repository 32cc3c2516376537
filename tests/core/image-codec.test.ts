import { expect } from 'chai';
import { PNG } from 'pngjs';
import { pureJsCodec, sharpCodec, type ImageCodec } from '../../src/core/images/codec';
import { sniffImageFormat } from '../../src/core/images/format';
import { CORRUPT_JPEG_BYTES, GIF_BYTES, jpegBytes, paint, pngBytes, solid, threeBands } from '../fixtures/images/make-images';

/** sharp's codec, or why its native addon does not load (npm ci --omit=optional leaves its platform binary out). */
function loadSharp(): ImageCodec | string {
  try {
    return sharpCodec(require('sharp'));
  } catch (error) {
    return (error as Error).message.split('\n')[0]!;
  }
}
const sharp = loadSharp();

// Both codecs run in every test: sharp where the native addon loads (here), the pure-JS fallback the sandbox uses.
const codecs: ImageCodec[] = typeof sharp === 'string' ? [pureJsCodec] : [sharp, pureJsCodec];

function meanOf(pixels: Float32Array, channel: number): number {
  let sum = 0;
  for (let i = channel; i < pixels.length; i += 3) sum += pixels[i];
  return sum / (pixels.length / 3);
}

describe('image formats', () => {
  const cases: [string, Uint8Array, string][] = [
    ['a JPEG', jpegBytes(4, 4, solid([1, 2, 3])), 'jpeg'],
    ['a PNG', pngBytes(4, 4, solid([1, 2, 3])), 'png'],
    ['a GIF', GIF_BYTES, 'gif'],
    ['a text file', Buffer.from('hello'), 'unknown'],
    ['an empty file', new Uint8Array(0), 'unknown'],
  ];
  for (const [what, bytes, format] of cases) {
    it(`recognises ${what} by its first bytes as ${format}`, () => {
      expect(sniffImageFormat(bytes)).to.equal(format);
    });
  }
});

for (const codec of codecs) {
  describe(`the ${codec.name} codec`, () => {
    it('keeps the centre square of a wide image and scales it to the requested size', async () => {
      const pixels = await codec.decodeSquare(pngBytes(90, 30, threeBands(90, 30)), 16);
      expect(pixels.length).to.equal(16 * 16 * 3);
      expect(meanOf(pixels, 0)).to.be.below(0.02);
      expect(meanOf(pixels, 1)).to.be.above(0.98);
      expect(meanOf(pixels, 2)).to.be.below(0.02);
    });

    it('decodes a JPEG to RGB values in [0, 1]', async () => {
      const pixels = await codec.decodeSquare(jpegBytes(40, 40, solid([255, 128, 0])), 8);
      expect(meanOf(pixels, 0)).to.be.closeTo(1, 0.03);
      expect(meanOf(pixels, 1)).to.be.closeTo(128 / 255, 0.03);
      expect(meanOf(pixels, 2)).to.be.closeTo(0, 0.03);
    });

    it('refuses a GIF with a message that names the format', async () => {
      const error = await codec.decodeSquare(GIF_BYTES, 8).then(() => undefined, (e: Error) => e);
      expect(error?.message).to.equal('unsupported image format GIF (convlab reads JPEG and PNG)');
    });

    it('rejects a corrupt JPEG', async () => {
      const error = await codec.decodeSquare(CORRUPT_JPEG_BYTES, 8).then(() => undefined, (e: Error) => e);
      expect(error).to.be.instanceOf(Error);
    });

    it('encodes RGBA pixels as a PNG that decodes to the same pixels', async () => {
      const rgba = paint(5, 3, (x, y) => [x * 50, y * 100, 7]);
      const decoded = PNG.sync.read(Buffer.from(await codec.encodePng(rgba, 5, 3)));
      expect([decoded.width, decoded.height]).to.deep.equal([5, 3]);
      expect([...decoded.data]).to.deep.equal([...rgba]);
    });
  });
}

describe('the two codecs', () => {
  it('decode the same photo-like image to nearly the same pixels', async function () {
    if (typeof sharp === 'string') {
      console.log(`    skipped: ${sharp}`);
      this.skip();
    }
    const bytes = jpegBytes(120, 80, (x, y) => [(x * 2) % 256, (y * 3) % 256, (x + y) % 256]);
    const [fromSharp, fromJs] = await Promise.all(codecs.map((codec) => codec.decodeSquare(bytes, 32)));
    const meanAbsoluteDifference = fromSharp.reduce((sum, value, i) => sum + Math.abs(value - fromJs[i]), 0) / fromSharp.length;
    expect(meanAbsoluteDifference).to.be.below(0.05);
  });
});
