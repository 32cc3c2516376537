/**
 * The learner bundle on its own: a fresh folder holding only what `convlab release --student` wrote, installed and
 * run with the README's steps (npm ci, npm run kernel, jupyter nbconvert), with no project files around it.
 */
import { expect } from 'chai';
import { copyFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { projectPath } from '../../grader/paths';
import { convlab, readJson, runProgram, tempDir, type CliResult } from '../support/helpers';

const JUPYTER = '/usr/bin/jupyter';
const FIRST = '01-conv-arithmetic.ipynb';

interface Output { output_type: string; text?: string | string[]; ename?: string }
interface ExecutedNotebook { cells: { id: string; cell_type: string; outputs?: Output[] }[] }

const textOf = (outputs: readonly Output[]): string =>
  outputs.map((output) => (Array.isArray(output.text) ? output.text.join('') : output.text ?? '')).join('');

const succeeded = (result: CliResult, what: string): void => {
  expect(result.exitCode, `${what}: ${result.stderr.slice(-2000)}`).to.equal(0);
};

describe('the learner bundle works on its own', function () {
  this.timeout(600_000);
  const bundle = join(tempDir('convlab-bundle-'), 'course');
  const prefix = join(tempDir('convlab-kernel-'), 'jupyter');
  // Jupyter as a learner might start it: without node_modules/.bin (or anything of the bundle's) on PATH.
  const jupyterEnv = { PATH: '/usr/bin:/bin', JUPYTER_PATH: join(prefix, 'share', 'jupyter') };
  const nbconvert = (notebook: string, ...options: string[]): Promise<CliResult> =>
    runProgram(JUPYTER, ['nbconvert', '--to', 'notebook', '--execute', ...options, '--output', 'checked.ipynb', notebook], { cwd: bundle, env: jupyterEnv });

  before(async function () {
    if (!existsSync(JUPYTER)) {
      console.log(`      skipped: ${JUPYTER} is absent (Debian: apt install jupyter-nbconvert python3-nbclient)`);
      this.skip();
    }
    succeeded(await convlab(['release', '--student', bundle]), 'convlab release --student');
    // The README's step 1; --prefer-offline takes packages from the npm cache when it has them.
    succeeded(await runProgram('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: bundle }), 'npm ci');
    // Step 2, into a private prefix so that the test leaves the user's own kernels alone.
    succeeded(await runProgram('npm', ['run', 'kernel', '--', '--prefix', prefix], { cwd: bundle }), 'npm run kernel');
  });

  after(() => {
    for (const dir of [bundle, prefix]) rmSync(dirname(dir), { recursive: true, force: true });
  });

  it("declares every package its kit requires, and none of the grader's", () => {
    const { dependencies, optionalDependencies } = readJson<Record<string, Record<string, string>>>(join(bundle, 'package.json'));
    expect(dependencies).to.include.keys('@tensorflow/tfjs', 'yauzl', 'chai', 'tslab', 'vega-lite');
    expect(dependencies).to.not.have.any.keys('mocha', 'better-sqlite3', 'execa', 'ajv', 'playwright-core');
    // The ladder's native and GPU rungs: npm ci goes on without one that cannot install (tfjs-node offline).
    expect(optionalDependencies).to.have.keys('@tensorflow/tfjs-node', 'webgpu', '@tensorflow/tfjs-backend-webgpu');
    const lock = readJson<{ packages: Record<string, { version?: string; optional?: boolean }> }>(join(bundle, 'package-lock.json'));
    expect(lock.packages['']).to.deep.include({ dependencies, optionalDependencies });
    expect(lock.packages['node_modules/@tensorflow/tfjs-node']?.optional).to.equal(true);
    expect(lock.packages['node_modules/yauzl']?.version).to.equal(readJson<{ version: string }>(projectPath('node_modules', 'yauzl', 'package.json')).version);
  });

  it('has the course data command: npm run data -- --check says what a fresh cache lacks', async () => {
    const cache = tempDir('convlab-cache-');
    const result = await runProgram('npm', ['run', '--silent', 'data', '--', '--check'], { cwd: bundle, env: { CONVLAB_CACHE: cache } });
    expect(result.exitCode, result.stderr).to.equal(1);
    expect(result.stdout).to.include(`cache: ${cache}`).and.to.include('ants-vs-bees photos    missing (run npm run data)');
    rmSync(cache, { recursive: true, force: true });
  });

  it("installs a kernelspec that starts this Node and the bundle's own tslab by absolute path", () => {
    const spec = readJson<{ argv: string[] }>(join(prefix, 'share', 'jupyter', 'kernels', 'tslab', 'kernel.json'));
    expect(spec.argv).to.deep.equal([process.execPath, join(bundle, 'dist', 'src', 'jupyter', 'kernel.js'), 'kernel', '--config-path', '{connection_file}']);
  });

  it("runs the first notebook as the README's check does: the kit loads and the self-checks wait for the exercises", async () => {
    succeeded(await nbconvert(join('notebooks', FIRST), '--allow-errors'), 'jupyter nbconvert --allow-errors');
    const executed = readJson<ExecutedNotebook>(join(bundle, 'notebooks', 'checked.ipynb'));
    const outputs = (id: string): Output[] => executed.cells.find((cell) => cell.id === id)?.outputs ?? [];
    expect(outputs('setup').map((output) => output.output_type)).to.not.include('error');
    expect(textOf(outputs('setup'))).to.match(/^TensorFlow\.js backend: \w+/);
    // The table says which rung ran and why each other did not, libtensorflow's native rung included.
    expect(textOf(outputs('setup'))).to.match(/^tensorflow: +(chosen|skipped|failed|not tried) — .+$/m);
    expect(textOf(outputs('conv-output-size-check'))).to.include('✗ a 5×5 kernel shrinks 32 to 28 — Not implemented: conv-output-size\n');
    expect(readFileSync(join(bundle, 'notebooks', 'checked.ipynb'), 'utf8')).to.not.include('Cannot find module');
  });

  it('runs a finished first notebook from top to bottom without an error', async () => {
    copyFileSync(projectPath('solutions', FIRST), join(bundle, 'notebooks', `finished-${FIRST}`));
    succeeded(await nbconvert(join('notebooks', `finished-${FIRST}`)), 'jupyter nbconvert');
    const executed = readJson<ExecutedNotebook>(join(bundle, 'notebooks', 'checked.ipynb'));
    const printed = textOf(executed.cells.flatMap((cell) => cell.outputs ?? []));
    expect(printed).to.include('✓ TensorFlow.js agrees on stride 2\n').and.not.include('✗');
  });
});
