/**
 * Finding 5: repairs that must see what matters to grading, not only a locked cell's source. Each attack is graded for
 * real (sandbox child, hidden tests) through the pipeline Gradescope runs, so that the self-checks it shows are read
 * from the executed notebook as learners see them. The 00-tiny attacks start from the wrong `double` (n + 2), whose
 * self-check `check-double` honestly fails; 02's fake `digits`/`lenet` start from the released stub.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { releasedPath } from '../../../grader/assignment';
import type { SubmissionResult } from '../../../grader/model/results';
import { serializeNotebook } from '../../../grader/notebook/format';
import { SKIP_WHEN_GRADING_TAG, type Cell, type Notebook } from '../../../grader/notebook/types';
import { PROJECT_ROOT } from '../../../grader/paths';
import type { GradingContext, GradingRun } from '../../../grader/pipeline/context';
import { read } from '../../../grader/pipeline/read';
import { restoreLocked } from '../../../grader/pipeline/restore-locked';
import { validate } from '../../../grader/pipeline/validate';
import { COURSE, runProgram, TINY, tinyReleased, withCell } from '../../support/helpers';
import { HONEST, HONEST_WRONG_TESTS, outcomes, type ResultJson } from '../../support/security-folder';

interface Graded {
  readonly result: SubmissionResult;
  /** the self-checks Gradescope would show, read from the executed notebook */
  readonly selfChecks: readonly { readonly gradeId: string; readonly passed: boolean }[];
}

/**
 * Grades the notebook on stdin as `run_autograder` does (built modules of dist/: the sandbox's cannot load under
 * tsx); prints the result and the self-checks results.json shows as JSON.
 */
const GRADE_LIKE_GRADESCOPE = `
const dist = (path) => require(require('node:path').join(process.cwd(), 'dist', 'grader', path));
const { gradeForGradescope } = dist('gradescope/results');
const { DEFAULT_VISIBILITY } = dist('model/gradescope');
const { sandboxLimits } = dist('options');
const { OpenRun } = dist('pipeline/open-run');
const [course, name] = process.argv.slice(1);
(async () => {
  const bytes = require('node:fs').readFileSync(0);
  const opened = new OpenRun({ root: course, limits: sandboxLimits(), assignment: name, children: 1 });
  const source = { label: 'attack.ipynb', student: 'attacker', assignment: name, submittedAt: new Date(0), read: async () => bytes };
  const { result, gradescope } = await gradeForGradescope(opened.gradingRun(name), source, DEFAULT_VISIBILITY);
  opened.dispose();
  const selfChecks = gradescope.tests.filter((test) => test.name.startsWith('Self-check '))
    .map((test) => ({ gradeId: test.name.slice('Self-check '.length), passed: test.status === 'passed' }));
  process.stdout.write(JSON.stringify({ result, selfChecks }));
})();`;

/** The stages that repair a notebook before it runs, in this process (they start no child). */
async function sanitize(notebook: Notebook): Promise<GradingContext> {
  const assignment = { name: TINY, released: tinyReleased(), specs: [], tests: [], maxScore: 0 };
  const source = { label: 'a.ipynb', student: 'a', assignment: TINY, submittedAt: new Date(0), read: async () => Buffer.from(serializeNotebook(notebook)) };
  let context: GradingContext = { run: { assignment } as unknown as GradingRun, source, startedAt: 0 };
  for (const stage of [read, validate, restoreLocked]) context = await stage.run(context);
  return context;
}

async function grade(course: string, assignment: string, notebook: Notebook): Promise<Graded> {
  const run = await runProgram(process.execPath, ['-e', GRADE_LIKE_GRADESCOPE, course, assignment], { input: serializeNotebook(notebook) });
  expect(run.exitCode, run.stderr).to.equal(0);
  return JSON.parse(run.stdout) as Graded;
}

const honestWrong = (): Notebook => HONEST['honest-wrong']();
const addTags = (cell: Cell, ...tags: string[]): Cell => ({ ...cell, metadata: { ...cell.metadata, tags: [...cell.metadata.tags ?? [], ...tags] } });
const asMarkdown = ({ outputs: _outputs, execution_count: _count, ...cell }: Cell): Cell => ({ ...cell, cell_type: 'markdown' });
const checkDouble = (notebook: Notebook): Cell => notebook.cells.find((cell) => cell.id === 'check-double')!;
/** A learner's own code cell placed before the cell `beforeId`. */
const insertBefore = (notebook: Notebook, beforeId: string, cell: Cell): Notebook => {
  const at = notebook.cells.findIndex((each) => each.id === beforeId);
  return { ...notebook, cells: [...notebook.cells.slice(0, at), cell, ...notebook.cells.slice(at)] };
};
const ownCell = (id: string, source: string, metadata: Cell['metadata'] = {}): Cell =>
  ({ cell_type: 'code', id, metadata, source, outputs: [], execution_count: null });

