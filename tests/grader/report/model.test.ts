import { expect } from 'chai';
import { readGradebook } from '../../../grader/gradebook/queries';
import { buildCohortReport, type CohortReport } from '../../../grader/report/model';
import { formatScoresCsv } from '../../../grader/report/scores-csv';
import { COHORT_ATTEMPTS, COHORT_ROSTER, GENERATED_AT } from '../../support/cohort-fixture';
import { makeTempDir, writeGradebook } from '../../support/gradebook-fixture';

const POLICY = { belowAverage: 0.5, latestAssignments: 2 };

function cohortReport(roster = COHORT_ROSTER as typeof COHORT_ROSTER | null): CohortReport {
  const dir = makeTempDir();
  try {
    const snapshot = readGradebook(writeGradebook(dir.file('g.sqlite'), COHORT_ATTEMPTS));
    return buildCohortReport({ snapshot, roster, since: null, generatedAt: GENERATED_AT, policy: POLICY });
  } finally {
    dir.remove();
  }
}

describe('report model', () => {
  const report = cohortReport();

  it('counts the roster and the gradebook together as the cohort, in natural id order', () => {
    expect(report.learners.map((learner) => [learner.id, learner.inRoster])).to.deep.equal([
      ['ada', true],
      ['bob', true],
      ['cy', false],
      ['dee', true],
    ]);
  });

  it('reports learners missing from the roster and roster learners without submissions', () => {
    expect(report.roster).to.deep.equal({ given: true, notInRoster: ['cy'], withoutSubmissions: ['dee'] });
  });

  it('keeps missing work apart from invalid (zero) and scored work', () => {
    const states = report.learners.map((learner) =>
      learner.cells.map((cell) => `${cell.state}:${cell.score}`).join(' '),
    );
    expect(states).to.deep.equal([
      'scored:4 scored:3 scored:4',
      'invalid:0 missing:null missing:null',
      'scored:1 scored:0 scored:2',
      'missing:null missing:null missing:null',
    ]);
  });

  it('scores each learner over every assignment, missing work counting zero', () => {
    expect(report.learners.map((learner) => [learner.total, learner.totalMax, learner.submitted])).to.deep.equal([
      [11, 12, 3],
      [0, 12, 1],
      [3, 12, 3],
      [0, 12, 0],
    ]);
  });

  it('summarizes each assignment: submissions, completion over the cohort, median and distribution', () => {
    const [intro] = report.assignments;
    expect(intro).to.deep.include({
      name: '01-intro',
      maxScore: 4,
      submitted: 3,
      invalid: 1,
      missing: 1,
      completionRate: 0.5,
      median: 0.25,
    });
    expect(intro!.histogram).to.deep.equal([1, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('ranks tests by pass rate, hardest first, leaving out tests of invalid submissions (never run)', () => {
    expect(report.tests.map((test) => `${test.assignment}/${test.name} ${test.passed}/${test.attempts}`)).to.deep.equal(
      [
        '02-conv/t4 0/2',
        '01-intro/t2 1/2',
        '01-intro/t3 1/2',
        '01-intro/t4 1/2',
        '02-conv/t1 1/2',
        '02-conv/t2 1/2',
        '02-conv/t3 1/2',
        '03-pool/t3 1/2',
        '03-pool/t4 1/2',
        '01-intro/t1 2/2',
        '03-pool/t1 2/2',
        '03-pool/t2 2/2',
      ],
    );
  });

  it('tracks the cumulative share of the cohort that has submitted, by first submission day', () => {
    expect(report.progress.filter((point) => point.assignment === '01-intro')).to.deep.equal([
      { assignment: '01-intro', day: '2026-09-07', submitted: 1, rate: 0.25 },
      { assignment: '01-intro', day: '2026-09-08', submitted: 3, rate: 0.75 },
    ]);
  });

  it('lists learners at risk, lowest average first, with the reasons in numbers', () => {
    expect(report.atRisk.map(({ learner, reasons }) => [learner.id, ...reasons])).to.deep.equal([
      ['bob', 'average 0% is below 50%', 'no valid submission for 02-conv, 03-pool'],
      ['dee', 'average 0% is below 50%', 'no valid submission for 02-conv, 03-pool'],
      ['cy', 'average 25% is below 50%'],
    ]);
  });

  it('keeps the feedback of failed tests on the current attempt only, none for an invalid submission', () => {
    const [ada, bob, cy] = report.learners;
    expect(bob!.cells[0]).to.deep.include({ state: 'invalid', error: 'not valid JSON', failedTests: [] });
    expect(ada!.cells[0]!.failedTests).to.deep.equal([]);
    expect(ada!.cells[1]!.failedTests).to.deep.equal([
      { name: 't4', status: 'failed', feedback: 'the output differs from the reference' },
    ]);
    expect(cy!.cells[1]).to.deep.include({ status: 'timeout', error: 'timed out after 60 s' });
  });

  it('without a roster, counts only learners who submitted and reports no roster differences', () => {
    const withoutRoster = cohortReport(null);
    expect(withoutRoster.learners.map((learner) => learner.id)).to.deep.equal(['ada', 'bob', 'cy']);
    expect(withoutRoster.roster).to.deep.equal({ given: false, notInRoster: [], withoutSubmissions: [] });
  });

  it('exports one CSV row per learner with a column per assignment and the total, missing work left empty', () => {
    expect(formatScoresCsv(report)).to.equal(
      'id,name,email,01-intro,02-conv,03-pool,total\r\n' +
        'ada,Ada Lovelace,ada@uni.edu,4,3,4,11\r\n' +
        'bob,"Bob, Jr.",bob@uni.edu,0,,,0\r\n' +
        'cy,,,1,0,2,3\r\n' +
        'dee,Dee,dee@uni.edu,,,,0\r\n',
    );
  });
});
