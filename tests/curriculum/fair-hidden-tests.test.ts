/**
 * Hidden tests judge what a submission does, not how it is written: correct-but-different fixture submissions get
 * every point of the tests they target, and fixtures that are wrong in one way lose exactly the test for that way.
 */
import { expect } from 'chai';
import * as convByTf from '../fixtures/submissions/01-conv-arithmetic/conv-by-tf';
import * as convOnFlatArrays from '../fixtures/submissions/01-conv-arithmetic/conv-on-flat-arrays';
import * as reluLayers from '../fixtures/submissions/02-classic-cnns/relu-layers-and-initializers';
import * as batchNorms from '../fixtures/submissions/03-resnet/batch-norm-variants';
import * as blocks from '../fixtures/submissions/03-resnet/block-variants';
import * as augmentBatches from '../fixtures/submissions/04-transfer-learning/augment-batch-variants';
import * as kerasFreeze from '../fixtures/submissions/04-transfer-learning/keras-freeze';
import * as suppressions from '../fixtures/submissions/06-yolo/suppression-variants';
import * as attentions from '../fixtures/submissions/09-vision-transformer/attention-variants';
import { runHiddenSpecs, type Outcome } from './hidden-specs';

const failedTests = (outcomes: Map<string, Outcome>) => [...outcomes].filter(([, outcome]) => outcome === 'failed').map(([title]) => title);

