import { expect } from 'chai';
import { UsageError } from '../../../grader/errors';
import { parseSince, REPORT_DEFAULTS, resolveReportOptions } from '../../../grader/report/options';

describe('report options', () => {
  it('fills defaults for everything but --db and --out', () => {
    const now = new Date('2026-10-01T12:00:00Z');
    expect(resolveReportOptions({ db: 'g.sqlite', out: 'r.html', now })).to.deep.equal({
      db: 'g.sqlite',
      out: 'r.html',
      roster: null,
      csv: null,
      since: null,
      policy: { belowAverage: REPORT_DEFAULTS.atRiskBelow, latestAssignments: REPORT_DEFAULTS.latestAssignments },
      now,
    });
  });

  const sinceValues: [string, string][] = [
    ['2026-09-01', '2026-09-01T00:00:00.000Z'],
    ['2026-09-01T09:30', '2026-09-01T09:30:00.000Z'],
    ['2026-09-01T09:30:15Z', '2026-09-01T09:30:15.000Z'],
    ['2026-09-01T09:30:15.250+02:00', '2026-09-01T07:30:15.250Z'],
  ];
  for (const [value, instant] of sinceValues) {
    it(`reads --since ${value} as ${instant}`, () => {
      expect(parseSince(value)).to.equal(instant);
    });
  }

  for (const value of ['yesterday', '2026-02-30', '2026-13-01', '01/09/2026', '2026-09-01Z', '']) {
    it(`rejects --since ${JSON.stringify(value)} quoting it`, () => {
      expect(() => parseSince(value)).to.throw(
        UsageError,
        `--since: expected a date like 2026-09-01 or 2026-09-01T09:00:00Z, got ${JSON.stringify(value)}`,
      );
    });
  }

  const invalid: [string, Parameters<typeof resolveReportOptions>[0], string][] = [
    ['an empty --db', { db: ' ', out: 'r.html' }, '--db: expected a file path, got " "'],
    ['an empty --out', { db: 'g.sqlite', out: '' }, '--out: expected a file path, got ""'],
    [
      '--out over the gradebook',
      { db: 'g.sqlite', out: './g.sqlite' },
      '--out: "./g.sqlite" is the gradebook itself (--db)',
    ],
    [
      '--csv over the gradebook',
      { db: 'g.sqlite', out: 'r.html', csv: 'g.sqlite' },
      '--csv: "g.sqlite" is the gradebook itself (--db)',
    ],
    [
      '--csv over the report',
      { db: 'g.sqlite', out: 'r.html', csv: 'r.html' },
      '--csv: "r.html" is also the HTML report (--out)',
    ],
    [
      'a threshold above 1',
      { db: 'g.sqlite', out: 'r.html', atRiskBelow: 50 },
      'at-risk threshold: expected a fraction between 0 and 1, got 50',
    ],
    [
      'a fractional assignment count',
      { db: 'g.sqlite', out: 'r.html', latestAssignments: 1.5 },
      'latest assignments: expected a whole number of assignments (0 or more), got 1.5',
    ],
  ];
  for (const [what, options, message] of invalid) {
    it(`rejects ${what}`, () => {
      expect(() => resolveReportOptions(options)).to.throw(UsageError, message);
    });
  }
});
