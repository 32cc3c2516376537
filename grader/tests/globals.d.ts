// Globals the grader gives hidden specs besides mocha's (docs/notebook-format.md). Shared by all assignments.
import * as tfModule from '@tensorflow/tfjs';
import type { assert as chaiAssert, expect as chaiExpect } from 'chai';

declare global {
  /** The TensorFlow.js instance the notebook uses; also usable for types (`tf.Tensor`). */
  export import tf = tfModule;
  const expect: typeof chaiExpect;
  const assert: typeof chaiAssert;
  /** The notebook's top-level declarations, by name. */
  const submission: any;
}
