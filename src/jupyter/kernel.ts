/**
 * The Jupyter kernel of this course: tslab's own, started with its compiler's folder watching off and its file
 * watching made to survive two changes between cells (`compiler-watch.ts`). Takes tslab's own arguments
 * (`kernel --config-path <file>`).
 */
import { stopFolderWatching, surviveWatchRaces } from './compiler-watch';

stopFolderWatching();
surviveWatchRaces();
(require('tslab/dist/main') as { main: () => void }).main();
