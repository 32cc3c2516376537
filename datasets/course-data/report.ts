/** What `npm run data` returns, and how it reads (kept apart from index.ts so printing loads no TensorFlow.js). */
import type { FolderState } from '../../src/core/store';

export type DataItemName = 'photos' | 'backbone';

export interface DataItemState {
  readonly item: DataItemName;
  /** `installed`: fetched or imported by this run; `kept`: already there and verified, left as it was. */
  readonly state: FolderState | 'installed' | 'kept';
  readonly folder: string;
}

export interface DataReport {
  readonly mode: 'check' | 'fetch' | 'import';
  readonly cacheDir: string;
  readonly items: readonly DataItemState[];
}

const LABEL: Record<DataItemName, string> = { photos: 'ants-vs-bees photos', backbone: 'MobileNet v1 backbone' };

function describeState(state: DataItemState['state']): string {
  if (typeof state === 'object') return `damaged: ${state.problem} (run npm run data to fetch it again)`;
  return { verified: 'present, verified', missing: 'missing (run npm run data)', installed: 'installed, verified', kept: 'already present, verified' }[state];
}

export function formatDataReport(report: DataReport): string {
  const width = Math.max(...report.items.map((item) => LABEL[item.item].length));
  return [
    `cache: ${report.cacheDir}`,
    ...report.items.map((item) => `  ${LABEL[item.item].padEnd(width)}  ${describeState(item.state)}${item.state === 'missing' ? '' : `  ${item.folder}`}`),
  ].join('\n');
}

/** For --check: 1 unless everything is present and verified. */
export function dataExitCode(report: DataReport): number {
  return report.items.every((item) => item.state !== 'missing' && typeof item.state !== 'object') ? 0 : 1;
}
