import { formatBackendTable, probeBackends } from '../../src/backend';

/** `convlab backend`: which TensorFlow.js backends work here, and which one notebooks will use. */
export async function backend(): Promise<string> {
  return formatBackendTable(await probeBackends());
}
