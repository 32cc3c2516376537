import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { report } from '../../../grader/commands/report';
import { serializeNotebook } from '../../../grader/notebook/format';
import { releaseNotebook } from '../../../grader/notebook/release';
import { readCohortSources } from '../../../grader/gradebook/queries';
import { PROJECT_ROOT } from '../../../grader/paths';
import { assignmentName, cohortSources, plantedBrokenTest, writeSyntheticGradebook } from '../../../bench/synthetic/gradebook';
import { CHROMIUM_PATH, visitReport, type PageVisit } from '../../support/chromium';
import { makeTempDir, type TempDir } from '../../support/gradebook-fixture';

const ROOT = PROJECT_ROOT;
const ARTIFACTS = join(ROOT, 'artifacts');
const GRADER_CLI = join(ROOT, 'dist/grader/cli.js');
const FIXTURE_COURSE = join(ROOT, 'tests/fixtures/notebooks/course');
const TINY_SOLUTION = join(FIXTURE_COURSE, 'solutions/00-tiny.ipynb');
const CHARTS = ['chart-heatmap', 'chart-distribution', 'chart-completion', 'chart-tests', 'chart-progress'];

function expectChartsDrawnOffline(visit: PageVisit): void {
  expect(visit.errors).to.deep.equal([]);
  expect(visit.requests).to.deep.equal([]);
  expect(visit.charts.map((chart) => [chart.id, chart.rendered, chart.svgs])).to.deep.equal(
    CHARTS.map((id) => [id, 'true', 1]),
  );
  for (const chart of visit.charts) expect(chart.marks, `${chart.id} marks`).to.be.greaterThan(0);
  expect(visit.openTables).to.equal(0);
}

