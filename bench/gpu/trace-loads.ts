/**
 * Preloaded by make-kit.ts (`node -r dist/bench/gpu/trace-loads.js`) while the bench runs: appends to the file named
 * by CONVLAB_TRACE_LOADS every absolute path the process resolves for `require` (modules, native addons, ES modules
 * loaded through require, `require.resolve`) or reads through `fs` (the .wasm binaries, the notebook), in the main
 * thread and in workers, so the kit carries exactly what the bench loads.
 */
import fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const TRACE_ENV = 'CONVLAB_TRACE_LOADS';

const traceFile = process.env[TRACE_ENV];
if (traceFile !== undefined && traceFile !== '') {
  const seen = new Set<string>([traceFile]);
  const record = (file: unknown): void => {
    const name = file instanceof URL ? fileURLToPath(file) : file;
    if (typeof name !== 'string' || !path.isAbsolute(name) || seen.has(name)) return;
    seen.add(name);
    fs.appendFileSync(traceFile, `${name}\n`);
  };

  const loader = Module as unknown as { _resolveFilename(this: unknown, ...args: unknown[]): string };
  const resolveFilename = loader._resolveFilename;
  loader._resolveFilename = function (...args) {
    const file = resolveFilename.apply(this, args);
    record(file);
    return file;
  };

  const { readFileSync, readFile } = fs;
  const { readFile: readFilePromise } = fs.promises;
  Object.assign(fs, {
    readFileSync: (file: unknown, ...rest: unknown[]) => (record(file), (readFileSync as (...args: unknown[]) => unknown)(file, ...rest)),
    readFile: (file: unknown, ...rest: unknown[]) => (record(file), (readFile as (...args: unknown[]) => unknown)(file, ...rest)),
  });
  fs.promises.readFile = ((file: unknown, ...rest: unknown[]) =>
    (record(file), (readFilePromise as (...args: unknown[]) => unknown)(file, ...rest))) as typeof fs.promises.readFile;
}
