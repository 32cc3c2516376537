/**
 * tslab's converter keeps a TypeScript watch program and allows one pending rebuild timer. When a folder TypeScript
 * watches changes between two cells (a `node_modules` folder appears beside the notebook, a module that failed to
 * import is created), TypeScript schedules a second kind of timer; the next cell then fails with "Unexpected pending
 * rebuildTimer", and so does every cell after it until the kernel restarts.
 *
 * With folder watching off, such a change is simply not seen until the kernel restarts (an import that failed keeps
 * failing until then); changed files, which do not hit that path, are still picked up.
 */
import * as ts from '@tslab/typescript-for-tslab';

const IDLE_WATCHER: ts.FileWatcher = { close: () => undefined };

/** Turns off folder watching in the TypeScript tslab uses, for every converter of this process. Idempotent. */
export function stopFolderWatching(): void {
  ts.sys.watchDirectory = () => IDLE_WATCHER;
}

/** tslab's refusal of a second timer, thrown from inside a watcher's callback. */
const isRebuildTimerRace = (error: unknown): boolean =>
  error instanceof Error && error.message === 'Unexpected pending rebuildTimer';

let watchRacesSurvived = false;

/**
 * For the learner's kernel, which keeps watching files so that an edited module is picked up. Two file events between
 * cells (a module's typings edited, then its package.json; `npm install` beside a running notebook) make TypeScript ask
 * for a second timer while the first is pending; tslab refuses by throwing inside the watcher's callback, where nothing
 * catches it, and the kernel dies with every variable of the session. That one refusal is dropped instead: the
 * pending rebuild still runs with the next cell and reads the files as they are then. Idempotent.
 */
export function surviveWatchRaces(): void {
  const watchFile = ts.sys.watchFile;
  if (watchRacesSurvived || watchFile === undefined) return;
  watchRacesSurvived = true;
  ts.sys.watchFile = (path, callback, ...rest) =>
    watchFile(path, (...args) => {
      try {
        callback(...args);
      } catch (error) {
        if (!isRebuildTimerRace(error)) throw error;
      }
    }, ...rest);
}

/**
 * Turns off all watching of the disk, files too, for a process that compiles one notebook as it stands (the grader's
 * sandbox and compile processes). A file event arriving while a cell compiles (a package installed beside the grader,
 * a link made or removed to a file under node_modules/) otherwise schedules that second timer from inside the
 * watcher's callback, where the throw ends the whole process.
 */
export function stopDiskWatching(): void {
  stopFolderWatching();
  ts.sys.watchFile = () => IDLE_WATCHER;
}
