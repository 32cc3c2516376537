import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'chai';
import { formatReportSummary, report } from '../../../grader/commands/report';
import { UsageError } from '../../../grader/errors';
import { buildCharts } from '../../../grader/report/charts';
import { readGradebook } from '../../../grader/gradebook/queries';
import { buildCohortReport } from '../../../grader/report/model';
import { COHORT_ATTEMPTS, COHORT_ROSTER, GENERATED_AT } from '../../support/cohort-fixture';
import { graded, makeTempDir, writeGradebook, type TempDir } from '../../support/gradebook-fixture';

const NOW = new Date(GENERATED_AT);
const ROSTER_CSV =
  'id,name,email\n' + COHORT_ROSTER.map((entry) => `${entry.id},"${entry.name}",${entry.email}`).join('\n') + '\n';

describe('convlab report', () => {
  let dir: TempDir;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => dir.remove());

  it('writes the HTML report and the scores CSV (creating folders) and returns what it wrote', async () => {
    writeGradebook(dir.file('g.sqlite'), COHORT_ATTEMPTS);
    writeFileSync(dir.file('roster.csv'), ROSTER_CSV);
    const summary = await report({
      db: dir.file('g.sqlite'),
      out: dir.file('out/report.html'),
      csv: dir.file('out/scores.csv'),
      roster: dir.file('roster.csv'),
      now: NOW,
    });
    const page = readFileSync(dir.file('out/report.html'), 'utf8');
    expect(summary).to.deep.equal({
      out: dir.file('out/report.html'),
      bytes: Buffer.byteLength(page),
      csv: dir.file('out/scores.csv'),
      learners: 4,
      assignments: 3,
      submissions: 7,
      atRisk: 3,
      notInRoster: ['cy'],
      withoutSubmissions: ['dee'],
    });
    expect(readFileSync(dir.file('out/scores.csv'), 'utf8')).to.match(
      /^id,name,email,01-intro,02-conv,03-pool,total\r\n/,
    );
    expect(formatReportSummary(summary).split('\n').slice(1)).to.deep.equal([
      `Wrote ${dir.file('out/scores.csv')}: one row per learner.`,
      'Not in the roster: cy',
      'In the roster without submissions: dee',
    ]);
  });

  it('shows raw score, penalty and final score of late work in the page and the scores CSV', async () => {
    writeGradebook(dir.file('g.sqlite'), [
      { ...graded('ada', '01-intro', '2026-09-09T10:00:00.000Z', 4), penalty: 1 },
      graded('bob', '01-intro', '2026-09-07T10:00:00.000Z', 2),
    ]);
    await report({ db: dir.file('g.sqlite'), out: dir.file('r.html'), csv: dir.file('s.csv'), now: NOW });
    expect(readFileSync(dir.file('s.csv'), 'utf8')).to.equal(
      'id,name,email,01-intro,total,01-intro raw,01-intro penalty\r\nada,,,3,3,4,1\r\nbob,,,2,2,2,0\r\n');
    expect(readFileSync(dir.file('r.html'), 'utf8')).to.include('>3 = 4 − 1 late</td>');
  });

  it('builds a self-contained page: inlined scripts, no external resources, a table beside every chart', async () => {
    writeGradebook(dir.file('g.sqlite'), COHORT_ATTEMPTS);
    await report({ db: dir.file('g.sqlite'), out: dir.file('r.html'), now: NOW });
    const page = readFileSync(dir.file('r.html'), 'utf8');
    // The Vega bundles mention URLs in code; the page's own markup and style must not load any.
    const markup = page.replace(/<script>[\s\S]*?<\/script>/g, '<script></script>');
    expect(markup.match(/<script>/g)).to.have.length(3);
    expect(markup).to.not.match(/<(script|img|iframe)[^>]+src=|<link[^>]+href=|@import|url\(/i);
    expect(page).to.include(`content="default-src 'none';`);
    const chartIds = [...page.matchAll(/<div class="chart" id="chart-([a-z]+)"/g)].map((match) => match[1]);
    expect(chartIds).to.deep.equal(['heatmap', 'distribution', 'completion', 'tests', 'progress']);
    expect(page.match(/<details class="chart-data" open>/g)).to.have.length(4);
    expect(page).to.include('<td class="m">missing</td>').and.include('<td class="i">invalid (0)</td>');
    expect(page).to.include('No roster given (<code>--roster</code>)');
  });

  it('escapes learner ids, test names and feedback from the gradebook everywhere', async () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const feedback = '</script><script>alert(2)</script> & "quotes"';
    writeGradebook(dir.file('g.sqlite'), [
      {
        ...graded(hostile, '01-intro', '2026-09-07T10:00:00Z', 1),
        tests: [{ name: 'a <b>bold</b> test', status: 'failed', score: 0, maxScore: 1, feedback }],
      },
    ]);
    await report({ db: dir.file('g.sqlite'), out: dir.file('r.html'), now: NOW });
    const page = readFileSync(dir.file('r.html'), 'utf8');
    expect(page).to.not.include(hostile).and.not.include('<script>alert(2)').and.not.include('<b>bold</b>');
    expect(page).to.include('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).to.include('&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(page).to.include('\\u003cimg src=x onerror=alert(1)\\u003e');
  });

  it('says so clearly on an empty gradebook, and still lists the roster', async () => {
    writeGradebook(dir.file('g.sqlite'), []);
    writeFileSync(dir.file('roster.csv'), ROSTER_CSV);
    const summary = await report({
      db: dir.file('g.sqlite'),
      out: dir.file('r.html'),
      roster: dir.file('roster.csv'),
      now: NOW,
    });
    const page = readFileSync(dir.file('r.html'), 'utf8');
    expect(page).to.include(
      '<p class="empty" id="empty-message">The gradebook has no submissions yet: grade some with &quot;convlab grade&quot;, then build the report again.</p>',
    );
    expect(page).to.include('<ul id="without-submissions"><li>ada</li><li>bob</li><li>dee</li></ul>');
    expect(page).to.not.include('<script');
    expect(page.trimEnd()).to.match(/^<!doctype html>[\s\S]*<\/html>$/);
    expect(summary).to.include({ learners: 3, assignments: 0, submissions: 0, atRisk: 0 });
  });

  it('names the date on an empty report for --since', async () => {
    writeGradebook(dir.file('g.sqlite'), COHORT_ATTEMPTS);
    await report({ db: dir.file('g.sqlite'), out: dir.file('r.html'), since: '2027-01-01', now: NOW });
    expect(readFileSync(dir.file('r.html'), 'utf8')).to.include(
      'The gradebook has no submissions since 2027-01-01 00:00 UTC.',
    );
  });

  it('reports a single learner', async () => {
    writeGradebook(dir.file('g.sqlite'), [graded('solo', '01-intro', '2026-09-07T10:00:00Z', 3)]);
    const summary = await report({ db: dir.file('g.sqlite'), out: dir.file('r.html'), now: NOW });
    expect(summary).to.include({ learners: 1, assignments: 1, submissions: 1, atRisk: 0 });
    expect(readFileSync(dir.file('r.html'), 'utf8')).to.include('1 learner, 1 assignment, all submissions.');
  });

  const inputErrors: [string, (dir: TempDir) => Parameters<typeof report>[0], (dir: TempDir) => string][] = [
    [
      'a missing gradebook',
      (d) => ({ db: d.file('none.sqlite'), out: d.file('r.html') }),
      (d) => `Gradebook not found: "${d.file('none.sqlite')}" (convlab grade writes it, by default to `
        + '.convlab/gradebook.sqlite in the folder it runs in; pass the file to grade and report with --db)',
    ],
    [
      'a roster without a name column',
      (d) => {
        writeFileSync(d.file('roster.csv'), 'id,email\nada,ada@uni.edu\n');
        return { db: d.file('g.sqlite'), out: d.file('r.html'), roster: d.file('roster.csv') };
      },
      (d) => `Roster "${d.file('roster.csv')}": missing column "name" (header is "id,email"; `
        + 'expected "id,name" with "email" optional, or a Canvas gradebook export)',
    ],
    [
      'an unreadable --since',
      (d) => ({ db: d.file('g.sqlite'), out: d.file('r.html'), since: 'last week' }),
      () => '--since: expected a date like 2026-09-01 or 2026-09-01T09:00:00Z, got "last week"',
    ],
  ];
  for (const [what, options, message] of inputErrors) {
    it(`rejects ${what} as an input error, writing nothing`, async () => {
      writeGradebook(dir.file('g.sqlite'), COHORT_ATTEMPTS);
      let caught: unknown;
      await report(options(dir)).catch((error: unknown) => (caught = error));
      expect(caught).to.be.instanceOf(UsageError);
      expect((caught as Error).message).to.equal(message(dir));
      expect(existsSync(dir.file('r.html'))).to.equal(false);
    });
  }

  it('draws every chart with the real Vega-Lite and Vega, without warnings', async () => {
    writeGradebook(dir.file('g.sqlite'), COHORT_ATTEMPTS);
    const cohort = buildCohortReport({
      snapshot: readGradebook(dir.file('g.sqlite')),
      roster: COHORT_ROSTER,
      since: null,
      generatedAt: GENERATED_AT,
      policy: { belowAverage: 0.5, latestAssignments: 2 },
    });
    const vegaLite = await import('vega-lite');
    const vega = await import('vega');
    for (const chart of buildCharts(cohort)) {
      const warnings: string[] = [];
      const logger = {
        level: () => logger,
        error: (...args: unknown[]) => warnings.push(args.join(' ')),
        warn: (...args: unknown[]) => warnings.push(args.join(' ')),
        info: () => logger,
        debug: () => logger,
      };
      const compiled = vegaLite.compile(chart.spec, { logger: logger as never });
      const view = new vega.View(vega.parse(compiled.spec), { renderer: 'none' });
      view.logger({ ...logger, level: () => 0 } as never);
      const svg = await view.toSVG();
      view.finalize();
      expect(warnings, chart.id).to.deep.equal([]);
      expect(svg, chart.id).to.match(/^<svg[\s\S]*<path/);
    }
  });
});
