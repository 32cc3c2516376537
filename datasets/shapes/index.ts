import * as tf from '@tensorflow/tfjs';
import { seededRandom } from '../../src/core/random';
import { drawScene, SHAPE_CLASSES, type Scene, type SceneObject } from './scene';

export { SHAPE_CLASSES, type SceneObject as DetectionObject } from './scene';

export interface DetectionData {
  /** [N, S, S, 3] RGB in [0, 1]. */
  images: tf.Tensor4D;
  /** Per image, its objects: class index into `classes` and box x1,y1,x2,y2 in pixels. */
  objects: SceneObject[][];
  classes: string[];
}

export interface SegmentationData {
  /** [N, S, S, 3] RGB in [0, 1]. */
  images: tf.Tensor4D;
  /** int32 [N, S, S]: 0 = background, k = classes[k]. */
  masks: tf.Tensor3D;
  classes: string[];
}

export interface ShapesDetectionOptions {
  count?: number;
  imageSize?: number;
  maxObjects?: number;
  seed?: number;
}

export interface ShapesSegmentationOptions {
  count?: number;
  imageSize?: number;
  seed?: number;
}

// Radii as fractions of the image side: at 64 px, shapes span 10 to 26 pixels across.
const RADIUS_RANGE: [number, number] = [0.08, 0.2];
const SEGMENTATION_MAX_OBJECTS = 3;
const MIN_IMAGE_SIZE = 16;

function validate(caller: string, name: string, value: number, minimum: number): void {
  if (!Number.isInteger(value) || value < minimum) {
    throw new Error(`${caller}: ${name} must be an integer ≥ ${minimum}, got ${value}`);
  }
}

/** `count` scenes with 1..maxObjects shapes each (the count drawn per scene from the seeded generator). */
function drawScenes(count: number, size: number, maxObjects: number, seed: number): Scene[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () =>
    drawScene({ size, objectCount: 1 + Math.floor(random() * maxObjects), radiusRange: RADIUS_RANGE }, random),
  );
}

function stackImages(scenes: Scene[], size: number): tf.Tensor4D {
  const pixels = new Float32Array(scenes.length * size * size * 3);
  scenes.forEach((scene, i) => pixels.set(scene.pixels, i * scene.pixels.length));
  return tf.tensor4d(pixels, [scenes.length, size, size, 3]);
}

/** Seeded synthetic detection data: circles, squares and triangles with their pixel boxes. */
export function makeShapesDetection(options: ShapesDetectionOptions = {}): DetectionData {
  const { count = 200, imageSize = 64, maxObjects = 3, seed = 0 } = options;
  validate('makeShapesDetection', 'count', count, 0);
  validate('makeShapesDetection', 'imageSize', imageSize, MIN_IMAGE_SIZE);
  validate('makeShapesDetection', 'maxObjects', maxObjects, 1);
  const scenes = drawScenes(count, imageSize, maxObjects, seed);
  return {
    images: stackImages(scenes, imageSize),
    objects: scenes.map((scene) => scene.objects),
    classes: [...SHAPE_CLASSES],
  };
}

/** Seeded synthetic segmentation data: per-pixel class masks of circles, squares and triangles. */
export function makeShapesSegmentation(options: ShapesSegmentationOptions = {}): SegmentationData {
  const { count = 200, imageSize = 64, seed = 0 } = options;
  validate('makeShapesSegmentation', 'count', count, 0);
  validate('makeShapesSegmentation', 'imageSize', imageSize, MIN_IMAGE_SIZE);
  const scenes = drawScenes(count, imageSize, SEGMENTATION_MAX_OBJECTS, seed);
  const masks = new Int32Array(count * imageSize * imageSize);
  scenes.forEach((scene, i) => masks.set(scene.mask, i * scene.mask.length));
  return {
    images: stackImages(scenes, imageSize),
    masks: tf.tensor3d(masks, [count, imageSize, imageSize], 'int32'),
    classes: ['background', ...SHAPE_CLASSES],
  };
}
