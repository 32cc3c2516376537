import { expect } from 'chai';
import { makeShapesDetection, makeShapesSegmentation } from '../../datasets';
import { drawScene } from '../../datasets/shapes/scene';
import { seededRandom } from '../../src/core/random';

/** The tightest pixel box around the pixels where `mask` equals `value`. */
function maskBounds(mask: Int32Array, size: number, value: number): [number, number, number, number] {
  let [x1, y1, x2, y2] = [Infinity, Infinity, -Infinity, -Infinity];
  mask.forEach((v, i) => {
    if (v !== value) return;
    const [x, y] = [i % size, Math.floor(i / size)];
    [x1, y1, x2, y2] = [Math.min(x1, x), Math.min(y1, y), Math.max(x2, x + 1), Math.max(y2, y + 1)];
  });
  return [x1, y1, x2, y2];
}

describe('synthetic shape scenes', () => {
  it('give every object a box that fits its painted pixels to within a pixel', () => {
    const random = seededRandom(3);
    for (let scene = 0; scene < 50; scene++) {
      const { mask, objects } = drawScene({ size: 64, objectCount: 3, radiusRange: [0.08, 0.2] }, random);
      // Objects never overlap, so each one's class value in the mask, restricted to its box, is its own shape.
      for (const { classId, box } of objects) {
        const inBox = mask.map((v, i) => {
          const [x, y] = [(i % 64) + 0.5, Math.floor(i / 64) + 0.5];
          return x >= box[0] && x <= box[2] && y >= box[1] && y <= box[3] && v === classId + 1 ? v : 0;
        });
        const painted = maskBounds(inBox, 64, classId + 1);
        painted.forEach((edge, k) => expect(Math.abs(edge - box[k])).to.be.below(1.5, `box ${box} vs pixels ${painted}`));
      }
    }
  });
});

describe('makeShapesDetection', () => {
  it('makes [N, S, S, 3] images in [0, 1] with 1 to maxObjects boxes inside each image', () => {
    const data = makeShapesDetection({ count: 40, imageSize: 48, maxObjects: 4, seed: 1 });
    expect(data.images.shape).to.deep.equal([40, 48, 48, 3]);
    expect(data.images.min().dataSync()[0]).to.be.at.least(0);
    expect(data.images.max().dataSync()[0]).to.be.at.most(1);
    expect(data.classes).to.deep.equal(['circle', 'square', 'triangle']);
    expect(data.objects).to.have.length(40);
    for (const objects of data.objects) {
      expect(objects.length).to.be.within(1, 4);
      for (const { classId, box: [x1, y1, x2, y2] } of objects) {
        expect(classId).to.be.oneOf([0, 1, 2]);
        expect(0 <= x1 && x1 < x2 && x2 <= 48 && 0 <= y1 && y1 < y2 && y2 <= 48, `box ${[x1, y1, x2, y2]}`).to.equal(true);
      }
    }
    const classCounts = [0, 1, 2].map((id) => data.objects.flat().filter((o) => o.classId === id).length);
    expect(Math.min(...classCounts)).to.be.above(10);
  });

  it('draws identical data for the same seed and different data for another', () => {
    const first = makeShapesDetection({ count: 5, seed: 42 });
    const again = makeShapesDetection({ count: 5, seed: 42 });
    const other = makeShapesDetection({ count: 5, seed: 43 });
    expect(Array.from(again.images.dataSync())).to.deep.equal(Array.from(first.images.dataSync()));
    expect(again.objects).to.deep.equal(first.objects);
    expect(other.objects).not.to.deep.equal(first.objects);
  });

  const invalid: [Parameters<typeof makeShapesDetection>[0], string][] = [
    [{ count: -2 }, 'makeShapesDetection: count must be an integer ≥ 0, got -2'],
    [{ imageSize: 8 }, 'makeShapesDetection: imageSize must be an integer ≥ 16, got 8'],
    [{ maxObjects: 0 }, 'makeShapesDetection: maxObjects must be an integer ≥ 1, got 0'],
  ];
  for (const [options, message] of invalid) {
    it(`rejects ${JSON.stringify(options)} quoting it`, () => {
      expect(() => makeShapesDetection(options)).to.throw(message);
    });
  }
});

describe('makeShapesSegmentation', () => {
  it('makes int32 masks [N, S, S] whose values index classes, with shapes in every image', () => {
    const data = makeShapesSegmentation({ count: 20, imageSize: 32, seed: 2 });
    expect(data.images.shape).to.deep.equal([20, 32, 32, 3]);
    expect(data.masks.shape).to.deep.equal([20, 32, 32]);
    expect(data.masks.dtype).to.equal('int32');
    expect(data.classes).to.deep.equal(['background', 'circle', 'square', 'triangle']);
    const masks = data.masks.arraySync();
    expect(new Set(masks.flat(2))).to.deep.equal(new Set([0, 1, 2, 3]));
    for (const mask of masks) expect(mask.flat().some((v) => v > 0)).to.equal(true);
  });

  it('paints shapes brighter than the background they sit on', () => {
    const data = makeShapesSegmentation({ count: 10, seed: 5 });
    const brightness = Array.from(data.images.max(3).dataSync());
    const masks = data.masks.dataSync();
    const mean = (keep: (v: number) => boolean) => {
      const values = brightness.filter((_, i) => keep(masks[i]));
      return values.reduce((sum, v) => sum + v, 0) / values.length;
    };
    expect(mean((v) => v > 0) - mean((v) => v === 0)).to.be.above(0.3);
  });

  it('draws identical masks for the same seed', () => {
    const first = makeShapesSegmentation({ count: 4, seed: 9 });
    const again = makeShapesSegmentation({ count: 4, seed: 9 });
    expect(Array.from(again.masks.dataSync())).to.deep.equal(Array.from(first.masks.dataSync()));
    expect(Array.from(again.images.dataSync())).to.deep.equal(Array.from(first.images.dataSync()));
  });

  it('rejects a fractional count quoting it', () => {
    expect(() => makeShapesSegmentation({ count: 2.5 })).to.throw('makeShapesSegmentation: count must be an integer ≥ 0, got 2.5');
  });
});
