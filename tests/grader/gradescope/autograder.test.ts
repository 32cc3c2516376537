import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import Ajv from 'ajv';
import { PROJECT_ROOT } from '../../../grader/paths';
import type { Notebook } from '../../../grader/notebook/types';
import { convlab, copyOfCourse, runProgram, tempDir, TINY, TINY_SUBMISSIONS, tinySolution, withSource } from '../../support/helpers';
import {
  autograderWork, runAutograder as runIn, unpackAutograder, unpackZip, type GradescopeResultsJson as Results, type UnpackedAutograder,
} from './autograder';
import { fakeDataCache } from './fake-data';
import type { UnzippedEntry } from './unzip';

const validate = new Ajv({ strict: false }).compile(JSON.parse(readFileSync(join(PROJECT_ROOT, 'tests', 'fixtures', 'gradescope', 'results.schema.json'), 'utf8')));

/** Tries what a hostile learner would against the autograder: forge results.json, read the hidden tests. */
const HOSTILE_DOUBLE = `const fs = require('fs');
const source = require('path').dirname(fs.realpathSync('../dist'));
let succeeded = 0;
for (const attempt of [
  () => fs.writeFileSync(\`\${source}/../results/results.json\`, JSON.stringify({ score: 100, tests: [] })),
  () => fs.readFileSync(\`\${source}/course/grader/tests/00-tiny/tiny.spec.js\`),
  () => fs.readFileSync(\`\${source}/../submission_metadata.json\`),
]) {
  try { attempt(); succeeded += 1; } catch { /* refused, as it must be */ }
}
function double(n: number): number {
  return succeeded > 0 ? 2 * n : n + 1;
}`;

/** A real assignment of this course, copied into the fixture course as its second one. */
const OTHER = '01-conv-arithmetic';

const DUE = '2026-10-02T23:59:00Z';
const metadata = (createdAt: string) => ({
  id: 1, created_at: createdAt,
  assignment: { due_date: DUE, late_due_date: null, title: 'Tiny', total_points: '5.0' },
  submission_method: 'upload', users: [{ email: 'ada@example.org', id: 7, name: 'Ada' }], previous_submissions: [],
});

