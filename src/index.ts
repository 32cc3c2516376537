/**
 * The convlab kit: everything a notebook imports besides TensorFlow.js itself.
 *   import { useBestBackend, selfCheck, expect } from "../dist/src";
 */
export { isGrading, GRADING_ENV } from './grading';
export { seededRandom } from './core/random';
export { selfCheck, expect, assert, type Checks } from './check';
export * from './backend';
export * from './display';
export { defaultImageCodec, pureJsCodec, sharpCodec, type ImageCodec } from './core/images/codec';
export * from '../datasets';
export * from './models';
