import type { Rung } from '../types';

/** TF.js's pure-JavaScript backend: always there, about 20× slower than wasm for convolutions. */
export const cpuRung: Rung = {
  name: 'cpu',
  async prepare() {
    return { tfBackend: 'cpu', detail: 'pure JavaScript' };
  },
};
