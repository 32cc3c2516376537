import { expect } from 'chai';
import { toFeedbackHtml, toFeedbackMarkdown } from '../../grader/model/feedback';
import { toJsonDocument } from '../../grader/model/json';
import { finalScoreOf, penaltyOf, type GradingFingerprint, type GradingReport, type SubmissionResult } from '../../grader/model/results';
import { toScoreTable } from '../../grader/model/table';

const FINGERPRINT: GradingFingerprint = { id: 'f', parts: { tests: 't', release: 'r', limits: 'l', version: '0.1.0', toolchain: 'c' } };
const LATE = { dueAt: '2026-09-07T23:59:00.000Z', daysLate: 2, penaltyPercent: 20 };

function result(student: string, changes: Partial<SubmissionResult> = {}): SubmissionResult {
  return {
    submission: `${student}.ipynb`, student, assignment: '00-warmup', status: 'graded',
    tests: [{ name: 'a', status: 'passed', score: 2.5, maxScore: 2.5, feedback: 'Passed.' },
      { name: 'b', status: 'failed', score: 0, maxScore: 2.5, feedback: 'Failed.' }],
    restoredCells: [], contentHash: student, submittedAt: '2026-09-09T10:00:00.000Z', gradedAt: '2026-09-09T11:00:00.000Z',
    durationMs: 1000, unchanged: false, ...changes,
  };
}

const report = (results: SubmissionResult[]): GradingReport => ({ assignment: '00-warmup', maxScore: 5, fingerprint: FINGERPRINT, results });

describe('grading results: penalties and regrade summaries', () => {
  it('computes the penalty on the raw score and rounds away floating-point dust', () => {
    expect(penaltyOf(result('ada', { lateness: LATE }))).to.equal(0.5);
    expect(finalScoreOf(result('ada', { lateness: LATE }))).to.equal(2);
    expect(finalScoreOf(result('ada', { lateness: { ...LATE, penaltyPercent: 100 / 3 } }))).to.equal(1.667);
    expect(penaltyOf(result('ada'))).to.equal(0);
  });

  it('prints one summary line per set of regrade reasons, with the count', () => {
    const table = toScoreTable(report([
      result('ada', { regraded: ['hidden tests changed'] }), result('ben', { regraded: ['hidden tests changed'] }),
      result('cy', { regraded: ['hidden tests changed', 'limits changed'] }), result('dee', { unchanged: true }),
    ]));
    expect(table.split('\n').slice(0, 3)).to.deep.equal([
      '00-warmup: 4 submissions, 4 graded, max 5 pts',
      '2 regraded: hidden tests changed',
      '1 regraded: hidden tests changed, limits changed',
    ]);
    expect(table).to.include('unchanged, not regraded');
  });

  it('adds raw and penalty columns to the score table only when a submission has a penalty', () => {
    expect(toScoreTable(report([result('ada')]))).to.not.include('penalty');
    const lines = toScoreTable(report([result('ada', { lateness: LATE }), result('ben')])).split('\n');
    expect(lines.slice(1)).to.deep.equal([
      'student  status  raw  penalty  score    %      notes',
      '-------  ------  ---  -------  -------  -----  -----------',
      'ada      graded  2.5  -0.5     2 / 5    40.0%  2 days late',
      'ben      graded  2.5           2.5 / 5  50.0%',
    ]);
  });

  it('gives the final score in --json, with raw score and penalty when the assignment has a due date', () => {
    const { results } = toJsonDocument(report([result('ada', { lateness: LATE, regraded: ['limits changed'] }), result('ben')])) as {
      results: Record<string, unknown>[];
    };
    expect(results[0]).to.deep.include({ score: 2, rawScore: 2.5, penalty: 0.5, lateness: LATE });
    expect(results[0]!.regraded).to.deep.equal(['limits changed']);
    expect(results[1]).to.not.have.any.keys('rawScore', 'penalty', 'regraded');
  });

  it('tells the learner the raw score, the late penalty and the final score', () => {
    const note = 'Submitted 2 days after the due date (2026-09-07T23:59:00.000Z): 2.5 points from the tests, minus a late '
      + 'penalty of 0.5 (20%), gives 2 / 5.';
    const late = result('ada', { lateness: LATE });
    expect(toFeedbackMarkdown(late)).to.include('# 00-warmup — ada: 2 / 5').and.include(`> ${note}`);
    expect(toFeedbackHtml(late)).to.include(`<p>${note}</p>`);
    expect(toFeedbackMarkdown(result('ben'))).to.not.include('due date');
  });
});
