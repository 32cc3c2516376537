import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BenchModel } from './models';
import type { Throughput } from './train';

export const PYTHON = '/usr/bin/python3';

type ByModel = Readonly<Record<BenchModel['key'], Throughput>>;

/** PyTorch's throughput for each model at each thread count measured; `fastest` takes the fastest of them. */
export interface PytorchResult {
  readonly version: string;
  readonly defaultThreads: number;
  readonly fastest: ByModel;
  /** Every measurement, by thread count. */
  readonly byThreads: Readonly<Record<string, ByModel>>;
}

/** Why PyTorch cannot be measured here, or undefined when `import torch` works. */
export function pytorchUnavailable(): string | undefined {
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.error !== undefined) return `${PYTHON} cannot run (${probe.error.message})`;
  if (probe.status !== 0) return `${PYTHON} -c 'import torch' failed: ${lastLine(probe.stderr)}`;
  return undefined;
}

export function measurePytorch(samples: Readonly<Record<BenchModel['key'], number>>, threadCounts: readonly number[]): PytorchResult {
  const run = spawnSync(PYTHON, [scriptPath(), JSON.stringify(samples), JSON.stringify(threadCounts)], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`bench/pytorch_bench.py failed: ${lastLine(run.stderr)}`);
  const report = JSON.parse(run.stdout) as { torch: string; defaultThreads: number; byThreads: Record<string, ByModel> };
  const runs = Object.values(report.byThreads);
  const fastest = (key: BenchModel['key']): Throughput =>
    runs.map((result) => result[key]).reduce((best, next) => (next.wall > best.wall ? next : best));
  return {
    version: report.torch,
    defaultThreads: report.defaultThreads,
    fastest: { lenet5: fastest('lenet5'), miniResnet: fastest('miniResnet') },
    byThreads: report.byThreads,
  };
}

/** The script sits beside this file's source: bench/ when run with tsx, two levels up from dist/bench/ when built. */
function scriptPath(): string {
  const candidates = [path.join(__dirname, 'pytorch_bench.py'), path.join(__dirname, '..', '..', 'bench', 'pytorch_bench.py')];
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (found === undefined) throw new Error(`bench/pytorch_bench.py not found (looked in ${candidates.join(', ')})`);
  return found;
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop() ?? '';
}
