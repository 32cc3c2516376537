import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import * as ts from 'typescript';
import { makeShapesSegmentation, type SegmentationData } from '../../datasets/shapes';
import { cellSource, type Notebook } from '../../grader/notebook/types';
import { projectPath } from '../../grader/paths';
import { isGrading } from '../../src/grading';

/**
 * Notebook 07's U-Net as the solution notebook builds, compiles and feeds it. The cells that declare the builder, the
 * training data and the compiled model are read from solutions/07-unet.ipynb, stripped of their types and run here,
 * so the bench times the notebook's own code and settings rather than a copy that could drift from it.
 */
export const UNET_NOTEBOOK = projectPath('solutions', '07-unet.ipynb');

/** What the bench takes from the notebook; each is declared at the top level of one of its cells. */
const DECLARED = ['buildUNet', 'trainSet', 'heldOut', 'trainTargets', 'unet', 'BATCH_SIZE'] as const;

/** The names the cells use from the notebook's imports. */
const IMPORTS = { tf, isGrading, makeShapesSegmentation };

export interface NotebookUNet {
  readonly unet: tf.LayersModel;
  readonly images: tf.Tensor4D;
  /** One-hot class maps, [images, height, width, classes]. */
  readonly targets: tf.Tensor4D;
  readonly batchSize: number;
  dispose(): void;
}

/** The cells' JavaScript, ready for `buildNotebookUNet`; throws one line when the notebook lacks a declaration. */
export function notebookUNetScript(notebookPath = UNET_NOTEBOOK): string {
  const notebook = JSON.parse(readFileSync(notebookPath, 'utf8')) as Notebook;
  const sources = notebook.cells.filter((cell) => cell.cell_type === 'code').map(cellSource);
  const wanted = new Set<string>();
  for (const name of DECLARED) {
    const declaration = new RegExp(`^(?:const|let|function)\\s+${name}\\b`, 'm');
    const cell = sources.find((source) => declaration.test(source));
    if (cell === undefined) throw new Error(`${notebookPath} declares no \`${name}\` at the top of a code cell`);
    wanted.add(cell);
  }
  const cells = sources.filter((source) => wanted.has(source)).join('\n');
  const { outputText } = ts.transpileModule(cells, { compilerOptions: { target: ts.ScriptTarget.ES2022 } });
  return `${outputText}\nreturn { ${DECLARED.join(', ')} };`;
}

/**
 * Runs the cells on the current backend: a fresh, compiled U-Net and the notebook's training data. Their messages
 * are dropped (the bench prints its own); `images` limits the training set, for a quick check.
 */
export function buildNotebookUNet(script: string, images?: number): NotebookUNet {
  const quiet = { ...console, log: () => undefined };
  const run = new Function(...Object.keys(IMPORTS), 'console', script) as (...values: unknown[]) => {
    trainSet: SegmentationData;
    heldOut: SegmentationData;
    trainTargets: tf.Tensor4D;
    unet: tf.LayersModel;
    BATCH_SIZE: number;
  };
  const cells = run(...Object.values(IMPORTS), quiet);
  const kept = images ?? cells.trainSet.images.shape[0];
  const [trainImages, trainTargets] = tf.tidy(() => [
    cells.trainSet.images.slice(0, kept),
    cells.trainTargets.slice(0, kept),
  ]);
  tf.dispose([cells.trainSet.images, cells.trainSet.masks, cells.heldOut.images, cells.heldOut.masks, cells.trainTargets]);
  return {
    unet: cells.unet,
    images: trainImages,
    targets: trainTargets,
    batchSize: cells.BATCH_SIZE,
    dispose() {
      tf.dispose([trainImages, trainTargets]);
      cells.unet.dispose();
    },
  };
}
