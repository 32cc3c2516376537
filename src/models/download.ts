import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseModelJson } from './model-folder';

/** Reported after `model.json` and after every weight file. */
export interface ModelDownloadProgress {
  filesDone: number;
  filesTotal: number;
  bytes: number;
}

/** Per file, a few MB at most for MobileNet v1: a stalled connection should fail, not hang the notebook. */
const FILE_TIMEOUT_MS = 120_000;

async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url, { signal: AbortSignal.timeout(FILE_TIMEOUT_MS) }).catch((error: Error) => {
    // fetch says only "fetch failed"; the reason (no DNS, refused, timeout) is in its cause.
    const reason = error.cause instanceof Error ? error.cause.message : error.message;
    throw new Error(`GET ${url} failed: ${reason}`, { cause: error });
  });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}

/**
 * Downloads a TF.js model (its `model.json` and every weight file it lists, resolved against its URL) into `targetDir`.
 * Files land in a temporary sibling folder that is renamed into place at the end, so an interrupted download never
 * leaves a half-filled `targetDir` that a later run would take for a complete model.
 */
export async function downloadModel(
  modelUrl: string,
  targetDir: string,
  onProgress: (progress: ModelDownloadProgress) => void = () => {},
): Promise<void> {
  mkdirSync(dirname(targetDir), { recursive: true });
  const staging = mkdtempSync(`${targetDir}.partial-`);
  try {
    const modelBytes = await fetchBytes(modelUrl);
    const json = parseModelJson(new TextDecoder().decode(modelBytes), modelUrl);
    const weightPaths = json.weightsManifest.flatMap((group) => group.paths);
    const progress = { filesDone: 1, filesTotal: weightPaths.length + 1, bytes: modelBytes.byteLength };
    writeFileSync(join(staging, 'model.json'), modelBytes);
    onProgress({ ...progress });
    for (const path of weightPaths) {
      const target = join(staging, path);
      if (dirname(target) !== staging) throw new Error(`refusing weight path "${path}" outside the model folder`);
      const bytes = await fetchBytes(new URL(path, modelUrl).href);
      writeFileSync(target, bytes);
      progress.filesDone += 1;
      progress.bytes += bytes.byteLength;
      onProgress({ ...progress });
    }
    if (existsSync(targetDir)) rmSync(targetDir, { recursive: true });
    renameSync(staging, targetDir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
