import * as tf from '@tensorflow/tfjs';
import type { BackendName, Rung } from '../types';
import { createBackend } from './create_backend';
import { requireOptional } from './optional_require';

/** tfjs-node's backend; `isUsingGpuDevice` says whether libtensorflow found a CUDA device. */
interface NodeBackend {
  readonly isUsingGpuDevice?: boolean;
}

/** One libtensorflow rung: its package, whether it must find a CUDA device, and how a learner gets it. */
export interface TensorflowNodePackage {
  readonly name: BackendName;
  readonly packageName: string;
  readonly needsGpu: boolean;
  /** how to install it, for the table when it is absent; `version` is the TF.js version it must match */
  howToGet(version: string): string;
}

/**
 * The libtensorflow backends (optional packages: their install script downloads libtensorflow, and npm goes on
 * without them where it cannot). Both register the TF.js backend "tensorflow"; the GPU package must also have found a
 * CUDA device.
 */
export function tensorflowNodeRung({ name, packageName, needsGpu, howToGet }: TensorflowNodePackage): Rung {
  return {
    name,
    async prepare() {
      requireOptional<unknown>(packageName, howToGet(tf.version.tfjs));
      if (tf.engine().registryFactory.tensorflow === undefined) {
        throw new Error(
          `${packageName} registered its backend with another copy of @tensorflow/tfjs; install the same version as ` +
            `@tensorflow/tfjs ${tf.version.tfjs}`,
        );
      }
      if (needsGpu) {
        const backend = (await createBackend('tensorflow')) as NodeBackend;
        if (backend.isUsingGpuDevice === false) throw new Error('libtensorflow found no CUDA GPU');
      }
      return { tfBackend: 'tensorflow', detail: `libtensorflow via ${packageName}` };
    },
  };
}
