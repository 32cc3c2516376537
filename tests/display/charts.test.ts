import { expect } from 'chai';
import { plotBars, plotConfusionMatrix, plotCurves } from '../../src/display';
import { axisLabelBoxes, elements, markGroups, overlappingLabels, parseSvg, texts } from './svg';

describe('plotCurves', () => {
  it('draws one line per series with the axis titles and the title', async () => {
    const { content: svg } = await plotCurves(
      { loss: [0.9, 0.5, 0.3], val_loss: [1.0, 0.7, 0.6], acc: [0.5, 0.8, 0.9] },
      { title: 'Training', xLabel: 'epoch', yLabel: 'metric' },
    );
    const document = parseSvg(svg);
    const lines = markGroups(document, 'mark-line').flatMap((group) => elements(group, 'path'));
    expect(lines).to.have.length(3);
    expect(texts(document)).to.include.members(['Training', 'epoch', 'metric', 'loss', 'val_loss', 'acc']);
  });

  it('titles the axes "epoch" and "value" by default', async () => {
    expect(texts(parseSvg((await plotCurves({ loss: [1, 0.5] })).content))).to.include.members(['epoch', 'value']);
  });

  it('leaves a gap for a missing value instead of failing', async () => {
    const document = parseSvg((await plotCurves({ loss: [1, NaN, 0.5] })).content);
    expect(markGroups(document, 'mark-line').flatMap((group) => elements(group, 'path'))).to.have.length(1);
  });

  it('rejects an empty record with an example of what to pass', async () => {
    const error = await plotCurves({}).catch((e: Error) => e);
    expect((error as Error).message).to.equal('plotCurves: no series to plot; pass e.g. { loss: [0.9, 0.5, 0.3] }');
  });
});

describe('plotConfusionMatrix', () => {
  it('draws one cell per class pair, labelled with its count, rows actual and columns predicted', async () => {
    const { content: svg } = await plotConfusionMatrix([[5, 1, 0], [2, 7, 3], [0, 0, 9]], ['cat', 'dog', 'fox'], { title: 'Val' });
    const document = parseSvg(svg);
    const cells = markGroups(document, 'mark-rect').flatMap((group) => elements(group, 'path'));
    expect(cells).to.have.length(9);
    const counts = markGroups(document, 'mark-text').flatMap((group) => texts(group));
    expect(counts).to.deep.equal(['5', '1', '0', '2', '7', '3', '0', '0', '9']);
    expect(texts(document)).to.include.members(['Val', 'predicted', 'actual', 'cat', 'dog', 'fox']);
  });

  it('rejects a matrix whose size does not match the classes, quoting the row lengths', async () => {
    const error = await plotConfusionMatrix([[1, 2], [3]], ['a', 'b']).catch((e: Error) => e);
    expect((error as Error).message).to.equal('plotConfusionMatrix: expected a 2×2 matrix for 2 classes, got rows of lengths [2,1]');
  });
});

describe('plotBars', () => {
  it('draws one bar per value, in the given order, with the y title', async () => {
    const document = parseSvg((await plotBars({ resnet: 0.91, mobilenet: 0.88, scratch: 0.62 }, { title: 'Accuracy', yLabel: 'acc' })).content);
    expect(markGroups(document, 'mark-rect').flatMap((group) => elements(group, 'path'))).to.have.length(3);
    const labels = texts(document);
    expect(labels).to.include.members(['Accuracy', 'acc']);
    expect(labels.filter((text) => ['resnet', 'mobilenet', 'scratch'].includes(text))).to.deep.equal(['resnet', 'mobilenet', 'scratch']);
  });

  it('keeps its labels apart, also the long ones of notebook 01 (conv and separable parameter counts)', async () => {
    const notebook01 = Object.fromEntries([1, 3, 5, 7].flatMap((k) => [[`conv ${k}×${k}`, k * k * 65_536], [`separable ${k}×${k}`, k * k * 256 + 65_536]]));
    for (const values of [notebook01, { ants: 0.9, bees: 0.8 }, { resnet: 0.91, mobilenet: 0.88, scratch: 0.62 }]) {
      const boxes = axisLabelBoxes(parseSvg((await plotBars(values)).content));
      const names = Object.keys(values);
      expect(boxes.map((box) => box.text).filter((text) => names.includes(text))).to.deep.equal(names);
      expect(overlappingLabels(boxes)).to.deep.equal([]);
    }
  });

  it('finds overlapping labels when they do overlap (the check can fail)', () => {
    const at = (x: number): string => `<text text-anchor="middle" transform="translate(${x},15)" font-size="10px">separable 3×3</text>`;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg"><g class="mark-text role-axis-label">${at(20)}${at(60)}${at(200)}</g></svg>`;
    expect(overlappingLabels(axisLabelBoxes(parseSvg(svg)))).to.deep.equal(['separable 3×3 / separable 3×3']);
  });
});
