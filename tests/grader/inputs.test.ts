import { expect } from 'chai';
import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { collectSubmissions, type Collection } from '../../grader/inputs/collect';
import { archiveOwner, placementOf, type Placement } from '../../grader/inputs/layout';
import { serializeNotebook } from '../../grader/notebook/format';
import type { Notebook } from '../../grader/notebook/types';
import { convlab, copyOfCourse, makeZip, runProgram, tempDir, TINY, tinyReleased, tinySolution, writeFile } from '../support/helpers';

const OTHER = '01-other';
const KNOWN = new Set([TINY, OTHER]);
/** The tiny course's release, and a second assignment whose notebook says so in its metadata. */
const RELEASES = new Map<string, Notebook>([[TINY, tinyReleased()], [OTHER, { ...tinyReleased(), metadata: { ...tinyReleased().metadata, convlab: { assignment: OTHER } } }]]);
const claiming = (assignment: string): string => serializeNotebook({ ...tinySolution(), metadata: { ...tinySolution().metadata, convlab: { assignment } } });

describe('course layouts: learner and assignment from a path', () => {
  const cases: ReadonlyArray<[layout: string, path: string, fallback: string | undefined, placement: Placement]> = [
    ['per-learner folder', 'alice/00-tiny.ipynb', undefined, { student: 'alice', assignment: TINY }],
    ['per-learner folder, deeper', 'class/alice/01-other.ipynb', undefined, { student: 'alice', assignment: OTHER }],
    ['learner_assignment', 'bob_00-tiny.ipynb', undefined, { student: 'bob', assignment: TINY }],
    ['learner_assignment in a folder', 'class/bob_00-tiny.ipynb', undefined, { student: 'bob', assignment: TINY }],
    ['a learner folder given itself', '00-tiny.ipynb', 'carol', { student: 'carol', assignment: TINY }],
    ['nbgrader submitted/', 'submitted/dan/00-tiny/my work.ipynb', undefined, { student: 'dan', assignment: TINY }],
    ['nbgrader, notebook named after the assignment', 'dan/00-tiny/00-tiny.ipynb', undefined, { student: 'dan', assignment: TINY }],
    ['another course\'s assignment', 'eve/07-unet.ipynb', undefined, { student: 'eve', assignment: '07-unet' }],
    ['a name that says nothing', 'dave-homework.ipynb', undefined, { student: 'dave-homework' }],
    ['Canvas', 'lovelaceada_1234_567890_00-tiny.ipynb', undefined, { student: '1234', assignment: TINY, lmsLate: false }],
    ['Canvas, late, resubmitted', 'turingalan_LATE_42_777_00-tiny-1.ipynb', undefined, { student: '42', assignment: TINY, lmsLate: true }],
    ['Canvas, any file name', 'hopper_7_8_homework.ipynb', undefined, { student: '7', lmsLate: false }],
    ['Moodle', 'Ada Lovelace_31_assignsubmission_file_/00-tiny.ipynb', undefined, { student: '31', assignment: TINY }],
    ['Moodle, any file name', 'export/Alan Turing_32_assignsubmission_file_/my notebook.ipynb', undefined, { student: '32' }],
  ];
  for (const [layout, path, fallback, placement] of cases) {
    it(`${layout}: ${path}`, () => expect(placementOf(path, KNOWN, fallback)).to.deep.equal(placement));
  }
});

describe('course layouts: whose upload an archive is, by where it sits', () => {
  const cases: ReadonlyArray<[layout: string, path: string, inFolder: boolean, owner: Placement | undefined]> = [
    ['a cohort archive in the folder given', 'submissions.zip', true, undefined],
    ['a cohort archive named after the assignment', '00-tiny.zip', true, undefined],
    ['a cohort archive given itself, whatever its name', 'ada_00-tiny.zip', false, undefined],
    ['a cohort archive given itself, under a Canvas-like name', 'mallorym_999_111_homework.zip', false, undefined],
    ['in a per-learner folder', 'ada/upload.zip', true, { student: 'ada' }],
    ['in a per-learner folder, named after the assignment', 'class/ada/00-tiny.zip', true, { student: 'ada', assignment: TINY }],
    ['nbgrader submitted/', 'submitted/dan/00-tiny/upload.zip', true, { student: 'dan', assignment: TINY }],
    ['learner_assignment', 'bob_00-tiny.zip', true, { student: 'bob', assignment: TINY }],
    ['Canvas, in its unzipped folder', 'mallorym_LATE_999_111_homework.zip', true, { student: '999', lmsLate: true }],
    ['Moodle', 'Ada Lovelace_31_assignsubmission_file_/upload.zip', true, { student: '31' }],
  ];
  for (const [layout, path, inFolder, owner] of cases) {
    it(`${layout}: ${path}`, () => expect(archiveOwner(path, KNOWN, inFolder)).to.deep.equal(owner));
  }
});

