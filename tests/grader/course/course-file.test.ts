import { expect } from 'chai';
import { join } from 'node:path';
import { loadDeadlines } from '../../../grader/course/course-file';
import { UsageError } from '../../../grader/errors';
import { convlab, copyOfCourse, tempDir, TINY, TINY_SUBMISSIONS, writeFile } from '../../support/helpers';

const ASSIGNMENTS = ['00-tiny', '01-other'];

function courseWith(file: unknown): string {
  const root = tempDir();
  writeFile(join(root, 'convlab.json'), typeof file === 'string' ? file : JSON.stringify(file));
  return root;
}

describe('the course file convlab.json', () => {
  it('gives no deadlines when the course has none', () => {
    expect(loadDeadlines(tempDir(), ASSIGNMENTS).size).to.equal(0);
  });

  it('reads due dates, the course late rule with per-assignment overrides, and extensions', () => {
    const root = courseWith({
      latePolicy: { percentPerDay: 10, maxPercent: 50, graceMinutes: 15 },
      assignments: {
        '00-tiny': { due: '2026-10-02T23:59:00Z', extensions: { ada: { due: '2026-10-05T23:59:00+02:00' }, ben: { extraDays: 3 } } },
        '01-other': { due: '2026-10-09T23:59:00Z', latePolicy: { percentPerDay: 25 } },
      },
    });
    const deadlines = loadDeadlines(root, ASSIGNMENTS);
    expect(deadlines.get('00-tiny')).to.deep.equal({
      dueAt: new Date('2026-10-02T23:59:00Z'),
      rule: { percentPerDay: 10, maxPercent: 50, graceMinutes: 15 },
      extensions: new Map<string, unknown>([['ada', { dueAt: new Date('2026-10-05T21:59:00Z') }], ['ben', { extraDays: 3 }]]),
    });
    expect(deadlines.get('01-other')!.rule).to.deep.equal({ percentPerDay: 25, maxPercent: 50, graceMinutes: 15 });
  });

  const malformed: ReadonlyArray<[what: string, file: unknown, message: string]> = [
    ['text that is not JSON', '{"assignments": ', 'not valid JSON'],
    ['a due date without a time zone', { assignments: { '00-tiny': { due: '2026-10-02 23:59' } } },
      '/assignments/00-tiny/due must be an ISO 8601 date-time with a time zone, e.g. "2026-10-02T23:59:00Z"'],
    ['a missing due date', { assignments: { '00-tiny': {} } }, "/assignments/00-tiny must have required property 'due'"],
    ['a misspelt field', { latePolicy: { percentPerDays: 10 } }, '/latePolicy has an unknown field "percentPerDays"'],
    ['a penalty over 100%', { latePolicy: { percentPerDay: 150 } }, '/latePolicy/percentPerDay must be <= 100'],
    ['an extension that is neither', { assignments: { '00-tiny': { due: '2026-10-02T23:59:00Z', extensions: { ada: { days: 2 } } } } },
      '/assignments/00-tiny/extensions/ada must be {"due": "<date-time>"} or {"extraDays": <number>}'],
    ['an assignment name that is not one', { assignments: { tiny: { due: '2026-10-02T23:59:00Z' } } },
      '/assignments has "tiny", which is not an assignment name (NN-name)'],
    ['an assignment the course does not have', { assignments: { '09-nope': { due: '2026-10-02T23:59:00Z' } } },
      '/assignments/09-nope is not an assignment of this course (00-tiny, 01-other)'],
  ];
  for (const [what, file, message] of malformed) {
    it(`refuses ${what} in one line naming the field`, () => {
      const root = courseWith(file);
      let error: unknown;
      try {
        loadDeadlines(root, ASSIGNMENTS);
      } catch (thrown) {
        error = thrown;
      }
      expect(error).to.be.instanceOf(UsageError);
      const text = (error as Error).message;
      expect(text.startsWith(`${join(root, 'convlab.json')}: ${message}`), text).to.equal(true);
      expect(text).to.not.include('\n');
    });
  }

  it('stops convlab grade before grading: exit 2, one line naming the file and the field', async function () {
    this.timeout(120_000);
    const root = copyOfCourse();
    writeFile(join(root, 'convlab.json'), JSON.stringify({ assignments: { [TINY]: { due: 'next friday' } } }));
    const dir = tempDir();
    writeFile(join(dir, `ada_${TINY}.ipynb`), TINY_SUBMISSIONS.correct());
    const run = await convlab(['grade', dir, '--root', root, '--db', join(dir, 'gb.sqlite')]);
    expect([run.exitCode, run.stdout, run.stderr]).to.deep.equal([2, '',
      `convlab: ${join(root, 'convlab.json')}: /assignments/${TINY}/due must be an ISO 8601 date-time with a time zone, e.g. "2026-10-02T23:59:00Z"\n`]);
  });
});
