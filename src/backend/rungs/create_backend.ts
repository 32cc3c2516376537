import * as tf from '@tensorflow/tfjs';

/**
 * Creates a registered TF.js backend, throwing its factory's own error; `tf.setBackend` would only log it and
 * return false. The instance is registered again so that `tf.setBackend` reuses it instead of creating another.
 * (`tf.findBackend` is no way to look: it starts initializing the backend as a side effect.)
 */
export async function createBackend(tfBackend: string): Promise<tf.KernelBackend> {
  const engine = tf.engine();
  const ready = engine.registry[tfBackend];
  if (ready !== undefined) return ready;
  const factory = engine.registryFactory[tfBackend]?.factory;
  if (factory === undefined) throw new Error(`no TF.js backend named "${tfBackend}" is registered`);
  const instance = await factory();
  tf.removeBackend(tfBackend);
  tf.registerBackend(tfBackend, () => instance);
  return instance;
}
