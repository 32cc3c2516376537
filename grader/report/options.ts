/**
 * `convlab report` options: defaults in one place (the CLI reads them from here) and one validator per option,
 * each quoting the bad value in its error.
 */
import { resolve } from 'node:path';
import type { AtRiskPolicy } from './model';
import { UsageError } from '../errors';

export interface ReportOptions {
  /** The gradebook SQLite file written by `convlab grade`. */
  readonly db: string;
  /** Where to write the HTML report. */
  readonly out: string;
  /** A roster CSV with at least the columns id and name (email optional), or Canvas's gradebook export. */
  readonly roster?: string | null;
  /** Where to write the LMS scores CSV. */
  readonly csv?: string | null;
  /** Ignore attempts submitted before this date (YYYY-MM-DD, or an ISO-8601 date-time; UTC unless a zone is given). */
  readonly since?: string | null;
  /** At-risk threshold on a learner's average, a fraction in [0, 1]. */
  readonly atRiskBelow?: number;
  /** A learner without a valid submission for any of this many latest assignments is at risk. */
  readonly latestAssignments?: number;
  /** The report's "generated" time; tests pin it. */
  readonly now?: Date;
}

export interface ResolvedReportOptions {
  readonly db: string;
  readonly out: string;
  readonly roster: string | null;
  readonly csv: string | null;
  /** Normalized to an ISO-8601 UTC instant. */
  readonly since: string | null;
  readonly policy: AtRiskPolicy;
  readonly now: Date;
}

export const REPORT_DEFAULTS = {
  roster: null,
  csv: null,
  since: null,
  atRiskBelow: 0.5,
  latestAssignments: 2,
} as const;

export function resolveReportOptions(options: ReportOptions): ResolvedReportOptions {
  const {
    db,
    out,
    roster = REPORT_DEFAULTS.roster,
    csv = REPORT_DEFAULTS.csv,
    since = REPORT_DEFAULTS.since,
    atRiskBelow = REPORT_DEFAULTS.atRiskBelow,
    latestAssignments = REPORT_DEFAULTS.latestAssignments,
    now = new Date(),
  } = options;
  validatePath('--db', db);
  validatePath('--out', out);
  if (roster !== null) validatePath('--roster', roster);
  if (csv !== null) validatePath('--csv', csv);
  validateOutputs(db, out, csv);
  return {
    db,
    out,
    roster,
    csv,
    since: since === null ? null : parseSince(since),
    policy: {
      belowAverage: validateAtRiskBelow(atRiskBelow),
      latestAssignments: validateLatestAssignments(latestAssignments),
    },
    now,
  };
}

export function validatePath(option: string, value: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new UsageError(`${option}: expected a file path, got ${JSON.stringify(value)}`);
  }
  return value;
}

// Writing the report over its own gradebook (or the CSV over the report) would destroy data the user meant to keep.
function validateOutputs(db: string, out: string, csv: string | null): void {
  if (resolve(out) === resolve(db)) throw new UsageError(`--out: "${out}" is the gradebook itself (--db)`);
  if (csv === null) return;
  if (resolve(csv) === resolve(db)) throw new UsageError(`--csv: "${csv}" is the gradebook itself (--db)`);
  if (resolve(csv) === resolve(out)) throw new UsageError(`--csv: "${csv}" is also the HTML report (--out)`);
}

const SINCE_FORMAT = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)?(Z|[+-]\d{2}:\d{2})?$/;

/** Parses `--since` into an ISO-8601 UTC instant; a bare date means midnight UTC. */
export function parseSince(value: string): string {
  const match = SINCE_FORMAT.exec(value.trim());
  const invalid = new UsageError(
    `--since: expected a date like 2026-09-01 or 2026-09-01T09:00:00Z, got ${JSON.stringify(value)}`,
  );
  if (match === null) throw invalid;
  const [, date, time, zone] = match as unknown as [string, string, string | undefined, string | undefined];
  if (time === undefined && zone !== undefined) throw invalid;
  const instant = Date.parse(`${date}${time ?? 'T00:00:00'}${zone ?? 'Z'}`);
  // Date.parse rolls 2026-02-30 over to March; a date that does not read back unchanged does not exist.
  if (Number.isNaN(instant) || new Date(Date.parse(`${date}T00:00:00Z`)).toISOString().slice(0, 10) !== date)
    throw invalid;
  return new Date(instant).toISOString();
}

export function validateAtRiskBelow(value: number): number {
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new UsageError(`at-risk threshold: expected a fraction between 0 and 1, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function validateLatestAssignments(value: number): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new UsageError(
      `latest assignments: expected a whole number of assignments (0 or more), got ${JSON.stringify(value)}`,
    );
  }
  return value;
}
