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
      'node_modules/a': { version: '1.0.0', dependencies: { b: '^1', c: '^2' }, optionalDependencies: { 'gone-optional': '1' } },
      'node_modules/a/node_modules/b': { version: '1.5.0', dev: true },
      'node_modules/b': { version: '2.0.0' },
      'node_modules/c': { version: '2.0.0', devOptional: true, peerDependencies: { b: '*' } },
      'node_modules/grader-only': { version: '9.0.0', dev: true },
    },
  };

  it("keeps the bundle's packages and what they depend on, resolved as Node does, without dev flags", () => {
    const cut = bundleLockfile(lock, { name: 'course', version: '1.0.0', dependencies: { a: '^1' } });
    expect(cut.packages).to.deep.equal({
      '': { name: 'course', version: '1.0.0', dependencies: { a: '^1' } },
      'node_modules/a': lock.packages['node_modules/a'],
      'node_modules/a/node_modules/b': { version: '1.5.0' },
      'node_modules/b': { version: '2.0.0' },
      'node_modules/c': { version: '2.0.0', optional: true, peerDependencies: { b: '*' } },
    });
  });

  it('refuses a lockfile that lacks a package the bundle needs, naming it', () => {
    expect(() => bundleLockfile(lock, { name: 'course', version: '1.0.0', dependencies: { missing: '^1' } }))
      .to.throw('package-lock.json has no missing (needed by the bundle): run npm install');
  });
});
