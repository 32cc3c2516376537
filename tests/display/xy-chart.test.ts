import { expect } from 'chai';
import { plotXY } from '../../src/display/xy-chart';
import { elements, markGroups, parseSvg, texts } from './svg';

describe('plotXY', () => {
  it('draws one line per series over its own x values, with axis titles and the title', async () => {
    const { content: svg } = await plotXY(
      { circle: { x: [0, 0.5, 1], y: [1, 0.8, 0.6] }, square: { x: [0, 1], y: [1, 0.4] } },
      { title: 'Precision and recall', xLabel: 'recall', yLabel: 'precision' },
    );
    const document = parseSvg(svg);
    expect(markGroups(document, 'mark-line').flatMap((group) => elements(group, 'path'))).to.have.length(2);
    expect(texts(document)).to.include.members(['Precision and recall', 'recall', 'precision', 'circle', 'square']);
  });

  it('rejects a series whose x and y differ in length, naming it', async () => {
    const error = await plotXY({ circle: { x: [0, 1], y: [1] } }).catch((e: Error) => e);
    expect((error as Error).message).to.equal('plotXY: series "circle" needs arrays x and y of the same length, got 2 and 1');
  });

  it('rejects an empty record with an example of what to pass', async () => {
    const error = await plotXY({}).catch((e: Error) => e);
    expect((error as Error).message).to.match(/^plotXY: no series to plot/);
  });
});
