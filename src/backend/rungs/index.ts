import type { Rung } from '../types';
import { cpuRung } from './cpu';
import { tensorflowNodeRung } from './tensorflow_node';
import { wasmRung } from './wasm';
import { webgpuRung } from './webgpu';

/**
 * The ladder, fastest first. tfjs-node-gpu is never installed by npm ci: it needs an NVIDIA GPU with the CUDA and
 * cuDNN its libtensorflow (2.9.1) was built against. tfjs-node is an optional dependency: npm ci installs it where it
 * can download libtensorflow.
 */
export const DEFAULT_RUNGS: readonly Rung[] = [
  tensorflowNodeRung({
    name: 'tensorflow-gpu', packageName: '@tensorflow/tfjs-node-gpu', needsGpu: true,
    howToGet: (version) => `for an NVIDIA GPU with CUDA 11.2 and cuDNN 8.1: npm install @tensorflow/tfjs-node-gpu@${version}`,
  }),
  webgpuRung,
  tensorflowNodeRung({
    name: 'tensorflow', packageName: '@tensorflow/tfjs-node', needsGpu: false,
    howToGet: () => 'npm ci installs it where it can download libtensorflow',
  }),
  wasmRung,
  cpuRung,
];
