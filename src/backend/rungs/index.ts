import type { Rung } from '../types';
import { cpuRung } from './cpu';
import { tensorflowNodeRung } from './tensorflow_node';
import { wasmRung } from './wasm';
import { webgpuRung } from './webgpu';

/** The ladder, fastest first. */
export const DEFAULT_RUNGS: readonly Rung[] = [
  tensorflowNodeRung('tensorflow-gpu', '@tensorflow/tfjs-node-gpu', true),
  webgpuRung,
  tensorflowNodeRung('tensorflow', '@tensorflow/tfjs-node', false),
  wasmRung,
  cpuRung,
];
