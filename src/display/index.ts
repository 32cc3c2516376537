/**
 * Notebook outputs: image grids, charts (Vega-Lite rendered to SVG), tables and live training progress. Each helper
 * sends its output to the running cell and returns a `Shown` record holding the artifact (`content`: SVG source, PNG
 * bytes or HTML) that prints as one line, so `await plotCurves(...)` as a cell's last line shows only the chart.
 */
export { Shown, type ShownKind } from './shown';
export { showImages, showSegmentation, type ShowImagesOptions, type ShowSegmentationOptions } from './images';
export {
  plotCurves,
  plotConfusionMatrix,
  plotBars,
  type CurvesOptions,
  type ConfusionMatrixOptions,
  type BarsOptions,
} from './charts';
export { showHeatmaps, heatColour, type ShowHeatmapsOptions } from './heatmap';
export { showBoxes, type LabelledBox, type ShowBoxesOptions } from './boxes';
export { showTable, type ShowTableOptions } from './table';
export { trainingProgress, type TrainingProgress, type TrainingProgressOptions } from './progress';
