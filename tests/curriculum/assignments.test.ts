/**
 * The course itself: every assignment's solution runs in real Jupyter and earns full marks from the hidden tests,
 * its released learner notebook earns nothing, and a wrong-but-plausible submission lands strictly between.
 */
import { copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { PROJECT_ROOT } from '../../grader/paths';
import { convlab, runProgram, tempDir } from '../support/helpers';

const ASSIGNMENTS = readdirSync(join(PROJECT_ROOT, 'solutions'))
  .filter((file) => /^\d\d-[a-z0-9-]+\.ipynb$/.test(file))
  .map((file) => file.replace(/\.ipynb$/, ''))
  .sort();

interface GradedSubmission {
  readonly student: string;
  readonly status: string;
  readonly score: number;
  readonly maxScore: number;
  readonly error?: string;
  readonly tests: readonly { name: string; status: string; message?: string }[];
}

const JUPYTER = '/usr/bin/jupyter';

interface OutputRecord { output_type: string; data?: Record<string, unknown>; ename?: string }

describe('the course', function () {
  this.timeout(15 * 60_000);

  it('has all nine assignments', () => {
    expect(ASSIGNMENTS).to.deep.equal([
      '01-conv-arithmetic', '02-classic-cnns', '03-resnet', '04-transfer-learning', '05-distillation', '06-yolo', '07-unet',
      '08-inside-a-cnn', '09-vision-transformer',
    ]);
  });

  it('ships learner notebooks in sync with the solutions', async () => {
    const result = await convlab(['release', '--check']);
    expect(result.stderr + result.stdout).to.not.match(/out of sync|drift/i);
    expect(result.exitCode).to.equal(0);
  });

  for (const assignment of ASSIGNMENTS) {
    describe(assignment, () => {
      it('introduces every exercise with prose and offers public self-checks', () => {
        const notebook = JSON.parse(readFileSync(join(PROJECT_ROOT, 'solutions', `${assignment}.ipynb`), 'utf8')) as {
          cells: { cell_type: string; metadata: { nbgrader?: { solution?: boolean; grade?: boolean; grade_id?: string } } }[];
        };
        const exercises = notebook.cells.flatMap((cell, index) => (cell.metadata.nbgrader?.solution ? [index] : []));
        const withoutProse = exercises
          .filter((index) => notebook.cells[index - 1]?.cell_type !== 'markdown')
          .map((index) => notebook.cells[index]!.metadata.nbgrader!.grade_id);
        expect(exercises.length, 'exercise cells').to.be.greaterThan(0);
        expect(withoutProse, 'exercises not preceded by a markdown cell').to.deep.equal([]);
        expect(notebook.cells.filter((cell) => cell.metadata.nbgrader?.grade).length, 'self-check cells').to.be.greaterThan(0);
      });

      it('runs top to bottom in real Jupyter (grading mode) with the tslab kernel and shows a picture or plot', async function () {
        if (!existsSync(JUPYTER)) this.skip();
        const out = join(tempDir(), `${assignment}.ipynb`);
        const result = await runProgram(JUPYTER, [
          // Grading mode, as the grader runs it: demonstration cells tagged skip-when-grading are removed first.
          'nbconvert', '--to', 'notebook', '--execute', '--ExecutePreprocessor.timeout=900',
          '--TagRemovePreprocessor.enabled=True', '--TagRemovePreprocessor.remove_cell_tags=skip-when-grading',
          '--output', out, join(PROJECT_ROOT, 'solutions', `${assignment}.ipynb`),
        ], { cwd: join(PROJECT_ROOT, 'solutions'), env: { CONVLAB_GRADING: '1' } });
        expect(result.exitCode, result.stderr.slice(-3000)).to.equal(0);
        const executed = JSON.parse(readFileSync(out, 'utf8')) as { cells: { outputs?: OutputRecord[] }[] };
        const outputs = executed.cells.flatMap((cell) => cell.outputs ?? []);
        expect(outputs.filter((output) => output.output_type === 'error')).to.deep.equal([]);
        const visuals = outputs.filter((output) =>
          Object.keys(output.data ?? {}).some((type) => /^image\/(png|svg\+xml)$|^text\/html$/.test(type)));
        expect(visuals.length, 'picture or plot outputs').to.be.greaterThan(0);
      });

      it('gives the solution full marks, the learner notebook zero, and a wrong submission something between', async () => {
        const cohort = tempDir();
        copyFileSync(join(PROJECT_ROOT, 'solutions', `${assignment}.ipynb`), join(cohort, `solution_${assignment}.ipynb`));
        copyFileSync(join(PROJECT_ROOT, 'notebooks', `${assignment}.ipynb`), join(cohort, `learner_${assignment}.ipynb`));
        copyFileSync(join(PROJECT_ROOT, 'tests', 'fixtures', 'submissions', assignment, 'wrong.ipynb'), join(cohort, `wrong_${assignment}.ipynb`));
        const result = await convlab(['grade', cohort, '--assignment', assignment, '--json', '--jobs', '2', '--db', join(cohort, 'gradebook.sqlite')]);
        expect(result.exitCode, result.stderr.slice(-3000)).to.equal(0);
        const { results } = JSON.parse(result.stdout) as { results: GradedSubmission[] };
        const byStudent = new Map(results.map((graded) => [graded.student, graded]));
        const solution = byStudent.get('solution')!;
        const failures = solution.tests.filter((test) => test.status !== 'passed');
        expect(solution.status, solution.error).to.equal('graded');
        expect(failures, 'hidden tests the solution fails').to.deep.equal([]);
        expect(solution.score).to.equal(solution.maxScore).and.to.be.greaterThan(0);
        expect(byStudent.get('learner')!.score).to.equal(0);
        const wrong = byStudent.get('wrong')!;
        expect(wrong.score).to.be.greaterThan(0).and.to.be.lessThan(wrong.maxScore);
      });
    });
  }
});