/** Grades a course assignment's released learner notebook with a learner's own cell of `lines` added at its end. */
async function gradeReleasedWith(assignment: string, lines: string[]): Promise<Graded> {
  const released = JSON.parse(readFileSync(releasedPath({ root: PROJECT_ROOT }, assignment), 'utf8')) as Notebook;
  return grade(PROJECT_ROOT, assignment, { ...released, cells: [...released.cells, ownCell('attack', lines.join('\n'))] });
}
/** [name, score] of each hidden test whose name starts with `prefix`. */
const scoresOf = (graded: Graded, prefix: string): [string, number][] =>
  graded.result.tests.filter((test) => test.name.startsWith(prefix)).map((test) => [test.name, test.score]);
const totalScore = (graded: Graded): number => graded.result.tests.reduce((sum, test) => sum + test.score, 0);

/** [status] of each self-check by grade_id, in notebook order. */
const selfCheckStatuses = (graded: Graded): [string, string][] =>
  graded.selfChecks.map((check) => [check.gradeId, check.passed ? 'passed' : 'failed']);
const asJson = (result: SubmissionResult): ResultJson => result as unknown as ResultJson;

describe('repairs by cell type, tags and grading metadata (finding 5), graded for real', function () {
  this.timeout(600_000);

  it('restores a locked self-check turned into markdown with the same source, runs it and names it', async () => {
    const graded = await grade(COURSE, TINY, withCell(honestWrong(), 'check-double', asMarkdown));
    expect(graded.result.restoredCells).to.deep.equal(['check-double']);
    expect(selfCheckStatuses(graded)).to.deep.equal([['check-double', 'failed']]);
    expect(outcomes(asJson(graded.result))).to.deep.equal(HONEST_WRONG_TESTS);
  });

  it('removes a skip-when-grading tag a learner put on a locked self-check, which Gradescope showed as passed', async () => {
    const graded = await grade(COURSE, TINY, withCell(honestWrong(), 'check-double', (cell) => addTags(cell, SKIP_WHEN_GRADING_TAG)));
    expect(graded.result.restoredCells).to.deep.equal(['check-double']);
    expect(selfCheckStatuses(graded)).to.deep.equal([['check-double', 'failed']]);
  });

  it('puts back the skip-when-grading tag a learner removed from a locked demonstration and names the cell', async () => {
    const graded = await grade(COURSE, TINY, withCell(honestWrong(), 'demo', (cell) => ({ ...cell, metadata: { nbgrader: cell.metadata.nbgrader! } })));
    expect(graded.result.restoredCells).to.deep.equal(['demo']);
    expect(outcomes(asJson(graded.result))).to.deep.equal(HONEST_WRONG_TESTS);
  });

  it('runs an exercise a learner tagged skip-when-grading', async () => {
    const graded = await grade(COURSE, TINY, withCell(honestWrong(), 'double', (cell) => addTags(cell, SKIP_WHEN_GRADING_TAG)));
    expect(outcomes(asJson(graded.result))).to.deep.equal(HONEST_WRONG_TESTS);
    expect(graded.result.restoredCells).to.deep.equal([]);
  });

  it('keeps the tags a learner added that the grader does not act on, and the release\'s skip-when-grading', async () => {
    let notebook = withCell(honestWrong(), 'double', (cell) => addTags(cell, 'mine', SKIP_WHEN_GRADING_TAG));
    notebook = withCell(notebook, 'demo', (cell) => addTags(cell, 'mine'));
    const tags = new Map((await sanitize(notebook)).notebook!.cells.map((cell) => [cell.id, cell.metadata.tags]));
    expect(tags.get('double')).to.deep.equal(['mine']);
    expect(tags.get('demo')).to.deep.equal(['mine', SKIP_WHEN_GRADING_TAG]);
    expect(tags.get('check-double')).to.equal(undefined);
  });

  it('shows no self-check for a learner\'s own cell that claims to be one in its nbgrader metadata', async () => {
    const fake = ownCell('my-check', 'console.log("✓ every hidden test passes");',
      { nbgrader: { grade: true, grade_id: 'every-hidden-test', locked: true, points: 0, schema_version: 3, solution: false } });
    const graded = await grade(COURSE, TINY, insertBefore(honestWrong(), 'demo', fake));
    expect(selfCheckStatuses(graded)).to.deep.equal([['check-double', 'failed']]);
    expect(outcomes(asJson(graded.result))).to.deep.equal(HONEST_WRONG_TESTS);
  });

  it('restores the released self-check, not a decoy given its grade_id earlier, and shows it once', async () => {
    let notebook = withCell(honestWrong(), 'check-double', (cell) => ({ ...cell, source: 'console.log("✓ double(2) is 4");' }));
    const decoy = ownCell('decoy', 'const decoyRan = true;', checkDouble(notebook).metadata);
    notebook = insertBefore(notebook, 'intro', decoy);
    const graded = await grade(COURSE, TINY, notebook);
    expect(graded.result.restoredCells).to.deep.equal(['check-double']);
    expect(selfCheckStatuses(graded)).to.deep.equal([['check-double', 'failed']]);
  });

  it('leaves an honest notebook as it was: no repairs, the self-check as it ran', async () => {
    const graded = await grade(COURSE, TINY, honestWrong());
    expect(graded.result.restoredCells).to.deep.equal([]);
    expect(graded.result.repairs ?? []).to.deep.equal([]);
    expect(selfCheckStatuses(graded)).to.deep.equal([['check-double', 'failed']]);
    expect(outcomes(asJson(graded.result))).to.deep.equal(HONEST_WRONG_TESTS);
  });
});