describe('convlab gradescope: the autograder zip, run end to end as Gradescope runs it', function () {
  this.timeout(600_000);
  let autograder: UnpackedAutograder;
  let entries: readonly UnzippedEntry[];

  before(async function () {
    if (!existsSync(join(PROJECT_ROOT, 'dist', 'grader', 'gradescope', 'run.js'))) this.skip();
    const course = copyOfCourse();
    writeFileSync(join(course, 'convlab.json'), JSON.stringify({
      latePolicy: { percentPerDay: 10, maxPercent: 50 },
      assignments: { [TINY]: { due: '2026-12-01T00:00:00Z' } },
      gradescope: { tests: { 'double › doubles a negative number': 'after_due_date' } },
    }));
    // Another assignment of the course: its release goes in the zip (never its solution or hidden tests).
    cpSync(join(PROJECT_ROOT, 'solutions', `${OTHER}.ipynb`), join(course, 'solutions', `${OTHER}.ipynb`));
    autograder = await unpackAutograder(course);
    entries = autograder.entries;
  });

  after(() => {
    if (autograder) rmSync(autograder.work, { recursive: true, force: true });
  });

  /** What the last run_autograder printed: the instructor's log. */
  let log = '';

  /** A fresh /autograder with this submission; runs run_autograder and returns results.json, checked against Gradescope's schema. */
  async function runAutograder(name: string, files: Record<string, string | Notebook>, meta: object | string = metadata('2026-10-01T12:00:00Z')): Promise<Results> {
    const run = await runIn(autograder, name, files, meta);
    expect(validate(run.results), JSON.stringify(validate.errors)).to.equal(true);
    log = run.log;
    return run.results;
  }

  const byName = (results: Results) => new Map(results.tests.map((test) => [test.name, test]));

  it('carries setup.sh, an executable run_autograder, the kit, the release and the hidden tests, never the solutions', () => {
    const names = entries.map((entry) => entry.name);
    expect(names.slice(0, 2)).to.deep.equal(['setup.sh', 'run_autograder']);
    expect(entries.find((entry) => entry.name === 'run_autograder')!.mode).to.equal(0o755);
    expect(entries.find((entry) => entry.name === 'setup.sh')!.mode).to.equal(0o755);
    expect(names).to.include.members(['package.json', 'package-lock.json', 'dist/grader/gradescope/run.js', 'dist/src/index.js',
      'course/notebooks/00-tiny.ipynb', 'course/grader/tests/00-tiny/tiny.spec.js', 'course/convlab.json']);
    expect(names.filter((name) => name.includes('solutions'))).to.deep.equal([]);
    expect(names.filter((name) => name.includes(OTHER))).to.deep.equal([`course/notebooks/${OTHER}.ipynb`]);
    const release = entries.find((entry) => entry.name === 'course/notebooks/00-tiny.ipynb')!.data.toString();
    expect(release).not.to.include('return 2 * n');
    expect(release).not.to.include('BEGIN SOLUTION');
    expect(entries.find((entry) => entry.name === 'setup.sh')!.data.toString()).to.match(/npm ci/);
    const compiled = entries.filter((entry) => entry.name.startsWith('course/compiled/'));
    expect(compiled.map((entry) => entry.data.toString()).join('')).to.include('function double(n)');
    const course = entries.filter((entry) => entry.name.startsWith('course/'));
    expect(course.filter((entry) => entry.data.toString().includes('2 * n')).map((entry) => entry.name), 'solution code, compiled or not').to.deep.equal([]);
  });

  it('compiles only the learner\'s own cells: the others come from the compile cache shipped in the zip', async () => {
    await runAutograder('stub-warm', { 'notebook.ipynb': TINY_SUBMISSIONS.stub() });
    expect(log).to.include('compiled cells: 4 of 4 from the shipped cache');
    await runAutograder('full-warm', { 'notebook.ipynb': TINY_SUBMISSIONS.correct() });
    expect(log, 'the two answer cells are the learner\'s own').to.include('compiled cells: 2 of 4 from the shipped cache');
  });

  it('does not use a shipped entry whose compiled code was changed in the unpacked zip', async () => {
    const stubEntry = entries.find((entry) => entry.name.startsWith('course/compiled/') && entry.data.toString().includes('function double(n)'))!;
    const path = join(autograder.source, stubEntry.name);
    const [digest, body] = [stubEntry.data.toString().split('\n')[0]!, JSON.parse(stubEntry.data.toString().split('\n').slice(1).join('\n')) as { output: string }];
    // If it were used, the untouched release would pass the tests of double.
    const forged = { ...body, output: body.output.replace(/function double\(n\) \{[^}]*\}/, 'function double(n) { return n + n; }') };
    expect(forged.output).to.include('return n + n');
    writeFileSync(path, `${digest}\n${JSON.stringify(forged)}`);
    try {
      const results = await runAutograder('tampered', { 'notebook.ipynb': TINY_SUBMISSIONS.stub() });
      expect(log).to.include('compiled cells: 3 of 4 from the shipped cache');
      expect(byName(results).get('double › doubles a small number')!.status).to.equal('failed');
      expect(results.score).to.equal(1);
    } finally {
      writeFileSync(path, stubEntry.data);
    }
  });

  it('grades a full notebook of any name: every test, visibility per test, self-checks shown at once', async () => {
    const results = await runAutograder('full', { 'my work (final).ipynb': TINY_SUBMISSIONS.correct() });
    expect(results.score).to.equal(5);
    const tests = byName(results);
    expect([...tests.values()].filter((test) => test.max_score > 0).map((test) => [test.name, test.status, test.score, test.visibility])).to.deep.equal([
      ['does not run demonstration cells', 'passed', 1, 'after_published'],
      ['double › doubles a small number', 'passed', 1, 'after_published'],
      ['double › doubles a negative number', 'passed', 2, 'after_due_date'],
      ['sumTensor › sums a tensor made by the grader', 'passed', 1, 'after_published'],
    ]);
    const selfCheck = tests.get('Self-check check-double')!;
    expect(selfCheck).to.include({ status: 'passed', score: 0, max_score: 0, visibility: 'visible' });
    expect(selfCheck.output).to.include('✓ double(2) is 4');
  });

  it('takes the late penalty from Gradescope\'s due date and submission time under the course\'s late rule', async () => {
    // 1 day and a minute after Gradescope's due date: 2 started days at 10% each.
    const results = await runAutograder('late', { 'notebook.ipynb': TINY_SUBMISSIONS.correct() }, metadata('2026-10-04T00:00:00Z'));
    expect(results.score).to.equal(4);
    expect(results.output).to.match(/2 days after the due date .*late penalty of 1 \(20%\)/);
  });

  it('gives an empty release no points and a wrong notebook only the tests it passes', async () => {
    const empty = await runAutograder('empty', { '00-tiny.ipynb': TINY_SUBMISSIONS.stub() });
    expect(empty.score).to.equal(1); // only "does not run demonstration cells" holds for the untouched release
    expect(byName(empty).get('double › doubles a small number')!.status).to.equal('failed');
    expect(byName(empty).get('Self-check check-double')!.status).to.equal('failed');
    const wrong = await runAutograder('wrong', { 'submission.ipynb': TINY_SUBMISSIONS.wrong() });
    expect(wrong.score).to.equal(2);
    expect(byName(wrong).get('double › doubles a small number')).to.include({ status: 'failed', score: 0 });
    expect(byName(wrong).get('double › doubles a small number')!.output).not.to.include('6');
  });

  it('keeps a hostile notebook from forging results.json or reading the hidden tests and metadata', async () => {
    const results = await runAutograder('hostile', { 'attack.ipynb': withSource(tinySolution(), 'double', HOSTILE_DOUBLE) });
    expect(byName(results).get('double › doubles a small number')).to.include({ status: 'failed', score: 0 });
    expect(results.score).to.equal(2);
  });

  it('names the assignment of a notebook submitted to the wrong one from its locked cells, as convlab grade does', async () => {
    // Without convlab's metadata (another editor dropped it), only the other assignment's release tells.
    const other = JSON.parse(readFileSync(join(PROJECT_ROOT, 'notebooks', `${OTHER}.ipynb`), 'utf8')) as Notebook;
    const results = await runAutograder('other', { 'notebook.ipynb': { ...other, metadata: { ...other.metadata, convlab: {} } } });
    expect(results.score).to.equal(0);
    expect(results.output).to.include(`this notebook is assignment ${OTHER}, not ${TINY}: submit your ${TINY} notebook`);
  });

  it('refuses several notebooks or a zip with a message the learner can act on', async () => {
    const two = await runAutograder('two', { 'a.ipynb': TINY_SUBMISSIONS.correct(), 'b.ipynb': TINY_SUBMISSIONS.wrong() });
    expect(two.tests).to.have.length(1);
    expect(two.tests[0]).to.include({ name: 'Submission not graded', status: 'failed', visibility: 'visible' });
    expect(two.tests[0]!.output).to.equal('Your submission holds 2 notebooks ("a.ipynb", "b.ipynb"): upload only the notebook of this assignment.');
    const zipped = await runAutograder('zipped', { 'work.zip': 'PK\u0005\u0006' });
    expect(zipped.tests[0]!.output).to.equal('Your submission is a zip archive ("work.zip"): upload the notebook (.ipynb) itself.');
  });

  it('writes a single "Autograder failed" test in plain words when grading itself breaks', async () => {
    const results = await runAutograder('broken', { 'notebook.ipynb': TINY_SUBMISSIONS.correct() }, '{ not json');
    expect(results.score).to.equal(0);
    expect(results.tests).to.have.length(1);
    expect(results.tests[0]).to.include({ name: 'Autograder failed', status: 'failed' });
    expect(results.tests[0]!.output).not.to.match(/at .*\.js|SyntaxError|JSON/);
  });
});