describe('the hidden tests', function () {
  this.timeout(5 * 60_000);

  describe('01 conv2dNaive', () => {
    it('give full marks to a convolution written with flat arrays and index arithmetic', async () => {
      const outcomes = await runHiddenSpecs('01-conv-arithmetic', ['conv2d-naive.spec.ts'], convOnFlatArrays);
      expect(outcomes.size).to.be.greaterThan(5);
      expect(failedTests(outcomes)).to.deep.equal([]);
    });

    it('give nothing for the convolution itself to an answer that calls tf.conv2d', async () => {
      const outcomes = await runHiddenSpecs('01-conv-arithmetic', ['conv2d-naive.spec.ts'], convByTf);
      const passed = [...outcomes].filter(([, outcome]) => outcome === 'passed').map(([title]) => title);
      expect(passed).to.deep.equal(['rejects invalid arguments, naming the argument at fault']);
    });
  });

  describe('02 AlexNet and VGG16', () => {
    it('accept separate ReLU layers and explicit initializers, within the per-test time limit', async () => {
      const outcomes = await runHiddenSpecs('02-classic-cnns', ['builders.spec.ts'], reluLayers);
      expect(outcomes.size).to.be.greaterThan(15);
      expect(failedTests(outcomes)).to.deep.equal([]);
    });

    it('take the ReLU point from an AlexNet whose last convolution has no ReLU', async () => {
      const submission = { buildAlexNet: (numClasses = 1000) => reluLayers.alexNet(numClasses, false) };
      const outcomes = await runHiddenSpecs('02-classic-cnns', ['builders.spec.ts'], submission, /buildAlexNet/);
      expect(failedTests(outcomes)).to.deep.equal(['uses ReLU after every convolution']);
    });
  });

  describe('03 residualBlock', () => {
    it('accept a block built with activation layers and the shortcut first', async () => {
      const outcomes = await runHiddenSpecs('03-resnet', ['resnet.spec.ts'], blocks, /residualBlock/);
      expect(outcomes.size).to.be.greaterThan(8);
      expect(failedTests(outcomes)).to.deep.equal([]);
    });

    it('take the ordering points from a block that applies ReLU before batch norm', async () => {
      const outcomes = await runHiddenSpecs('03-resnet', ['resnet.spec.ts'], { residualBlock: blocks.reluBeforeBatchNorm }, /residualBlock/);
      expect(failedTests(outcomes)).to.deep.equal(['orders the residual branch conv → batch norm → ReLU → conv → batch norm']);
    });
  });

  describe('03 batch norm', () => {
    it('accept a batch norm written with other operations, in both modes and backwards', async () => {
      const outcomes = await runHiddenSpecs('03-resnet', ['batch-norm.spec.ts'], batchNorms);
      expect(outcomes.size).to.be.greaterThan(15);
      expect(failedTests(outcomes)).to.deep.equal([]);
    });

    it('take the dx points from a backward pass that treats the batch statistics as constants', async () => {
      const submission = { ...batchNorms, batchNormBackward: batchNorms.backwardThroughConstantStatistics };
      const outcomes = await runHiddenSpecs('03-resnet', ['batch-norm.spec.ts'], submission, /batchNormBackward/);
      expect(failedTests(outcomes)).to.deep.equal([
        'gives dx like automatic differentiation, through the batch mean and variance',
        'applies a custom epsilon',
        'agrees with a numerical gradient on a tiny batch',
      ]);
    });
  });

  describe('04 buildTransferModel', () => {
    it('accept a backbone frozen with the Keras idiom backbone.trainable = false', async () => {
      const outcomes = await runHiddenSpecs('04-transfer-learning', ['transfer-model.spec.ts'], kerasFreeze);
      expect(outcomes.size).to.be.greaterThan(8);
      expect(failedTests(outcomes)).to.deep.equal([]);
    });
  });

  describe('04 augmentBatch', () => {
    it('accept a batch transformed at once with a mask, drawing the brightness before the flip', async () => {
      const outcomes = await runHiddenSpecs('04-transfer-learning', ['augmentation.spec.ts'], augmentBatches, /augmentBatch/);
      expect(outcomes.size).to.be.greaterThan(4);
      expect(failedTests(outcomes)).to.deep.equal([]);
    });

    it('take the per-image point from a batch that shares one flip and one brightness', async () => {
      const submission = { augmentBatch: augmentBatches.oneDrawPerBatch };
      const outcomes = await runHiddenSpecs('04-transfer-learning', ['augmentation.spec.ts'], submission, /augmentBatch/);
      expect(failedTests(outcomes)).to.deep.equal(['draws a new flip and a new brightness for each image of the batch']);
    });
  });

  describe('06 non-maximum suppression', () => {
    it('accept a greedy sweep that marks suppressed boxes, globally and per class', async () => {
      const outcomes = await runHiddenSpecs('06-yolo', ['nms.spec.ts'], suppressions);
      expect(outcomes.size).to.be.greaterThan(10);
      expect(failedTests(outcomes)).to.deep.equal([]);
    });

    it('tell class-aware from global suppression', async () => {
      const submission = { ...suppressions, classAwareNms: suppressions.classAwareInNameOnly };
      const outcomes = await runHiddenSpecs('06-yolo', ['nms.spec.ts'], submission, /classAwareNms/);
      expect(failedTests(outcomes)).to.deep.equal([
        'keeps overlapping boxes of different classes, which global NMS would merge',
        'merges the classes in descending score, ties by lower index',
      ]);
    });
  });

  describe('09 patches, attention and rollout', () => {
    it('accept patches sliced one by one, attention head by head and the rollout as a row vector', async () => {
      const outcomes = await runHiddenSpecs('09-vision-transformer', ['vit.spec.ts'], attentions,
        /^(patchify|scaledDotProductAttention|multiHeadAttention|encoderBlock|attentionRollout) /);
      expect(outcomes.size).to.be.greaterThan(15);
      expect(failedTests(outcomes)).to.deep.equal([]);
    });

    it('tell a post-norm encoder block from the pre-norm one', async () => {
      const submission = { ...attentions, encoderBlock: attentions.postNormEncoderBlock };
      const outcomes = await runHiddenSpecs('09-vision-transformer', ['vit.spec.ts'], submission, /^encoderBlock /);
      expect(failedTests(outcomes)).to.deep.equal([
        'computes LN → attention → residual, then LN → MLP with GELU → residual',
        "returns its attention's weights",
      ]);
    });
  });
});
