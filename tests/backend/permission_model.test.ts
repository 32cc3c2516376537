import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { isInstalled } from './installed';

/**
 * The grader runs notebooks under Node's permission model, where native addons (Dawn's webgpu, tfjs-node) refuse to
 * load. tsx itself needs a worker, a child process and its cache folder, which addons do not get from these flags.
 */
const FLAGS = [
  '--experimental-permission',
  '--allow-fs-read=*',
  `--allow-fs-write=${path.join(os.tmpdir(), '*')}`,
  '--allow-worker',
  '--allow-child-process',
  '--require',
  require.resolve('tsx/cjs'),
];

describe("the ladder under Node's permission model", () => {
  it('skips native addons with the reason and trains on wasm', function () {
    this.timeout(120_000);
    const run = spawnSync(process.execPath, [...FLAGS, path.join(__dirname, 'fixtures', 'permission_probe.ts')], {
      encoding: 'utf8',
      env: { ...process.env, CONVLAB_BACKEND: '' },
    });
    const lines = run.stdout.split('\n');
    const webgpu = isInstalled('webgpu') ? "webgpu is a native addon and Node's permission model disables addons" : 'webgpu is not installed';
    expect(lines, run.stderr).to.include(`webgpu:         skipped — ${webgpu}`);
    // --allow-worker (tsx needs it) lets wasm start its threads too.
    expect(lines.some((line) => /^wasm: +chosen — XNNPACK, \d+ threads?( \(.*\))?, with convlab training kernels$/.test(line)), run.stdout).to.equal(true);
    // d mean / d tap = (outputs where the tap lands inside the 5×5 image) / 50 outputs: corners 16, edges 20,
    // centre 25, so one SGD step at 0.1 takes 2 channels × 169 / 50 × 0.1 = 0.676 off the sum of 18.
    expect(lines).to.include('trained on wasm: filter sum 17.324');
    expect(run.status).to.equal(0);
  });
});
