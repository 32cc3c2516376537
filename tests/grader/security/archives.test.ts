/**
 * Archives cost memory and work only for what is graded: collecting submissions lists entries without reading them,
 * an entry is read when it is graded, and all archives of one run share one budget of uncompressed bytes (the run's
 * whole budget, across three zips, is shown end to end in malformed.test.ts).
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { collectSubmissions } from '../../../grader/inputs/collect';
import { byteBudget, listArchive } from '../../../grader/inputs/zip';
import { runProgram, tempDir, TINY, tinyReleased } from '../../support/helpers';

const MiB = 1024 * 1024;
const RELEASES = new Map([[TINY, tinyReleased()]]);

/** Zips of `learners` entries `<zip>-<n>/00-tiny.ipynb`, each `size` spaces (deflated to a few kB), built with Python's zipfile. */
async function spaceZips(dir: string, zips: number, learners: number, size: number): Promise<string[]> {
  const script = 'import sys, zipfile\nzips, learners, size = (int(arg) for arg in sys.argv[2:5])\n'
    + 'for z in range(zips):\n  with zipfile.ZipFile(f"{sys.argv[1]}/cohort-{z}.zip", "w", zipfile.ZIP_DEFLATED) as archive:\n'
    + '    for n in range(learners): archive.writestr(f"c{z}-{n}/00-tiny.ipynb", b" " * size)';
  const built = await runProgram('/usr/bin/python3', ['-c', script, dir, String(zips), String(learners), String(size)]);
  expect(built.exitCode, built.stderr).to.equal(0);
  return Array.from({ length: zips }, (_, z) => join(dir, `cohort-${z}.zip`));
}

describe('archives: entries read when graded, one byte budget per run', function () {
  this.timeout(300_000);

  it('collecting three zips of many large compressible entries holds none of their bytes', async () => {
    const zips = await spaceZips(tempDir(), 3, 30, 3 * MiB);
    const before = process.memoryUsage().arrayBuffers;
    const collection = await collectSubmissions(zips, { assignment: TINY, releases: RELEASES });
    const held = process.memoryUsage().arrayBuffers - before;
    expect(collection.sources).to.have.length(90);
    // 270 MiB of entries: buffering them at collection shows as hundreds of MiB held; listing them, as next to nothing.
    expect(Math.round(held / MiB), 'MiB held after collecting').to.be.below(32);
    expect((await collection.sources[89]!.read()).length).to.equal(3 * MiB);
  });

  it('reads at most one budget across all archives; each entry past it is refused, saying why', async () => {
    const size = 30 * MiB;
    const budget = byteBudget(100 * MiB);
    const entries = (await Promise.all((await spaceZips(tempDir(), 3, 2, size)).map((zip) => listArchive(zip, () => true, budget)))).flat();
    const outcomes: string[] = [];
    for (const entry of entries) outcomes.push(await entry.read().then((bytes) => `${bytes.length}`, (error: Error) => error.message));
    const refused = (name: string): string => `refused archive entry "${name}": this run's archive entries exceed ${100 * MiB} bytes uncompressed in all`;
    expect(outcomes).to.deep.equal([`${size}`, `${size}`, `${size}`, refused('c1-1/00-tiny.ipynb'), refused('c2-0/00-tiny.ipynb'), refused('c2-1/00-tiny.ipynb')]);
    // An entry read again (its content was looked at to tell its assignment, say) is not charged twice.
    expect((await entries[0]!.read()).length).to.equal(size);
  });
});
