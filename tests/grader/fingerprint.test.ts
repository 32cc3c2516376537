import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadAssignment } from '../../grader/assignment';
import { CONVLAB_VERSION, gradingFingerprint, gradingToolchain, regradeReasons } from '../../grader/fingerprint';
import { projectPath } from '../../grader/paths';
import { limitsKey } from '../../grader/sandbox/limits';
import { tempDir } from '../support/helpers';

// The bundled example course (grader/commands/demo.ts loads the whole grader; these tests need only its files).
const EXAMPLE_ROOT = projectPath('examples');
const EXAMPLE_ASSIGNMENT = '00-warmup';

const LIMITS = { timeoutMs: 300_000, cellTimeoutMs: 120_000, maxOldSpaceMb: 3072, testTimeoutMs: 10_000 };

describe('grading fingerprint', () => {
  const root = join(tempDir(), 'course');
  cpSync(EXAMPLE_ROOT, root, { recursive: true });
  const extra = join(tempDir(), 'extra');
  const fingerprint = (changes: { limits?: Partial<typeof LIMITS>; version?: string; extra?: boolean } = {}) =>
    gradingFingerprint({
      assignment: loadAssignment({ root }, EXAMPLE_ASSIGNMENT, changes.extra === true ? [extra] : []),
      limits: { ...LIMITS, ...changes.limits }, version: changes.version,
    });
  const base = fingerprint();

  it('is the same for the same setup, and carries convlab\'s version', () => {
    expect(fingerprint()).to.deep.equal(base);
    expect(base.parts.version).to.equal(CONVLAB_VERSION);
  });

  it('says which part changed: each limit, the test timeout, the version', () => {
    const changes = [{ timeoutMs: 60_000 }, { cellTimeoutMs: 60_000 }, { maxOldSpaceMb: 1024 }, { testTimeoutMs: 20_000 }];
    for (const changed of changes.map((limits) => fingerprint({ limits }))) {
      expect(changed.id).to.not.equal(base.id);
      expect(regradeReasons(base.parts, changed.parts)).to.deep.equal(['limits changed']);
    }
    expect(regradeReasons(base.parts, fingerprint({ version: '9.9.9' }).parts)).to.deep.equal(['convlab version changed']);
  });

  it('hashes the limits as gradebooks have stored them (one key, every limit, in the same order): results stay valid', () => {
    expect(limitsKey(LIMITS)).to.equal('[300000,120000,3072,10000]');
    expect(base.parts.limits).to.equal(createHash('sha256').update('[300000,120000,3072,10000]').digest('hex'));
  });

  it('changes with an added --tests file and with an edited hidden spec', () => {
    cpSync(join(root, 'grader', 'tests', EXAMPLE_ASSIGNMENT, 'warmup.spec.ts'), join(extra, 'warmup-extra.spec.ts'));
    expect(regradeReasons(base.parts, fingerprint({ extra: true }).parts)).to.deep.equal(['hidden tests changed']);
    const spec = join(root, 'grader', 'tests', EXAMPLE_ASSIGNMENT, 'warmup.spec.ts');
    writeFileSync(spec, `${readFileSync(spec, 'utf8')}\n// a comment is a change of the file\n`);
    expect(regradeReasons(base.parts, fingerprint().parts)).to.deep.equal(['hidden tests changed']);
  });

  it('changes with the released locked cells', () => {
    const before = fingerprint();
    const solution = join(root, 'solutions', `${EXAMPLE_ASSIGNMENT}.ipynb`);
    const notebook = JSON.parse(readFileSync(solution, 'utf8')) as { cells: { source: string | string[]; metadata: { nbgrader?: { locked?: boolean } } }[] };
    const locked = notebook.cells.find((cell) => cell.metadata.nbgrader?.locked === true)!;
    locked.source = `${[locked.source].flat().join('')}\n`;
    writeFileSync(solution, JSON.stringify(notebook));
    expect(regradeReasons(before.parts, fingerprint().parts)).to.deep.equal(['released notebook changed']);
  });

  it('names an attempt graded before fingerprints were kept', () => {
    expect(regradeReasons(undefined, base.parts)).to.deep.equal(['grading setup not recorded']);
  });

  it('carries the toolchain the child runs on: a rebuilt kit file, the lockfile or the sandbox changes it, other files do not', () => {
    // A course folder with a built kit of two files, as a worker's clone has after `npm ci`.
    const course = tempDir();
    const write = (path: string, text: string): void => {
      mkdirSync(join(course, path, '..'), { recursive: true });
      writeFileSync(join(course, path), text);
    };
    write('package-lock.json', '{"lockfileVersion": 3}');
    write('dist/src/index.js', 'exports.kit = 1;');
    write('dist/grader/sandbox/child.js', 'exports.child = 1;');
    const built = gradingToolchain(course);
    expect(gradingToolchain(course), 'read once per course folder').to.equal(built);
    const stale = (path: string, text: string): string => {
      const copy = tempDir();
      cpSync(course, copy, { recursive: true });
      mkdirSync(join(copy, path, '..'), { recursive: true });
      writeFileSync(join(copy, path), text);
      return gradingToolchain(copy);
    };
    expect(stale('dist/src/index.js', 'exports.kit = 2;')).to.not.equal(built);
    expect(stale('dist/grader/sandbox/child.js', 'exports.child = 2;')).to.not.equal(built);
    expect(stale('package-lock.json', '{"lockfileVersion": 3, "packages": {}}')).to.not.equal(built);
    expect(stale('dist/grader/report/html.js', 'exports.report = 2;'), 'the report is not what grades').to.equal(built);
    expect(stale('dist/src/index.d.ts', 'export {};'), 'only what runs').to.equal(built);
    expect(base.parts.toolchain).to.equal(gradingToolchain());
    expect(regradeReasons(base.parts, { ...base.parts, toolchain: built })).to.deep.equal(['kit build, packages or Node changed']);
  });
});
