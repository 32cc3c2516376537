export { useBestBackend, probeBackends, BACKEND_ENV, DEFAULT_LADDER, type BackendOptions, type Ladder } from './ladder';
export { formatBackendTable } from './format';
export { DEFAULT_RUNGS } from './rungs';
export { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from './wasm';
export {
  BACKEND_NAMES,
  BackendUnavailable,
  type AttemptStatus,
  type BackendAttempt,
  type BackendChoice,
  type BackendName,
  type PrepareContext,
  type PreparedBackend,
  type Rung,
} from './types';
