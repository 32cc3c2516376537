import type { Rung } from '../types';

/** TF.js's pure-JavaScript backend: always there, two orders of magnitude slower than wasm at training convnets. */
export const cpuRung: Rung = {
  name: 'cpu',
  async prepare() {
    return { tfBackend: 'cpu', detail: 'pure JavaScript' };
  },
};
