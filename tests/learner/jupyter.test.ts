import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../grader/paths';
import { freePort } from '../../grader/queue/local-redis';
import { convlab } from '../support/helpers';
import { PYTHON, RUNNING_AS_ROOT, stop, waitForOutput } from '../support/notebook-server';

const CLI = join(PROJECT_ROOT, 'dist', 'grader', 'cli.js');

describe('convlab jupyter (npm run jupyter)', function () {
  this.timeout(120_000);

  before(function () {
    if (!existsSync(PYTHON)) this.skip(); // reason: no /usr/bin/python3, so no Debian Jupyter to start
  });

  it('passes options to Jupyter, prints the address to open, and serves the notebooks with the TypeScript kernel', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [CLI, 'jupyter', '--no-browser', '--ip=127.0.0.1', `--port=${port}`, '--NotebookApp.token=opensesame',
      ...(RUNNING_AS_ROOT ? ['--allow-root'] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await waitForOutput(child, /^open the notebooks at .*$/m);
      expect(line).to.match(new RegExp(`^open the notebooks at http://(127\\.0\\.0\\.1|localhost):${port}/\\?token=opensesame$`));
      const kernels = await fetch(`http://127.0.0.1:${port}/api/kernelspecs?token=opensesame`).then((response) => response.json()) as { kernelspecs: Record<string, { spec: { argv: string[] } }> };
      expect(kernels.kernelspecs.tslab?.spec.argv.slice(0, 2)).to.deep.equal([process.execPath, join(PROJECT_ROOT, 'dist', 'src', 'jupyter', 'kernel.js')]);
      const listing = await fetch(`http://127.0.0.1:${port}/api/contents?token=opensesame`).then((response) => response.json()) as { content: { name: string }[] };
      expect(listing.content.map((entry) => entry.name)).to.include('01-conv-arithmetic.ipynb');
      await stop(child);
      expect(child.exitCode, 'convlab exits 0 once Jupyter stops').to.equal(0);
      const after = await fetch(`http://127.0.0.1:${port}/api/status?token=opensesame`).then(() => 'still serving', () => 'stopped');
      expect(after, 'a SIGTERM to convlab stops Jupyter too').to.equal('stopped');
    } finally {
      await stop(child);
    }
  });

  it('says how to run as root when Jupyter refuses to, and exits non-zero', async function () {
    if (!RUNNING_AS_ROOT) this.skip(); // reason: Jupyter only refuses root, and this test does not run as root
    const result = await convlab(['jupyter', '--no-browser', '--ip=127.0.0.1', `--port=${await freePort()}`]);
    expect(result.exitCode).to.equal(2);
    expect(result.stderr.trim().split('\n').pop()).to.equal('convlab: Jupyter refuses to run as root; to run it anyway: npm run jupyter -- --allow-root');
  });

  it('exits non-zero with Jupyter\'s last line when Jupyter fails', async () => {
    const result = await convlab(['jupyter', '--no-browser', '--no-such-option-for-jupyter', ...(RUNNING_AS_ROOT ? ['--allow-root'] : [])]);
    expect(result.exitCode).to.equal(2);
    expect(result.stderr.trim().split('\n').pop()).to.match(/^convlab: jupyter notebook failed \(exit code \d+\): /);
  });
});
