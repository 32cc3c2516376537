import { BACKEND_NAMES, type BackendName } from '../src/backend';

/** `--backends wasm,cpu` measures only those; by default every backend. A string: what is wrong with the option. */
export function chosenBackends(argv: readonly string[]): readonly BackendName[] | string {
  const at = argv.indexOf('--backends');
  if (at === -1) return BACKEND_NAMES;
  const names = (argv[at + 1] ?? '').split(',').filter((name) => name !== '');
  const unknown = names.filter((name) => !(BACKEND_NAMES as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0) {
    return `--backends takes a comma-separated list of: ${BACKEND_NAMES.join(', ')} (got "${argv[at + 1] ?? ''}")`;
  }
  return names as BackendName[];
}

/** Dawn keeps threads alive once started, which would slow every backend measured after it: GPUs go last. */
const MEASURE_ORDER: readonly BackendName[] = ['wasm', 'cpu', 'tensorflow', 'tensorflow-gpu', 'webgpu'];

/** `backends` in the order they are best measured in. */
export function inMeasureOrder(backends: readonly BackendName[]): readonly BackendName[] {
  return MEASURE_ORDER.filter((name) => backends.includes(name));
}
