import { expect } from 'chai';
import { readGradebook } from '../../../grader/gradebook/queries';
import { pointBiserial } from '../../../grader/report/item-analysis';
import { buildCohortReport, type CohortReport } from '../../../grader/report/model';
import { plantedBrokenTest, writeSyntheticGradebook } from '../../../bench/synthetic/gradebook';
import { makeTempDir } from '../../support/gradebook-fixture';

const POLICY = { belowAverage: 0.5, latestAssignments: 2 };

function syntheticReport(options: { brokenTest: boolean; seed: number }): CohortReport {
  const dir = makeTempDir();
  try {
    writeSyntheticGradebook(dir.file('g.sqlite'), { learners: 60, assignments: 7, ...options });
    return buildCohortReport({ snapshot: readGradebook(dir.file('g.sqlite')), roster: null, since: null,
      generatedAt: '2026-11-01T00:00:00.000Z', policy: POLICY });
  } finally {
    dir.remove();
  }
}

const flaggedNegative = (report: CohortReport): string[] =>
  report.tests.filter((test) => test.flags.includes('negative discrimination')).map((test) => `${test.assignment}/${test.name}`);

describe('item analysis', () => {
  it('computes the point-biserial correlation, and none where it cannot be told', () => {
    // passers have rest scores 3 and 4, failers 1 and 2: mean gap 2, sd √1.25, p = q = ½
    expect(pointBiserial([{ passed: true, rest: 3 }, { passed: true, rest: 4 }, { passed: false, rest: 1 }, { passed: false, rest: 2 }]))
      .to.be.closeTo(2 / Math.sqrt(1.25) / 2, 1e-12);
    expect(pointBiserial([{ passed: true, rest: 3 }, { passed: true, rest: 1 }])).to.equal(null);
    expect(pointBiserial([{ passed: true, rest: 2 }, { passed: false, rest: 2 }])).to.equal(null);
  });

  for (const seed of [7, 11, 23]) {
    it(`flags exactly the planted broken test as negatively discriminating (seed ${seed})`, () => {
      const broken = plantedBrokenTest();
      expect(flaggedNegative(syntheticReport({ brokenTest: true, seed }))).to.deep.equal([`${broken.assignment}/${broken.name}`]);
      expect(flaggedNegative(syntheticReport({ brokenTest: false, seed }))).to.deep.equal([]);
    });
  }

  it('gives one compact row per assignment × exercise, with its flagged tests counted', () => {
    const report = syntheticReport({ brokenTest: true, seed: 7 });
    expect(report.exercises).to.have.length(7);
    const second = report.exercises.find((exercise) => exercise.assignment === plantedBrokenTest().assignment)!;
    expect(second).to.deep.include({ exercise: 'whole notebook', tests: 5, flagged: 1 });
    const fromTests = report.tests.filter((test) => test.assignment === second.assignment);
    expect(second.passRate).to.be.closeTo(fromTests.reduce((total, test) => total + test.passRate, 0) / 5, 1e-12);
  });
});
