/** Notebook outputs: image grids, charts (Vega-Lite rendered to SVG), tables and live training progress. */
export { showImages, showSegmentation, type ShowImagesOptions, type ShowSegmentationOptions } from './images';
export {
  plotCurves,
  plotConfusionMatrix,
  plotBars,
  type CurvesOptions,
  type ConfusionMatrixOptions,
  type BarsOptions,
} from './charts';
export { showBoxes, type LabelledBox, type ShowBoxesOptions } from './boxes';
export { showTable, type ShowTableOptions } from './table';
export { trainingProgress, type TrainingProgress, type TrainingProgressOptions } from './progress';
