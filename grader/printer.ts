import { formatCheckReport, type CheckReport } from './commands/check';
import type { ExportSummary } from './commands/export';
import type { GradeOutcome } from './commands/grade';
import { formatDataReport, type DataReport } from '../datasets/course-data/report';
import type { AutograderPackage } from './commands/gradescope';
import { toJsonOutput } from './model/json';
import type { GradingReport } from './model/results';
import { toRunSummary, toScoreTable } from './model/table';
import { exposureNotice } from './sandbox/network';
import { formatSimilarity, type SimilarityReport } from './similarity/report';
import type { WorkerEvent, WorkerSummary } from './queue/worker';

/** What commands return; `print` is the only code that writes results to stdout. */
export type CommandOutput =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'grade'; readonly outcome: GradeOutcome; readonly json: boolean }
  | { readonly kind: 'release-check'; readonly drift: readonly string[] }
  | { readonly kind: 'check'; readonly report: CheckReport }
  | { readonly kind: 'demo'; readonly report: GradingReport; readonly db: string }
  | { readonly kind: 'data'; readonly report: DataReport }
  | { readonly kind: 'gradescope'; readonly package: AutograderPackage }
  | { readonly kind: 'export'; readonly export: ExportSummary }
  | { readonly kind: 'similarity'; readonly report: SimilarityReport; readonly json: boolean }
  | { readonly kind: 'worker'; readonly summary: WorkerSummary }
  | { readonly kind: 'worker-event'; readonly event: WorkerEvent };

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** One line of a worker's log per event. */
function formatWorkerEvent(event: WorkerEvent): string {
  switch (event.kind) {
    case 'listening':
      return [`worker ${event.worker} waiting for submissions on ${event.queue} (course ${event.root}, ${event.jobs} at a time)`,
        exposureNotice(event.network)].filter(Boolean).join('\n');
    case 'ran':
      return `ran ${event.assignment} of ${event.student} in ${seconds(event.durationMs)}${event.termination !== undefined ? ` (${event.termination})` : ''}`;
    case 'refused':
      return `refused ${event.assignment} of ${event.student}: ${event.reason}`;
    case 'failed':
      return `failed ${event.assignment} of ${event.student}: ${event.reason}`;
    case 'connection':
      return `connection: ${event.message}`;
  }
}

/** The run's summary, text or --json; a run whose submission code had network says so once, at the end. */
function formatGrade(outcome: GradeOutcome, json: boolean): string {
  const notice = exposureNotice(outcome.network);
  if (json) return JSON.stringify({ ...toJsonOutput(outcome.reports, outcome.skipped), ...(notice ? { network: outcome.network } : {}) }, null, 2);
  const summary = toRunSummary(outcome.reports, outcome.skipped);
  return notice ? `${summary}\n\n${notice}` : summary;
}

export function render(output: CommandOutput): string {
  switch (output.kind) {
    case 'text':
      return output.text;
    case 'grade':
      return formatGrade(output.outcome, output.json);
    case 'release-check':
      return output.drift.length === 0 ? 'notebooks/ is in sync with solutions/'
        : `notebooks/ is out of sync with solutions/ (run convlab release):\n${output.drift.map((file) => `  ${file}`).join('\n')}`;
    case 'check':
      return formatCheckReport(output.report);
    case 'demo':
      return `${toScoreTable(output.report)}\n\ngradebook: ${output.db}\nreport on it: convlab report --db ${output.db}`;
    case 'data':
      return formatDataReport(output.report);
    case 'gradescope':
      return `Gradescope autograder for ${output.package.assignment}: ${output.package.out} `
        + `(${output.package.entries.length} files, ${(output.package.bytes / 1024).toFixed(0)} KiB; upload it as the assignment's autograder)`;
    case 'export': {
      const { out, format, learners, withoutSubmission, notInRoster } = output.export;
      const lines = [`${format} grades for ${learners} learners written to ${out} (${withoutSubmission} without a submission)`];
      if (notInRoster.length > 0) lines.push(`not in the roster, left out: ${notInRoster.join(', ')}`);
      return lines.join('\n');
    }
    case 'similarity':
      return output.json ? JSON.stringify(output.report, null, 2) : formatSimilarity(output.report);
    case 'worker':
      return `worker ${output.summary.worker} stopped: ran ${output.summary.ran} submissions, refused ${output.summary.refused}`;
    case 'worker-event':
      return formatWorkerEvent(output.event);
  }
}

export function print(output: CommandOutput): void {
  process.stdout.write(`${render(output)}\n`);
}
