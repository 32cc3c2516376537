/**
 * The Jupyter kernel of this course: tslab's own, started with its compiler's folder watching off
 * (`compiler-watch.ts`). Takes tslab's own arguments (`kernel --config-path <file>`).
 */
import { stopFolderWatching } from './compiler-watch';

stopFolderWatching();
(require('tslab/dist/main') as { main: () => void }).main();
