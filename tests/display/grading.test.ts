import { expect } from 'chai';
import { plotBars, plotConfusionMatrix, plotCurves } from '../../src/display';
import { GRADING_ENV } from '../../src/grading';

describe('charts while grading', () => {
  const saved = process.env[GRADING_ENV];
  afterEach(() => {
    if (saved === undefined) delete process.env[GRADING_ENV];
    else process.env[GRADING_ENV] = saved;
  });

  const draw = () => Promise.all([
    plotCurves({ loss: [1, 0.5] }),
    plotConfusionMatrix([[3, 1], [0, 4]], ['cat', 'dog']),
    plotBars({ a: 1, b: 2 }),
  ]);

  it('returns the same kind of record without drawing the chart (no test reads it)', async () => {
    delete process.env[GRADING_ENV];
    const drawn = await draw();
    process.env[GRADING_ENV] = '1';
    const graded = await draw();
    expect(graded.map((shown) => [shown.what, shown.kind])).to.deep.equal(drawn.map((shown) => [shown.what, shown.kind]));
    for (const [index, shown] of graded.entries()) {
      expect(shown.content).to.match(/^<svg [^>]*\/>$/);
      expect(shown.bytes).to.be.below(drawn[index]!.bytes);
    }
  });

  it('still checks its input while grading', async () => {
    process.env[GRADING_ENV] = '1';
    const error = await plotCurves({}).catch((e: Error) => e);
    expect((error as Error).message).to.match(/^plotCurves: no series to plot/);
  });
});
