/**
 * Whose grade it is comes from where a file sits, never from names a learner chose inside an archive: mallory's
 * upload holding notebooks named for ada and bob can neither mark ada's own submission a duplicate nor create a
 * grade for bob, who handed in nothing. Per-learner folders and an unzipped Canvas download, graded in one run.
 */
import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { collectSubmissions } from '../../../grader/inputs/collect';
import { serializeNotebook } from '../../../grader/notebook/format';
import { COURSE, convlab, makeZip, tempDir, TINY, tinyReleased, tinySolution, writeFile } from '../../support/helpers';
import type { ResultJson } from '../../support/security-folder';

const RELEASES = new Map([[TINY, tinyReleased()]]);
const solution = (): string => serializeNotebook(tinySolution());

/** Per-learner folders: ada's notebook, and mallory's zip naming ada and bob inside. */
async function learnerFolders(root: string): Promise<string> {
  const subs = join(root, 'folders');
  writeFile(join(subs, 'ada', `${TINY}.ipynb`), solution());
  mkdirSync(join(subs, 'mallory'));
  await makeZip(join(subs, 'mallory', 'upload.zip'), { [`ada/${TINY}.ipynb`]: solution(), [`bob/${TINY}.ipynb`]: solution() });
  return subs;
}

/** An unzipped Canvas download: ada's file, and mallory's zip holding a file under ada's Canvas name. */
async function canvasFolder(root: string): Promise<string> {
  const canvas = join(root, 'canvas');
  writeFile(join(canvas, `lovelaceada_1234_567890_${TINY}.ipynb`), solution());
  await makeZip(join(canvas, 'mallorym_999_111_homework.zip'), { [`lovelaceada_1234_567890_${TINY}.ipynb`]: solution() });
  return canvas;
}

const readsAs = (read: () => Promise<Buffer>): Promise<string> => read().then(() => 'readable', (error: Error) => error.message);

describe('identity from where a file sits (a learner\'s archive names only the assignment)', function () {
  this.timeout(600_000);

  it('per-learner folders: mallory/upload.zip holding ada/ and bob/ notebooks is mallory\'s, twice', async () => {
    const subs = await learnerFolders(tempDir());
    const { sources } = await collectSubmissions([subs], { releases: RELEASES });
    expect(sources.map((source) => [source.label, source.student])).to.deep.equal([
      [join(subs, 'ada', `${TINY}.ipynb`), 'ada'],
      [`${join(subs, 'mallory', 'upload.zip')}:ada/${TINY}.ipynb`, 'mallory'],
      [`${join(subs, 'mallory', 'upload.zip')}:bob/${TINY}.ipynb`, 'mallory'],
    ]);
    expect(await readsAs(sources[0]!.read)).to.equal('readable');
  });

  it('per-learner folders: loose files in mallory/ under ada\'s and bob\'s flat names are mallory\'s', async () => {
    const subs = join(tempDir(), 'folders');
    writeFile(join(subs, 'ada', `${TINY}.ipynb`), solution());
    writeFile(join(subs, 'mallory', `ada_${TINY}.ipynb`), solution());
    await makeZip(join(subs, 'mallory', `bob_${TINY}.zip`), { [`${TINY}.ipynb`]: solution() });
    const { sources } = await collectSubmissions([subs], { releases: RELEASES });
    expect(sources.map((source) => [source.label, source.student, source.assignment])).to.deep.equal([
      [join(subs, 'ada', `${TINY}.ipynb`), 'ada', TINY],
      [join(subs, 'mallory', `ada_${TINY}.ipynb`), 'mallory', TINY],
      [`${join(subs, 'mallory', `bob_${TINY}.zip`)}:${TINY}.ipynb`, 'mallory', TINY],
    ]);
    // ada's own submission stands: mallory's two files are her own duplicates, not ada's.
    expect(await readsAs(sources[0]!.read)).to.equal('readable');
  });

  it('folders that group learners (no file in them is the folder\'s own) leave identity to the file names', async () => {
    const subs = join(tempDir(), 'sections');
    writeFile(join(subs, 'section-a', `ada_${TINY}.ipynb`), solution());
    writeFile(join(subs, 'section-a', `bob_${TINY}.ipynb`), solution());
    writeFile(join(subs, 'section-b', `carol_${TINY}.ipynb`), solution());
    const { sources } = await collectSubmissions([subs], { releases: RELEASES });
    expect(sources.map((source) => source.student)).to.deep.equal(['ada', 'bob', 'carol']);
  });

  it('an unzipped Canvas folder: a zip under mallory\'s Canvas name is hers, whatever Canvas name its entry has', async () => {
    const canvas = await canvasFolder(tempDir());
    const { sources } = await collectSubmissions([canvas], { releases: RELEASES });
    expect(sources.map((source) => [source.student, source.assignment])).to.deep.equal([['1234', TINY], ['999', TINY]]);
    expect(await readsAs(sources[0]!.read)).to.equal('readable');
  });

  it('grades ada once, bob never, and mallory as herself (one run over both layouts)', async () => {
    const dir = tempDir('convlab-identity-');
    const paths = [await learnerFolders(dir), await canvasFolder(dir)];
    const run = await convlab(['grade', ...paths, '--assignment', TINY, '--root', COURSE, '--db', join(dir, 'gb.sqlite'), '--json', '--jobs', '2']);
    expect(run.exitCode, run.stderr).to.equal(0);
    const results = (JSON.parse(run.stdout) as { results: ResultJson[] }).results;
    expect(results.map((result) => [result.student, result.status, result.score])).to.deep.equal([
      ['ada', 'graded', 5],
      // mallory's two notebooks for one assignment are ambiguous: both hers, both refused.
      ['mallory', 'invalid', 0],
      ['mallory', 'invalid', 0],
      ['1234', 'graded', 5],
      ['999', 'graded', 5],
    ]);
  });
});