describe('hidden tests that score what they hold themselves, not what the notebook defines (finding 5)', function () {
  this.timeout(900_000);

  it('gives no training points to 02\'s released notebook with a cell that fakes digits and lenet', async () => {
    // Ten blank "held-out" digits, all labelled 0, and a "model" that always answers 0: right on every one.
    const graded = await gradeReleasedWith('02-classic-cnns', [
      'const digits = { test: { xs: tf.zeros([10, 28, 28, 1]), labels: new Array(10).fill(0) } };',
      'const lenet = { predict: (xs: tf.Tensor) => tf.oneHot(tf.zeros([xs.shape[0]], "int32"), 10) };',
    ]);
    const training = scoresOf(graded, 'the trained LeNet-5');
    expect(training).to.have.length(2);
    expect(training).to.deep.equal(training.map(([name]) => [name, 0]));
    expect(totalScore(graded)).to.equal(0);
  });

  it('gives no training points to 07\'s released notebook with a cell that fakes heldOut and unet', async () => {
    // One blank "held-out" scene, all background, and a "model" that always answers background: right on every pixel.
    const graded = await gradeReleasedWith('07-unet', [
      'const heldOut = { images: tf.zeros([1, 32, 32, 3]), masks: tf.zeros([1, 32, 32], "int32"), classes: ["background", "circle", "square", "triangle"] };',
      'const unet = { predict: (images: tf.Tensor) => tf.oneHot(tf.zeros([images.shape[0], 32, 32], "int32"), 4) };',
    ]);
    expect(scoresOf(graded, 'the trained U-Net')).to.deep.equal([['the trained U-Net › learns to separate the shapes from the background on held-out images', 0]]);
    expect(totalScore(graded)).to.equal(0);
  });

  it('gives no points to 03\'s released notebook whose re-registered batch-norm kernel makes Keras agree with a wrong answer', async () => {
    // FusedBatchNorm (behind every Keras batch-norm layer) re-registered as the identity, and a "batch norm" that is too.
    const graded = await gradeReleasedWith('03-resnet', [
      'const patchedBackend = tf.getBackend();',
      'const identityKernel = tf.getKernel("Identity", patchedBackend)!;',
      'tf.registerKernel({',
      '  kernelName: "FusedBatchNorm", backendName: patchedBackend,',
      '  kernelFunc: ({ inputs, backend }) => identityKernel.kernelFunc({ inputs: { x: inputs.x }, backend, attrs: {} }),',
      '});',
      'function batchNormForward(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps = 1e-3): tf.Tensor4D {',
      '  return x;',
      '}',
    ]);
    const keras = 'batchNormForward › agrees with a Keras batch-normalization layer in training mode';
    expect(scoresOf(graded, keras)).to.deep.equal([[keras, 0]]);
    expect(totalScore(graded)).to.equal(0);
  });
});
