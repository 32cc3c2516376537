import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { loadMnist, type MnistOptions, type MnistSplit } from '../../datasets';

function sampleHashes(split: MnistSplit): string[] {
  const pixels = split.xs.dataSync();
  const size = 28 * 28;
  return split.labels.map((_, i) => createHash('sha1').update(pixels.subarray(i * size, (i + 1) * size)).digest('hex'));
}

describe('loadMnist', () => {
  it('returns [N, 28, 28, 1] images in [0, 1] with one-hot labels that match `labels`', () => {
    const { train, test } = loadMnist({ trainSize: 50, testSize: 20 });
    expect(train.xs.shape).to.deep.equal([50, 28, 28, 1]);
    expect(test.xs.shape).to.deep.equal([20, 28, 28, 1]);
    expect(train.xs.dtype).to.equal('float32');
    expect(train.xs.min().dataSync()[0]).to.equal(0);
    expect(train.xs.max().dataSync()[0]).to.be.at.most(1);
    expect(train.ys.shape).to.deep.equal([50, 10]);
    expect(Array.from(train.ys.argMax(1).dataSync())).to.deep.equal(train.labels);
    expect(Array.from(train.ys.sum(1).dataSync())).to.deep.equal(new Array(50).fill(1));
  });

  it('defaults to 8000 training and 2000 test digits that never overlap', () => {
    const { train, test } = loadMnist();
    expect(train.labels).to.have.length(8000);
    expect(test.labels).to.have.length(2000);
    const trainHashes = new Set(sampleHashes(train));
    expect(sampleHashes(test).filter((hash) => trainHashes.has(hash))).to.deep.equal([]);
    expect(new Set(test.labels).size).to.equal(10);
  });

  it('makes the same split for the same seed and a different one for another seed', () => {
    const first = loadMnist({ trainSize: 30, testSize: 10, seed: 7 });
    const again = loadMnist({ trainSize: 30, testSize: 10, seed: 7 });
    const other = loadMnist({ trainSize: 30, testSize: 10, seed: 8 });
    expect(again.train.labels).to.deep.equal(first.train.labels);
    expect(Array.from(again.test.xs.dataSync())).to.deep.equal(Array.from(first.test.xs.dataSync()));
    expect(other.train.labels).not.to.deep.equal(first.train.labels);
  });

  const invalid: [MnistOptions, string][] = [
    [{ trainSize: -1 }, 'loadMnist: trainSize must be a non-negative integer, got -1'],
    [{ testSize: 1.5 }, 'loadMnist: testSize must be a non-negative integer, got 1.5'],
    [{ trainSize: 9000, testSize: 2000 }, 'loadMnist: trainSize + testSize must be at most 10000 (the digits available), got 9000 + 2000'],
  ];
  for (const [options, message] of invalid) {
    it(`rejects ${JSON.stringify(options)} with a message quoting it`, () => {
      expect(() => loadMnist(options)).to.throw(message);
    });
  }
});
