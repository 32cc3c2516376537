import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { zipArchive } from '../../../grader/gradescope/zip';
import { runProgram, tempDir } from '../../support/helpers';

describe('autograder zip archive', () => {
  it('writes an archive another zip reader accepts: names, contents, checksums and Unix permissions', async () => {
    const path = join(tempDir(), 'a.zip');
    const big = Buffer.from('tensor '.repeat(10_000));
    writeFileSync(path, await zipArchive([
      { name: 'run_autograder', data: Buffer.from('#!/usr/bin/env bash\necho hi\n'), mode: 0o755 },
      { name: 'course/notebooks/01-é.ipynb', data: big, mode: 0o644 },
      { name: 'empty.txt', data: Buffer.alloc(0), mode: 0o644 },
    ]));
    // Python's zipfile checks every entry's CRC-32 (testzip) and reads the permission bits from the external attributes.
    const script = 'import sys, zipfile, json\nz = zipfile.ZipFile(sys.argv[1])\nprint(json.dumps({"bad": z.testzip(), "entries": [[i.filename, i.external_attr >> 16, len(z.read(i))] for i in z.infolist()]}))';
    const result = await runProgram('/usr/bin/python3', ['-c', script, path]);
    expect(result.exitCode, result.stderr).to.equal(0);
    expect(JSON.parse(result.stdout)).to.deep.equal({
      bad: null,
      entries: [['run_autograder', 0o100755, 28], ['course/notebooks/01-é.ipynb', 0o100644, big.length], ['empty.txt', 0o100644, 0]],
    });
  });
});
