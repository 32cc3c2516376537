import type { Display } from 'tslab';

/** tslab's display functions throw this outside a running kernel (a plain `node` process, a test). */
const NOT_READY = 'Not ready';

function isNotReady(error: unknown): boolean {
  return error instanceof Error && error.message === NOT_READY;
}

/** tslab loads TypeScript itself, so it is required only when something is shown. */
function tslab(): typeof import('tslab') {
  return require('tslab') as typeof import('tslab');
}

/** Sends an output to the Jupyter cell; returns false, showing nothing, when there is no kernel to send it to. */
export function showInCell(render: (display: Display) => void, display?: Display): boolean {
  try {
    render(display ?? tslab().display);
    return true;
  } catch (error) {
    if (isNotReady(error)) return false;
    throw error;
  }
}

/** A display entry that later calls overwrite (tslab's `newDisplay`). */
export function newCellDisplay(): Display {
  return tslab().newDisplay();
}