const summary = (collection: Collection) => ({
  sources: collection.sources.map((source) => [source.label, source.student, source.assignment]),
  skipped: collection.skipped.map((file) => [file.label, file.reason]),
});

describe('collecting submissions', () => {
  it('finds notebooks in folders (skipping hidden ones) with their students', async () => {
    const dir = tempDir();
    writeFile(join(dir, 'alice', '00-tiny.ipynb'), '{}');
    writeFile(join(dir, 'alice', '.ipynb_checkpoints', '00-tiny-checkpoint.ipynb'), '{}');
    writeFile(join(dir, 'bob_00-tiny.ipynb'), '{}');
    writeFile(join(dir, 'notes.txt'), 'ignored in folders');
    expect(summary(await collectSubmissions([dir], { assignment: TINY, releases: RELEASES }))).to.deep.equal({
      sources: [[join(dir, 'alice', '00-tiny.ipynb'), 'alice', TINY], [join(dir, 'bob_00-tiny.ipynb'), 'bob', TINY]],
      skipped: [],
    });
  });

  it('reads zip archives, refusing entries that leave the archive and keeping non-notebooks to report them', async () => {
    const zip = await makeZip(join(tempDir(), 'class.zip'), {
      'alice/00-tiny.ipynb': '{"a": 1}',
      'bob_00-tiny.ipynb': '{"b": 2}',
      '../evil_00-tiny.ipynb': '{}',
      'README.txt': 'hello',
      '__MACOSX/alice/._00-tiny.ipynb': 'resource fork',
    });
    const { sources } = await collectSubmissions([zip], { assignment: TINY, releases: RELEASES });
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

  it('grades per-learner folders for one assignment, skipping and listing the other assignments\' notebooks', async () => {
    const dir = tempDir();
    const subs = join(dir, 'subs');
    writeFile(join(subs, 'ada', `${TINY}.ipynb`), '{}');
    writeFile(join(subs, 'ada', `${OTHER}.ipynb`), '{}');
    writeFile(join(subs, 'ada', '02-classic-cnns.ipynb'), '{}');
    writeFile(join(subs, 'ben', `${TINY}.ipynb`), '{}');
    writeFile(join(subs, 'ben', 'scratch.ipynb'), claiming(OTHER));
    expect(summary(await collectSubmissions([subs], { assignment: TINY, releases: RELEASES }))).to.deep.equal({
      sources: [[join(subs, 'ada', `${TINY}.ipynb`), 'ada', TINY], [join(subs, 'ben', `${TINY}.ipynb`), 'ben', TINY]],
      skipped: [
        [join(subs, 'ada', `${OTHER}.ipynb`), `assignment ${OTHER}, not ${TINY}`],
        [join(subs, 'ada', '02-classic-cnns.ipynb'), `assignment 02-classic-cnns, not ${TINY}`],
        [join(subs, 'ben', 'scratch.ipynb'), `assignment ${OTHER}, not ${TINY}`],
      ],
    });
  });

  it('without an assignment, places every notebook under its own and skips what is not the course\'s', async () => {
    const dir = tempDir();
    writeFile(join(dir, 'submitted', 'ada', TINY, 'whatever.ipynb'), '{}');
    writeFile(join(dir, 'submitted', 'ada', OTHER, 'mine.ipynb'), '{}');
    writeFile(join(dir, 'submitted', 'ben', '09-elsewhere', 'x.ipynb'), '{}');
    writeFile(join(dir, 'submitted', 'ben', 'unnamed.ipynb'), '{}');
    const { sources, skipped } = await collectSubmissions([dir], { releases: RELEASES });
    expect(sources.map((s) => [s.student, s.assignment])).to.deep.equal([['ada', TINY], ['ada', OTHER]]);
    expect(skipped.map((file) => file.reason)).to.deep.equal([
      '09-elsewhere is not an assignment of this course',
      'cannot tell which assignment it is (name it <learner>_<assignment>.ipynb or pass --assignment)',
    ]);
  });

  it('reads Canvas archives: learner ids, the LATE flag and the entry time as the submission time', async () => {
    const zip = join(tempDir(), 'submissions.zip');
    const script = 'import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], "w") as z:\n'
      + '  z.writestr(zipfile.ZipInfo("lovelaceada_1234_900_00-tiny.ipynb", (2026, 10, 2, 22, 0, 0)), "{}")\n'
      + '  z.writestr(zipfile.ZipInfo("turingalan_LATE_42_901_notebook.ipynb", (2026, 10, 4, 9, 30, 0)), sys.argv[2])';
    const built = await runProgram('/usr/bin/python3', ['-c', script, zip, claiming(TINY)]);
    expect(built.exitCode, built.stderr).to.equal(0);
    const { sources } = await collectSubmissions([zip], { releases: RELEASES });
    // Zip times have no time zone: they read as local time, as the LMS wrote them.
    expect(sources.map((s) => [s.student, s.assignment, s.lmsLate, s.submittedAt.getTime()])).to.deep.equal([
      ['1234', TINY, false, new Date(2026, 9, 2, 22, 0, 0).getTime()],
      ['42', TINY, true, new Date(2026, 9, 4, 9, 30, 0).getTime()],
    ]);
  });

  it('reads Moodle downloads, zipped or unzipped, with the file time as the submission time', async () => {
    const dir = tempDir();
    const file = writeFile(join(dir, 'moodle', 'Ada Lovelace_31_assignsubmission_file_', `${TINY}.ipynb`), '{}');
    utimesSync(file, new Date('2026-10-01T12:00:00Z'), new Date('2026-10-01T12:00:00Z'));
    const zip = await makeZip(join(dir, 'moodle.zip'), { 'Alan Turing_32_assignsubmission_file_/my work.ipynb': claiming(TINY) });
    const { sources } = await collectSubmissions([join(dir, 'moodle'), zip], { releases: RELEASES });
    expect(sources.map((s) => [s.student, s.assignment])).to.deep.equal([['31', TINY], ['32', TINY]]);
    expect(sources[0]!.submittedAt.toISOString()).to.equal('2026-10-01T12:00:00.000Z');
  });

  const usage: ReadonlyArray<[name: string, path: string, message: string]> = [
    ['a path that does not exist', '/no/such/thing.ipynb', 'no such file or folder: "/no/such/thing.ipynb"'],
    ['a file that is neither notebook nor zip', __filename, `not a notebook or zip archive: "${__filename}" (expected .ipynb, .zip or a folder)`],
  ];
  for (const [name, path, message] of usage) {
    it(`refuses ${name}, quoting it`, async () => {
      expect(await collectSubmissions([path], { assignment: TINY, releases: RELEASES }).then(() => 'accepted', (error: Error) => error.message)).to.equal(message);
    });
  }
});

describe("a course whose own solution notebook is broken", function () {
  this.timeout(120_000);
  const brokenCourse = (): { root: string; broken: string; submission: string } => {
    const root = copyOfCourse();
    const broken = writeFile(join(root, 'solutions', '01-broken.ipynb'), '{"cells": [');
    return { root, broken, submission: writeFile(join(tempDir(), `alice_${TINY}.ipynb`), tinySolution()) };
  };

  it('still grades another assignment asked for by name', async () => {
    const { root, submission } = brokenCourse();
    const result = await convlab(['grade', submission, '--root', root, '--assignment', TINY, '--db', join(tempDir(), 'gradebook.sqlite')]);
    expect(result.exitCode, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/alice\s+graded/);
  });

  for (const [when, args] of [['grading every assignment', []], ['grading the broken one', ['--assignment', '01-broken']]] as const) {
    it(`names the broken file in one line and exits 2 when ${when}`, async () => {
      const { root, broken, submission } = brokenCourse();
      const result = await convlab(['grade', submission, '--root', root, ...args, '--db', join(tempDir(), 'gradebook.sqlite')]);
      expect(result.exitCode).to.equal(2);
      expect(result.stderr.trim()).to.equal(`convlab: ${broken}: not valid JSON (Unexpected end of JSON input)`);
    });
  }
});
