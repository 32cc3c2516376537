import * as tf from '@tensorflow/tfjs';
import type { BackendName, Rung } from '../types';
import { createBackend } from './create_backend';
import { requireOptional } from './optional_require';

/** tfjs-node's backend; `isUsingGpuDevice` says whether libtensorflow found a CUDA device. */
interface NodeBackend {
  readonly isUsingGpuDevice?: boolean;
}

/**
 * The libtensorflow backends (optional peer packages: their install script downloads libtensorflow). Both register
 * the TF.js backend "tensorflow"; the GPU package must also have found a CUDA device.
 */
export function tensorflowNodeRung(name: BackendName, packageName: string, needsGpu: boolean): Rung {
  return {
    name,
    async prepare() {
      requireOptional<unknown>(packageName);
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
