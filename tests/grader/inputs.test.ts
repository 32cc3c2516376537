import { expect } from 'chai';
import { join } from 'node:path';
import { collectSubmissions } from '../../grader/inputs/collect';
import { studentIdOf } from '../../grader/inputs/student';
import { makeZip, tempDir, TINY, writeFile } from './helpers';

describe('student ids', () => {
  const cases: ReadonlyArray<[path: string, fallback: string | undefined, student: string]> = [
    ['alice/00-tiny.ipynb', undefined, 'alice'],
    ['class/alice/00-tiny.ipynb', undefined, 'alice'],
    ['bob_00-tiny.ipynb', undefined, 'bob'],
    ['class/bob_00-tiny.ipynb', undefined, 'bob'],
    ['00-tiny.ipynb', 'carol', 'carol'],
    ['dave-homework.ipynb', undefined, 'dave-homework'],
  ];
  for (const [path, fallback, student] of cases) {
    it(`reads "${student}" from ${path}${fallback ? ` (archive ${fallback}.zip)` : ''}`, () => {
      expect(studentIdOf(path, TINY, fallback)).to.equal(student);
    });
  }
});

describe('collecting submissions', () => {
  it('finds notebooks in folders (skipping hidden ones) with their students', async () => {
    const dir = tempDir();
    writeFile(join(dir, 'alice', '00-tiny.ipynb'), '{}');
    writeFile(join(dir, 'alice', '.ipynb_checkpoints', '00-tiny-checkpoint.ipynb'), '{}');
    writeFile(join(dir, 'bob_00-tiny.ipynb'), '{}');
    writeFile(join(dir, 'notes.txt'), 'ignored in folders');
    const sources = await collectSubmissions([dir], TINY);
    expect(sources.map((s) => [s.label, s.student])).to.deep.equal([
      [join(dir, 'alice', '00-tiny.ipynb'), 'alice'],
      [join(dir, 'bob_00-tiny.ipynb'), 'bob'],
    ]);
  });

  it('reads zip archives, refusing entries that leave the archive and keeping non-notebooks to report them', async () => {
    const zip = await makeZip(join(tempDir(), 'class.zip'), {
      'alice/00-tiny.ipynb': '{"a": 1}',
      'bob_00-tiny.ipynb': '{"b": 2}',
      '../evil_00-tiny.ipynb': '{}',
      'README.txt': 'hello',
      '__MACOSX/alice/._00-tiny.ipynb': 'resource fork',
    });
    const sources = await collectSubmissions([zip], TINY);
    expect(sources.map((s) => [s.label, s.student])).to.deep.equal([
      [`${zip}:alice/00-tiny.ipynb`, 'alice'],
      [`${zip}:bob_00-tiny.ipynb`, 'bob'],
      [`${zip}:../evil_00-tiny.ipynb`, 'evil'],
      [`${zip}:README.txt`, 'README'],
    ]);
    expect((await sources[0]!.read()).toString()).to.equal('{"a": 1}');
    const refused = await sources[2]!.read().then(() => 'read', (error: Error) => error.message);
    expect(refused).to.equal('refused archive entry "../evil_00-tiny.ipynb": path leaves the archive ("..")');
  });

  const usage: ReadonlyArray<[name: string, path: string, message: string]> = [
    ['a path that does not exist', '/no/such/thing.ipynb', 'no such file or folder: "/no/such/thing.ipynb"'],
    ['a file that is neither notebook nor zip', __filename, `not a notebook or zip archive: "${__filename}" (expected .ipynb, .zip or a folder)`],
  ];
  for (const [name, path, message] of usage) {
    it(`refuses ${name}, quoting it`, async () => {
      expect(await collectSubmissions([path], TINY).then(() => 'accepted', (error: Error) => error.message)).to.equal(message);
    });
  }
});
