/**
 * Draws the synthetic scenes behind the shapes datasets: a few flat-coloured shapes on a noisy grey background,
 * with the bounding box and the pixel mask of each. Pure JS so it runs where native addons do not.
 */

export const SHAPE_CLASSES = ['circle', 'square', 'triangle'] as const;
export type ShapeClass = (typeof SHAPE_CLASSES)[number];

/** Pixel box, x1,y1,x2,y2 (edges, not pixel centres). */
export type Box = [number, number, number, number];

export interface SceneObject {
  classId: number;
  box: Box;
}

export interface Scene {
  /** RGB in [0, 1], row-major [size, size, 3]. */
  pixels: Float32Array;
  /** Per pixel: 0 for background, classId + 1 for the shape drawn last there. */
  mask: Int32Array;
  objects: SceneObject[];
}

export interface SceneOptions {
  size: number;
  objectCount: number;
  /** Smallest and largest shape radius as a fraction of the image side. */
  radiusRange: [number, number];
}

// Background intensity stays dark-to-mid grey and shapes are bright, saturated colours, so a shape always stands out.
const BACKGROUND_LEVEL: [number, number] = [0.1, 0.45];
const BACKGROUND_NOISE = 0.08;
const SHAPE_NOISE = 0.04;
const PLACEMENT_ATTEMPTS = 30;
// Shapes keep this many pixels between their boxes, so every object stays visible and its box is its own.
const BOX_GAP = 1;

type Random = () => number;

function uniform(random: Random, low: number, high: number): number {
  return low + random() * (high - low);
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}

function hsvToRgb(hue: number, saturation: number, value: number): [number, number, number] {
  const channel = (n: number) => {
    const k = (n + hue * 6) % 6;
    return value - value * saturation * Math.max(0, Math.min(k, 4 - k, 1));
  };
  return [channel(5), channel(3), channel(1)];
}

/** Whether the pixel centre (px, py) lies inside the shape of radius r centred on (cx, cy). */
function covers(shape: ShapeClass, cx: number, cy: number, r: number, px: number, py: number): boolean {
  const dx = px - cx;
  const dy = py - cy;
  switch (shape) {
    case 'circle':
      return dx * dx + dy * dy <= r * r;
    case 'square':
      return Math.abs(dx) <= r && Math.abs(dy) <= r;
    case 'triangle':
      // Apex at (cx, cy - r), base from (cx - r, cy + r) to (cx + r, cy + r): half-width grows linearly downwards.
      return dy >= -r && dy <= r && Math.abs(dx) <= (dy + r) / 2;
  }
}

function boxesTouch(a: Box, b: Box): boolean {
  return a[0] < b[2] + BOX_GAP && b[0] < a[2] + BOX_GAP && a[1] < b[3] + BOX_GAP && b[1] < a[3] + BOX_GAP;
}

function paintBackground(pixels: Float32Array, random: Random): void {
  const level = uniform(random, ...BACKGROUND_LEVEL);
  for (let i = 0; i < pixels.length; i++) {
    pixels[i] = clamp01(level + uniform(random, -BACKGROUND_NOISE, BACKGROUND_NOISE));
  }
}

function paintShape(scene: Scene, size: number, classId: number, cx: number, cy: number, r: number, random: Random): void {
  const colour = hsvToRgb(random(), uniform(random, 0.6, 1), uniform(random, 0.75, 1));
  const shape = SHAPE_CLASSES[classId];
  for (let y = Math.max(0, Math.floor(cy - r)); y < Math.min(size, Math.ceil(cy + r)); y++) {
    for (let x = Math.max(0, Math.floor(cx - r)); x < Math.min(size, Math.ceil(cx + r)); x++) {
      if (!covers(shape, cx, cy, r, x + 0.5, y + 0.5)) continue;
      const pixel = y * size + x;
      scene.mask[pixel] = classId + 1;
      for (let c = 0; c < 3; c++) {
        scene.pixels[pixel * 3 + c] = clamp01(colour[c] + uniform(random, -SHAPE_NOISE, SHAPE_NOISE));
      }
    }
  }
}

/** One scene; the same random generator state always draws the same scene. */
export function drawScene({ size, objectCount, radiusRange }: SceneOptions, random: Random): Scene {
  const scene: Scene = {
    pixels: new Float32Array(size * size * 3),
    mask: new Int32Array(size * size),
    objects: [],
  };
  paintBackground(scene.pixels, random);
  for (let attempt = 0; attempt < PLACEMENT_ATTEMPTS && scene.objects.length < objectCount; attempt++) {
    const r = uniform(random, radiusRange[0] * size, radiusRange[1] * size);
    const cx = uniform(random, r, size - r);
    const cy = uniform(random, r, size - r);
    const box: Box = [cx - r, cy - r, cx + r, cy + r];
    if (scene.objects.some((object) => boxesTouch(object.box, box))) continue;
    const classId = Math.floor(random() * SHAPE_CLASSES.length);
    paintShape(scene, size, classId, cx, cy, r, random);
    scene.objects.push({ classId, box });
  }
  return scene;
}