describe('the report in a real browser (headless Chromium)', function () {
  this.timeout(180_000);
  let dir: TempDir;
  before(function () {
    if (!existsSync(CHROMIUM_PATH)) this.skip();
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => dir.remove());

  it('draws every chart of a synthetic cohort as SVG, offline, without console errors', async () => {
    writeSyntheticGradebook(dir.file('g.sqlite'), { learners: 40, assignments: 7, brokenTest: true, exerciseCells: true });
    await report({ db: dir.file('g.sqlite'), out: dir.file('report.html') });
    const screenshot = join(ARTIFACTS, 'report-synthetic.png');
    const topScreenshot = join(ARTIFACTS, 'report-synthetic-top.png');
    const visit = await visitReport(dir.file('report.html'), { javaScript: true, screenshot, topScreenshot });
    console.log(`      screenshots: ${screenshot}, ${topScreenshot}`);

    expectChartsDrawnOffline(visit);
    const broken = plantedBrokenTest();
    expect(visit.flaggedTests.filter((row) => row.includes('negative discrimination')))
      .to.deep.equal([`${broken.assignment}/${broken.name}: negative discrimination`]);
    // the planted pairs whose two learners both have a current graded attempt of the first assignment
    const first = assignmentName(0);
    const present = new Set(readCohortSources(dir.file('g.sqlite')).get(first)!.cells.map((cell) => cell.student));
    const planted = cohortSources({ learners: 40, seed: 7 }).planted
      .filter(([, from, to]) => present.has(from) && present.has(to))
      .map(([exercise, from, to]) => `${first}/${exercise}: ${[from, to].sort().join(' ~ ')}`);
    expect(planted).to.not.be.empty;
    expect(visit.similarPairs).to.deep.equal(planted);
  });

  it("shows every chart's table instead when JavaScript is off", async () => {
    writeSyntheticGradebook(dir.file('g.sqlite'), { learners: 5, assignments: 3 });
    await report({ db: dir.file('g.sqlite'), out: dir.file('report.html') });
    const visit = await visitReport(dir.file('report.html'), { javaScript: false });

    expect(visit.charts.map((chart) => [chart.rendered, chart.svgs])).to.deep.equal(CHARTS.map(() => [null, 0]));
    expect(visit.openTables).to.equal(4);
    expect(visit.requests).to.deep.equal([]);
  });
});

/**
 * End to end: `convlab grade` really grades notebooks of the fixture course into a gradebook, in two runs a few
 * days apart (file times), then the report of that gradebook is checked in Chromium.
 */
describe('the report of really graded submissions', function () {
  this.timeout(600_000);
  let dir: TempDir;
  before(function () {
    if (!existsSync(CHROMIUM_PATH)) this.skip();
    if (!existsSync(GRADER_CLI)) throw new Error(`${GRADER_CLI} is missing: build first (npm run build)`);
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => dir.remove());

  async function grade(
    submissions: Record<string, { notebook: string; submittedAt: string }>,
    folder: string,
  ): Promise<void> {
    mkdirSync(dir.file(folder));
    for (const [file, { notebook, submittedAt }] of Object.entries(submissions)) {
      writeFileSync(dir.file(join(folder, file)), notebook);
      utimesSync(dir.file(join(folder, file)), new Date(submittedAt), new Date(submittedAt));
    }
    const args = [
      GRADER_CLI,
      'grade',
      dir.file(folder),
      '--assignment',
      '00-tiny',
      '--root',
      FIXTURE_COURSE,
      '--db',
      dir.file('g.sqlite'),
      '--jobs',
      '2',
    ];
    await promisify(execFile)(process.execPath, args, { cwd: ROOT });
  }

  it('reports scores, roster differences and feedback of graded notebooks, and draws its charts', async () => {
    const solution = readFileSync(TINY_SOLUTION, 'utf8');
    const blank = serializeNotebook(releaseNotebook(JSON.parse(solution)));
    const wrongSum = solution.replace('return t.sum().dataSync()[0]!;', 'return 0;');
    expect(wrongSum).to.not.equal(solution);
    await grade(
      {
        'ada_00-tiny.ipynb': { notebook: solution, submittedAt: '2026-09-07T10:00:00Z' },
        'bob_00-tiny.ipynb': { notebook: blank, submittedAt: '2026-09-07T12:00:00Z' },
        'cy_00-tiny.ipynb': { notebook: 'not a notebook', submittedAt: '2026-09-08T09:00:00Z' },
      },
      'week1',
    );
    await grade({ 'bob_00-tiny.ipynb': { notebook: wrongSum, submittedAt: '2026-09-09T18:00:00Z' } }, 'week2');
    writeFileSync(
      dir.file('roster.csv'),
      'id,name,email\nada,Ada Lovelace,ada@uni.edu\nbob,"Bob, Jr.",bob@uni.edu\neve,Eve,eve@uni.edu\n',
    );

    const summary = await report({
      db: dir.file('g.sqlite'),
      out: dir.file('report.html'),
      roster: dir.file('roster.csv'),
      csv: dir.file('scores.csv'),
    });
    expect(summary).to.include({ learners: 4, assignments: 1, submissions: 3 });
    expect(summary.notInRoster).to.deep.equal(['cy']);
    expect(summary.withoutSubmissions).to.deep.equal(['eve']);
    expect(readFileSync(dir.file('scores.csv'), 'utf8')).to.equal(
      'id,name,email,00-tiny,total\r\n' +
        'ada,Ada Lovelace,ada@uni.edu,5,5\r\n' +
        'bob,"Bob, Jr.",bob@uni.edu,4,4\r\n' +
        'cy,,,0,0\r\n' +
        'eve,Eve,eve@uni.edu,,0\r\n',
    );
    const page = readFileSync(dir.file('report.html'), 'utf8');
    expect(page).to.include(
      '<tr><td>00-tiny</td><td>sumTensor › sums a tensor made by the grader</td><td class="num">1 / 2</td>',
    );
    expect(page).to.match(/<b>sumTensor › sums a tensor made by the grader<\/b>: [^<]+<\/li>/);

    const screenshot = join(ARTIFACTS, 'report-graded.png');
    const visit = await visitReport(dir.file('report.html'), { javaScript: true, screenshot });
    console.log(`      screenshot: ${screenshot}`);
    expectChartsDrawnOffline(visit);
  });
});
