import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareExercise } from '../../../grader/similarity/compare';
import { normalizedTokens } from '../../../grader/similarity/tokens';
import { winnow } from '../../../grader/similarity/winnow';
import { cellSource } from '../../../grader/notebook/types';
import { PROJECT_ROOT } from '../../../grader/paths';
import { COURSE, convlab, tempDir, TINY, tinyReleased, TINY_SUBMISSIONS, withSource, writeFile } from '../../support/helpers';

const FIXTURES = join(PROJECT_ROOT, 'tests', 'fixtures', 'similarity', 'sum-tensor');
/** Independently written cells, and a planted pair: a copy disguised by renaming, new comments and new layout. */
const CELLS = new Map(readdirSync(FIXTURES).filter((file) => file.endsWith('.ts.txt'))
  .map((file) => [file.replace('.ts.txt', ''), readFileSync(join(FIXTURES, file), 'utf8')]));
const STARTER = cellSource(tinyReleased().cells.find((cell) => cell.metadata.nbgrader?.grade_id === 'sum-tensor')!);

const codes = (source: string): number[] => [...normalizedTokens(source).codes];

describe('normalized tokens', () => {
  it('ignore names, literals, comments and layout, but not structure', () => {
    const original = 'const total = values.reduce((a, b) => a + b, 0); // sum';
    expect(codes('let  s=xs.reduce((p,q)=>p+q,42)')).to.not.deep.equal(codes(original));
    expect(codes('/* x */ const  s=xs.reduce(\n(p,q)=>p+q,"zero");')).to.deep.equal(codes(original));
    expect(codes('const total = values.reduce((a, b) => a - b, 0);')).to.not.deep.equal(codes(original));
  });

  it('read template literals and regular expressions as one literal each, with their lines', () => {
    const tokens = normalizedTokens('const a = `x ${b + `${c}`} y`;\nconst r = /[}]+/g.test(a);');
    expect([...tokens.lines]).to.deep.equal([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2]);
    expect(codes('const r = /[}]+/g;')).to.deep.equal(codes('const r = "x";'));
  });

  it('winnows every shared run of 19 tokens into a shared fingerprint', () => {
    const shared = 'for (let i = 0; i < n; i++) { total += values[i] * weights[i]; }';
    const a = new Set(winnow(normalizedTokens(`if (a) { b(); } ${shared} return 1;`)).map((f) => f.hash));
    const b = new Set(winnow(normalizedTokens(`while (c < 3) c++; ${shared} throw e;`)).map((f) => f.hash));
    expect([...a].some((hash) => b.has(hash))).to.equal(true);
  });
});

describe('compareExercise on independently written cells', () => {
  const learners = [...CELLS].map(([student, source]) => ({ student, source }));

  it('lists the planted pair, with its shared fragments side by side, and no other pair', () => {
    const { pairs, learners: counted } = compareExercise({ exercise: 'sum-tensor', starter: STARTER, learners });
    expect(counted).to.equal(CELLS.size);
    expect(pairs.map((pair) => [pair.a, pair.b])).to.deep.equal([['planted-copy', 'planted-original']]);
    const [pair] = pairs;
    expect(pair!.similarity).to.be.at.least(0.5);
    expect(pair!.fragments.map((fragment) => fragment.a.text).join('\n')).to.include('sub += vals[idx]!;');
    expect(pair!.fragments.map((fragment) => fragment.b.text).join('\n')).to.include('partial += data[j]!;');
  });

  it('subtracts the starter code: learners who only kept it are not compared', () => {
    const { learners: counted, pairs } = compareExercise({ exercise: 'sum-tensor', starter: STARTER,
      learners: [{ student: 'a', source: STARTER }, { student: 'b', source: `${STARTER}\n` }] });
    expect([counted, pairs.length]).to.deep.equal([0, 0]);
  });
});

describe('convlab similarity on a really graded cohort (real children, tslab, SQLite)', function () {
  this.timeout(600_000);
  const dir = tempDir();
  const db = join(dir, 'gradebook.sqlite');

  before(async () => {
    const submissions = join(dir, 'submissions');
    writeFile(join(submissions, `solution_${TINY}.ipynb`), TINY_SUBMISSIONS.correct());
    writeFile(join(submissions, `release_${TINY}.ipynb`), TINY_SUBMISSIONS.stub());
    writeFile(join(submissions, `wrong_${TINY}.ipynb`), TINY_SUBMISSIONS.wrong());
    for (const [student, source] of CELLS) writeFile(join(submissions, `${student}_${TINY}.ipynb`), withSource(TINY_SUBMISSIONS.correct(), 'sum-tensor', source));
    const graded = await convlab(['grade', submissions, '--assignment', TINY, '--root', COURSE, '--db', db, '--jobs', '2', '--json']);
    expect(graded.exitCode, graded.stderr).to.equal(0);
    const scores = (JSON.parse(graded.stdout) as { results: { student: string; score: number }[] }).results;
    // every fixture is a working sumTensor: they differ in how, not in whether
    for (const student of CELLS.keys()) expect(scores.find((result) => result.student === student)!.score, student).to.equal(5);
  });

  it('finds the planted pair, and no pair among the independently written cells', async () => {
    const result = await convlab(['similarity', '--db', db, '--assignment', TINY, '--json']);
    expect(result.exitCode, result.stderr).to.equal(0);
    const report = JSON.parse(result.stdout) as { exercises: { exercise: string; learners: number; pairs: { a: string; b: string }[] }[] };
    expect(report.exercises.map((exercise) => [exercise.exercise, exercise.pairs.map((pair) => [pair.a, pair.b].join(' ~ '))]))
      .to.deep.equal([['double', []], ['sum-tensor', ['planted-copy ~ planted-original']]]);
  });

  it('prints a table worded as a signal for a person, with the shared fragments', async () => {
    const result = await convlab(['similarity', '--db', db, '--assignment', TINY]);
    expect(result.exitCode, result.stderr).to.equal(0);
    expect(result.stdout).to.include(`${TINY}: 1 pair of exercise cells at least 50% alike`)
      .and.include('signal for a person').and.match(/\| +partial \+= data\[j\]!;/);
  });

  it('answers a wrong assignment or threshold with one line and exit code 2', async () => {
    const missing = await convlab(['similarity', '--db', db, '--assignment', '99-none']);
    expect([missing.exitCode, missing.stderr.trim()]).to.deep.equal(
      [2, `convlab: the gradebook "${db}" has no exercise cells of assignment "99-none"`]);
    const threshold = await convlab(['similarity', '--db', db, '--assignment', TINY, '--threshold', '7']);
    expect([threshold.exitCode, threshold.stderr.trim()]).to.deep.equal([2, 'convlab: --threshold must be a number above 0 and at most 1, got "7"']);
  });
});
