/**
 * One cohort graded by the three executors — `convlab grade` locally, `convlab grade --queue` with a worker process
 * (redis-server on a loopback port), and Gradescope's run_autograder from the unpacked zip — gets the same results:
 * each test's status, points and message, the self-checks, the visibility the course sets, and the grading fingerprint.
 */
import { expect } from 'chai';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalRedis } from '../../grader/queue/local-redis';
import type { Notebook } from '../../grader/notebook/types';
import { PROJECT_ROOT } from '../../grader/paths';
import { runAutograder, unpackAutograder, type GradescopeResultsJson, type UnpackedAutograder } from './gradescope/autograder';
import { ConvlabProcess, convlabOn, queueEnv, requireRedis } from '../support/queue-processes';
import { convlab, copyOfCourse, readJson, tempDir, TINY, TINY_SUBMISSIONS, tinySolution, withSource, writeFile, type CliResult } from '../support/helpers';

const COHORT: Readonly<Record<string, () => Notebook>> = {
  correct: TINY_SUBMISSIONS.correct,
  wrong: TINY_SUBMISSIONS.wrong,
  broken: () => withSource(tinySolution(), 'double', 'function double(n: number): number {\n  return n.length;\n}'),
};

/** What an executor gave one submission: its --json result (not from run_autograder, which prints none) and results.json. */
interface Graded {
  readonly json?: unknown;
  readonly gradescope: GradescopeResultsJson;
}

/** results.json without its wall time, the one field that may differ between runs. */
const comparable = ({ execution_time: _seconds, ...results }: GradescopeResultsJson): Omit<GradescopeResultsJson, 'execution_time'> => results;

describe('one grading path, three executors: local, queue worker and run_autograder agree', function () {
  this.timeout(600_000);
  let course: string;
  let redis: LocalRedis | undefined;
  let worker: ConvlabProcess | undefined;
  let autograder: UnpackedAutograder | undefined;
  const graded: Record<'local' | 'queue' | 'gradescope', Record<string, Graded>> = { local: {}, queue: {}, gradescope: {} };

  before(async function () {
    requireRedis(this);
    if (!existsSync(join(PROJECT_ROOT, 'dist', 'grader', 'gradescope', 'run.js'))) this.skip();
    course = copyOfCourse();
    writeFileSync(join(course, 'convlab.json'), JSON.stringify({
      gradescope: { selfChecks: 'after_published', tests: { 'double › doubles a negative number': 'after_due_date' } },
    }));
    const dir = tempDir();
    const grade = async (student: string, extra: string[], run: (args: string[]) => Promise<CliResult>): Promise<Graded> => {
      const results = join(dir, `${student}-${extra.length}.json`);
      const submission = writeFile(join(dir, `${student}_${TINY}.ipynb`), COHORT[student]!());
      const result = await run(['grade', submission, '--assignment', TINY, '--root', course, '--db', join(dir, `${student}-${extra.length}.sqlite`),
        '--json', '--gradescope', results, ...extra]);
      expect(result.exitCode, result.stderr).to.equal(0);
      return { json: JSON.parse(result.stdout), gradescope: readJson<GradescopeResultsJson>(results) };
    };
    for (const student of Object.keys(COHORT)) graded.local[student] = await grade(student, [], (args) => convlab(args));

    redis = await LocalRedis.start();
    worker = new ConvlabProcess(['worker', '--root', course, '--jobs', '1'], queueEnv(redis.url(1)));
    await worker.listening();
    for (const student of Object.keys(COHORT)) graded.queue[student] = await grade(student, ['--queue'], (args) => convlabOn(redis!.url(1), args));

    autograder = await unpackAutograder(course);
    for (const student of Object.keys(COHORT)) {
      const { results: gradescope } = await runAutograder(autograder, student, { [`${student}.ipynb`]: COHORT[student]!() },
        { created_at: '2026-10-01T12:00:00Z', users: [{ email: student, id: 1 }] });
      graded.gradescope[student] = { gradescope };
    }
  });

  after(async () => {
    await worker?.killGroup();
    await redis?.kill();
    if (autograder) rmSync(autograder.work, { recursive: true, force: true });
  });

  it('grades a cohort that tells the submissions apart (the comparison below is not of three empty results)', () => {
    expect(Object.fromEntries(Object.entries(graded.local).map(([student, { gradescope }]) => [student, gradescope.score])))
      .to.deep.equal({ correct: 5, wrong: 2, broken: 2 });
    expect(graded.local.broken!.gradescope.tests.find((test) => test.name === 'Self-check check-double')!.status).to.equal('failed');
    expect(worker!.ran()).to.have.members(Object.keys(COHORT));
  });

  it('gives the same result through the queue as locally: every test\'s status, points and message', () => {
    for (const student of Object.keys(COHORT)) expect(graded.queue[student]!.json, student).to.deep.equal(graded.local[student]!.json);
  });

  it('writes the same results.json from grade --gradescope (local and queue) as run_autograder: tests, self-checks, visibility, fingerprint', () => {
    for (const student of Object.keys(COHORT)) {
      const [local, queue, gradescope] = [graded.local, graded.queue, graded.gradescope].map((by) => comparable(by[student]!.gradescope));
      expect(local.tests.map((test) => test.name), student).to.include(`Self-check check-double`);
      expect(local.extra_data?.fingerprint, student).to.match(/^[0-9a-f]{64}$/);
      expect(queue, `${student}: queue`).to.deep.equal(local);
      expect(gradescope, `${student}: run_autograder`).to.deep.equal(local);
    }
  });
});
