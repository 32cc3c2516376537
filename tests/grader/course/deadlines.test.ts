import { expect } from 'chai';
import { latenessOf, type Deadline } from '../../../grader/course/deadlines';
import { finalScoreOf, penaltyOf, type SubmissionResult } from '../../../grader/model/results';

const DUE = '2026-10-02T23:59:00.000Z';
const deadline: Deadline = {
  dueAt: new Date(DUE),
  rule: { percentPerDay: 10, maxPercent: 30, graceMinutes: 15 },
  extensions: new Map([['ada', { dueAt: new Date('2026-10-06T12:00:00Z') }], ['ben', { extraDays: 2 }]]),
};
const at = (iso: string): Date => new Date(iso);

describe('lateness', () => {
  const cases: ReadonlyArray<[what: string, student: string, submitted: string, dueAt: string, daysLate: number, penaltyPercent: number]> = [
    ['before the due date', 'cat', '2026-10-02T20:00:00Z', DUE, 0, 0],
    ['within the grace period', 'cat', '2026-10-03T00:14:00Z', DUE, 0, 0],
    ['one minute past grace: one day', 'cat', '2026-10-03T00:15:00.001Z', DUE, 1, 10],
    ['a day and a minute late: two days', 'cat', '2026-10-04T00:00:00Z', DUE, 2, 20],
    ['a week late: the cap', 'cat', '2026-10-09T23:00:00Z', DUE, 7, 30],
    ['on time under a new due date', 'ada', '2026-10-05T09:00:00Z', '2026-10-06T12:00:00.000Z', 0, 0],
    ['late after a new due date', 'ada', '2026-10-07T12:00:00Z', '2026-10-06T12:00:00.000Z', 1, 10],
    ['on time with two extra days', 'ben', '2026-10-04T23:00:00Z', '2026-10-04T23:59:00.000Z', 0, 0],
    ['late after two extra days', 'ben', '2026-10-05T01:00:00Z', '2026-10-04T23:59:00.000Z', 1, 10],
  ];
  for (const [what, student, submitted, dueAt, daysLate, penaltyPercent] of cases) {
    it(`${what} (${student})`, () => {
      expect(latenessOf(deadline, student, at(submitted))).to.deep.equal({ dueAt, daysLate, penaltyPercent });
    });
  }

  it('keeps the LMS late flag beside its own reckoning', () => {
    expect(latenessOf(deadline, 'cat', at('2026-10-02T20:00:00Z'), true)).to.deep.equal({ dueAt: DUE, daysLate: 0, penaltyPercent: 0, lmsLate: true });
  });

  it('never takes more than the whole score', () => {
    const harsh: Deadline = { ...deadline, rule: { percentPerDay: 60, maxPercent: 100, graceMinutes: 0 } };
    expect(latenessOf(harsh, 'cat', at('2026-10-05T00:00:00Z')).penaltyPercent).to.equal(100);
  });

  it('takes the penalty as a share of the raw score', () => {
    const result = { tests: [{ score: 4.5 }, { score: 1 }], lateness: { dueAt: DUE, daysLate: 2, penaltyPercent: 20 } } as unknown as SubmissionResult;
    expect([penaltyOf(result), finalScoreOf(result)]).to.deep.equal([1.1, 4.4]);
  });
});