/** A submission whose double is right only when the notebook's code can read the course data the zip carries. */
const DATA_READING_DOUBLE = `const fs = require('fs');
const cache = process.env.CONVLAB_CACHE ?? '';
const found = fs.existsSync(\`\${cache}/hymenoptera_data/train/ants/ants-1.jpg\`) && fs.existsSync(\`\${cache}/models/mobilenet_v1_1.0_224/model.json\`);
console.log(\`course data found: \${found}\`);
function double(n: number): number {
  return found ? 2 * n : n + 1;
}`;

/** What `convlab gradescope --with-data` does, in a process of its own (the build's modules load there as in the CLI). */
const BUILD_WITH_DATA = `const { writeFileSync } = require('node:fs');
const dist = (module) => require(${JSON.stringify(join(PROJECT_ROOT, 'dist', 'grader', 'gradescope'))} + '/' + module);
const [course, assignment, cacheDir, published, out] = JSON.parse(process.argv[1]);
(async () => {
  const entries = await dist('package').autograderEntries({ root: course }, assignment, dist('course-data').courseDataEntries(cacheDir, published));
  writeFileSync(out, await dist('zip').zipArchive(entries));
})();`;

describe('convlab gradescope --with-data: the notebooks find the data the zip carries', function () {
  this.timeout(600_000);
  let work: string;
  let fake: ReturnType<typeof fakeDataCache>;

  before(function () {
    if (!existsSync(join(PROJECT_ROOT, 'dist', 'grader', 'gradescope', 'run.js'))) this.skip();
    work = autograderWork();
    fake = fakeDataCache();
  });

  after(() => {
    for (const dir of [work, fake?.cacheDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lets the sandbox read the carried data as its cache, and nothing else of the course', async () => {
    // Built as `convlab gradescope --with-data` builds it, with the fake data's own manifests for the published hashes.
    const zipPath = join(work, 'autograder.zip');
    const built = await runProgram(process.execPath, ['-e', BUILD_WITH_DATA, JSON.stringify([copyOfCourse(), TINY, fake.cacheDir, fake.published, zipPath])]);
    expect(built.exitCode, built.stderr).to.equal(0);
    const autograder = await unpackZip(zipPath, work);
    expect(autograder.entries.map((entry) => entry.name)).to.include('data/hymenoptera_data/train/ants/ants-1.jpg');
    const reads = await runIn(autograder, 'reads', { 'notebook.ipynb': withSource(tinySolution(), 'double', DATA_READING_DOUBLE) }, metadata('2026-10-01T12:00:00Z'));
    expect(reads.results.tests.find((test) => test.name === 'double › doubles a small number')).to.include({ status: 'passed' });
    const hostile = await runIn(autograder, 'hostile', { 'notebook.ipynb': withSource(tinySolution(), 'double', HOSTILE_DOUBLE) }, metadata('2026-10-01T12:00:00Z'));
    expect(hostile.results.tests.find((test) => test.name === 'double › doubles a small number')).to.include({ status: 'failed' });
  });
});

describe('convlab gradescope: bad input', function () {
  this.timeout(120_000);
  const expectUsageError = async (args: string[], message: RegExp): Promise<void> => {
    const result = await convlab(args);
    expect(result.exitCode, result.stderr).to.equal(2);
    expect(result.stdout).to.equal('');
    expect(result.stderr.trimEnd().split('\n')).to.have.length(1);
    expect(result.stderr).to.match(message);
  };

  it('names an unknown assignment, a course without hidden tests and an unwritable --out, exit 2', async () => {
    const course = copyOfCourse();
    const out = join(tempDir(), 'autograder.zip');
    await expectUsageError(['gradescope', '--assignment', '09-nothing', '--out', out, '--root', course], /unknown assignment "09-nothing".*assignments: 00-tiny/);
    await expectUsageError(['gradescope', '--assignment', TINY, '--out', '/nonexistent-folder/autograder.zip', '--root', course], /cannot write "\/nonexistent-folder\/autograder.zip"/);
    rmSync(join(course, 'grader', 'tests', TINY), { recursive: true });
    await expectUsageError(['gradescope', '--assignment', TINY, '--out', out, '--root', course], /assignment "00-tiny" has no hidden tests/);
    await expectUsageError(['gradescope', '--out', out, '--root', course], /gradescope needs --assignment/);
    const emptyCache = tempDir();
    const withData = await runProgram(process.execPath, [join(PROJECT_ROOT, 'dist', 'grader', 'cli.js'), 'gradescope', '--assignment', TINY, '--out', out,
      '--root', copyOfCourse(), '--with-data'], { env: { CONVLAB_CACHE: emptyCache } });
    expect(withData.exitCode, withData.stderr).to.equal(2);
    expect(withData.stderr.trimEnd().split('\n')).to.have.length(1);
    expect(withData.stderr).to.include(`the course data in ${emptyCache} is not complete (photos: missing; backbone: missing): run "convlab data"`);
    expect(existsSync(out)).to.equal(false);
  });
});
