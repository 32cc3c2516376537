import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { KIT_ARCHIVE, KIT_RUNNER, makeKit, type Kit } from '../../bench/gpu/make-kit';
import { notebookUNetScript } from '../../bench/gpu/notebook-unet';

/** What run.sh calls besides bash's builtins (tar runs xz). */
const RUNNER_TOOLS = ['dirname', 'mktemp', 'mkdir', 'tar', 'xz', 'grep', 'head'];
const KIT_LIMIT_BYTES = 60 * 2 ** 20;

/** A folder of links to `tools` alone: a PATH on which no `node` can be found. */
function pathWithout(node: string, tools: readonly string[], folder: string): string {
  mkdirSync(folder);
  for (const tool of tools) symlinkSync(execFileSync('/bin/sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), join(folder, tool));
  expect(existsSync(join(folder, node)), `${node} on the test PATH`).to.equal(false);
  return folder;
}

describe('the GPU bench kit (npm run bench:gpu:kit)', function () {
  // Two smoke runs of the bench under the tracer, then xz over ~130 MB: minutes on a busy 2-core machine.
  this.timeout(20 * 60_000);
  let scratch: string;
  let kit: Kit | undefined;

  before(function () {
    try {
      require.resolve('webgpu');
    } catch {
      console.log('    skipped: the optional webgpu package is not installed, and the kit carries its Dawn');
      this.skip();
    }
    scratch = mkdtempSync(join(tmpdir(), 'convlab-gpu-kit-test-'));
    kit = makeKit(join(scratch, 'built'));
  });

  after(() => {
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  });

  it('is under 60 MiB', () => {
    expect(kit?.bytes).to.be.below(KIT_LIMIT_BYTES);
  });

  it('unpacks and runs its smoke mode in an empty folder, on a PATH without node', () => {
    const device = join(scratch, 'device');
    mkdirSync(device);
    for (const file of [KIT_ARCHIVE, KIT_RUNNER]) copyFileSync(join(scratch, 'built', file), join(device, file));
    const path = pathWithout('node', RUNNER_TOOLS, join(scratch, 'tools'));
    const run = spawnSync('/bin/bash', [join(device, KIT_RUNNER), '--smoke'], {
      cwd: device,
      env: { PATH: path, GPU_KIT_DIR: join(device, 'unpacked') },
      encoding: 'utf8',
      timeout: 5 * 60_000,
    });
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/^The ladder picks \w+/m);
    expect(run.stdout).to.match(/^wasm \(CPU default\) +\d+ +\d+ +[\d.]+ s \(32 images\)/m);
  });
});

describe("the GPU bench's U-Net, read from notebook 07", () => {
  it('names the declaration a notebook lacks, in one line', () => {
    const folder = mkdtempSync(join(tmpdir(), 'convlab-unet-notebook-'));
    const notebook = join(folder, '07-unet.ipynb');
    const cell = { cell_type: 'code', metadata: {}, source: 'function buildUNet() {}\nconst BATCH_SIZE = 8;\n', outputs: [] };
    writeFileSync(notebook, JSON.stringify({ cells: [cell], metadata: {}, nbformat: 4, nbformat_minor: 5 }));
    try {
      expect(() => notebookUNetScript(notebook)).to.throw(`${notebook} declares no \`trainSet\` at the top of a code cell`);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
