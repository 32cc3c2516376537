/** Data for the course: real digits and photos, and seeded synthetic scenes for detection and segmentation. */
export { loadMnist, MNIST_IMAGE_SIZE, MNIST_CLASS_COUNT, type MnistData, type MnistSplit, type MnistOptions } from './mnist';
export {
  loadHymenoptera,
  HYMENOPTERA_URL,
  type HymenopteraData,
  type HymenopteraOptions,
  type ImageSet,
  type SkippedFile,
  type DownloadProgress,
} from './hymenoptera';
export {
  makeShapesDetection,
  makeShapesSegmentation,
  SHAPE_CLASSES,
  type DetectionData,
  type DetectionObject,
  type SegmentationData,
  type ShapesDetectionOptions,
  type ShapesSegmentationOptions,
} from './shapes';
