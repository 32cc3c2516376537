/**
 * `convlab report`: reads a gradebook (and a roster), writes a self-contained HTML report and optionally the LMS
 * scores CSV, and returns what it wrote. Printing is the CLI's job.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { buildCharts } from '../report/charts';
import { loadChartRuntime } from '../report/chart-runtime';
import { readCohortSources, readGradebook } from '../gradebook/queries';
import { similarityReport } from '../similarity/report';
import { renderReportPage } from '../report/html';
import { buildCohortReport } from '../report/model';
import { resolveReportOptions, type ReportOptions } from '../report/options';
import { readRoster } from '../report/roster';
import { formatScoresCsv } from '../report/scores-csv';

export { REPORT_DEFAULTS, parseSince, resolveReportOptions, type ReportOptions } from '../report/options';

export interface ReportSummary {
  /** The HTML report's path and size. */
  readonly out: string;
  readonly bytes: number;
  /** The scores CSV's path, when one was written. */
  readonly csv: string | null;
  readonly learners: number;
  readonly assignments: number;
  /** Current attempts: one per learner × assignment submitted. */
  readonly submissions: number;
  readonly atRisk: number;
  readonly notInRoster: readonly string[];
  readonly withoutSubmissions: readonly string[];
}

export async function report(options: ReportOptions): Promise<ReportSummary> {
  const resolved = resolveReportOptions(options);
  const roster = resolved.roster === null ? null : await readRoster(resolved.roster);
  const snapshot = readGradebook(resolved.db, resolved.since);
  const sources = readCohortSources(resolved.db, resolved.since);
  const cohort = buildCohortReport({
    snapshot,
    similarity: [...sources].map(([assignment, cells]) => similarityReport(assignment, cells)),
    roster,
    since: resolved.since,
    generatedAt: resolved.now.toISOString(),
    policy: resolved.policy,
  });
  const page = renderReportPage(cohort, buildCharts(cohort), await loadChartRuntime());
  await writeOutput(resolved.out, page);
  if (resolved.csv !== null) await writeOutput(resolved.csv, formatScoresCsv(cohort));
  return {
    out: resolved.out,
    bytes: Buffer.byteLength(page),
    csv: resolved.csv,
    learners: cohort.learners.length,
    assignments: cohort.assignments.length,
    submissions: snapshot.attempts.length,
    atRisk: cohort.atRisk.length,
    notInRoster: cohort.roster.notInRoster,
    withoutSubmissions: cohort.roster.withoutSubmissions,
  };
}

/** The lines the CLI prints after a report. */
export function formatReportSummary(summary: ReportSummary): string {
  const lines = [
    `Wrote ${summary.out} (${(summary.bytes / 1024).toFixed(1)} KiB): ${summary.learners} learners, ` +
      `${summary.assignments} assignments, ${summary.submissions} current submissions, ${summary.atRisk} at risk.`,
  ];
  if (summary.csv !== null) lines.push(`Wrote ${summary.csv}: one row per learner.`);
  if (summary.notInRoster.length > 0) lines.push(`Not in the roster: ${summary.notInRoster.join(', ')}`);
  if (summary.withoutSubmissions.length > 0)
    lines.push(`In the roster without submissions: ${summary.withoutSubmissions.join(', ')}`);
  return lines.join('\n');
}

async function writeOutput(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
}
