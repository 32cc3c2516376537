import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../grader/paths';

/**
 * A notebook folder where a cell imports a module that does not exist yet, then a `node_modules` folder appears (a
 * learner ran npm there): the next cell is compiled by the same converter, as tslab's kernel would. Prints the
 * second cell's outcome.
 */
function compileAcrossFolderChange(quiet: boolean): string {
  const folder = mkdtempSync(join(tmpdir(), 'convlab-watch-'));
  const script = `
    const fs = require('node:fs');
    if (${quiet}) require(${JSON.stringify(join(PROJECT_ROOT, 'dist', 'src', 'jupyter', 'compiler-watch.js'))}).stopFolderWatching();
    const converter = require(${JSON.stringify(join(PROJECT_ROOT, 'node_modules', 'tslab', 'dist', 'converter.js'))}).createConverter();
    const first = converter.convert('', 'import { later } from "./later";\\nconst a = 1;');
    fs.mkdirSync('node_modules');
    setTimeout(() => {
      try {
        const second = converter.convert(first.declOutput ?? '', 'const b: number = 2;');
        console.log(second.diagnostics.length === 0 ? 'compiled' : second.diagnostics[0].messageText);
      } catch (error) {
        console.log(error.message);
      }
      process.exit(0); // the compiler's file watchers would keep it running
    }, 1000);`;
  try {
    mkdirSync(join(folder, 'notebooks'));
    const run = spawnSync(process.execPath, ['-e', script], { cwd: join(folder, 'notebooks'), encoding: 'utf8', timeout: 60_000 });
    return run.stdout.trim();
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

describe('the compiler without folder watching (jupyter/compiler-watch)', function () {
  this.timeout(60_000);

  it('tslab alone breaks on the next cell once a folder appears beside the notebook', () => {
    expect(compileAcrossFolderChange(false)).to.equal('Unexpected pending rebuildTimer');
  });

  it('with folder watching off, the next cell compiles', () => {
    expect(compileAcrossFolderChange(true)).to.equal('compiled');
  });
});
