import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

/**
 * A notebook that imports a local module; between two cells, the module's typings change and then its package.json
 * (an edit, an npm install beside the running notebook). Prints how the process ended and what the next two cells gave:
 * one unrelated, one using what the new typings declare.
 */
function compileAcrossFileChanges(guard: 'folders' | 'folders-and-races'): { status: number | null; lines: string[] } {
  const folder = mkdtempSync(join(tmpdir(), 'convlab-watch-'));
  const lib = join(folder, 'lib');
  mkdirSync(lib);
  writeFileSync(join(lib, 'package.json'), '{"name": "lib", "version": "1.0.0", "types": "index.d.ts"}');
  writeFileSync(join(lib, 'index.d.ts'), 'export declare const x: number;\n');
  writeFileSync(join(lib, 'index.js'), 'exports.x = 1;\n');
  const script = `
    const fs = require('node:fs');
    const watch = require(${JSON.stringify(join(PROJECT_ROOT, 'dist', 'src', 'jupyter', 'compiler-watch.js'))});
    watch.stopFolderWatching();
    if (${guard === 'folders-and-races'}) watch.surviveWatchRaces();
    const converter = require(${JSON.stringify(join(PROJECT_ROOT, 'node_modules', 'tslab', 'dist', 'converter.js'))}).createConverter();
    const first = converter.convert('', 'import { x } from "./lib";\\nconst y: number = x + 1;');
    const after = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    const outcome = (result) => (result.diagnostics.length === 0 ? 'compiled' : String(result.diagnostics[0].messageText));
    (async () => {
      await after(300);
      fs.writeFileSync('lib/index.d.ts', 'export declare const x: number;\\nexport declare const z: string;\\n');
      await after(300);
      fs.writeFileSync('lib/package.json', '{"name": "lib", "version": "1.0.1", "types": "index.d.ts"}');
      await after(500);
      const second = converter.convert(first.declOutput ?? '', 'const w: number = 2;');
      console.log(outcome(second));
      console.log(outcome(converter.convert(second.declOutput ?? '', 'import { z } from "./lib";\\nconst s: string = z;')));
      process.exit(0); // the compiler's file watchers would keep it running
    })();`;
  try {
    const run = spawnSync(process.execPath, ['-e', script], { cwd: folder, encoding: 'utf8', timeout: 60_000 });
    return { status: run.status, lines: run.stdout.trim().split('\n').filter((line) => line !== '') };
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

  it('tslab with folder watching off dies when a module\'s typings and then its package.json change between cells', () => {
    expect(compileAcrossFileChanges('folders')).to.deep.equal({ status: 1, lines: [] });
  });

  it('surviving that race, the kernel lives, and the next cells see the new typings', () => {
    expect(compileAcrossFileChanges('folders-and-races')).to.deep.equal({ status: 0, lines: ['compiled', 'compiled'] });
  });
});
