import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GradingReport } from '../model/results';
import { normalizeGradeOptions } from '../options';
import { projectPath } from '../paths';
import { grade, type GradeProgress } from './grade';

/** The bundled example course: one assignment, its hidden tests, and a few fake students' submissions. */
export const EXAMPLE_ROOT = projectPath('examples');
export const EXAMPLE_ASSIGNMENT = '00-warmup';

/** `convlab demo`: grades `examples/submissions/` into a fresh temporary gradebook (no network). */
export async function demo(onProgress?: (progress: GradeProgress) => void): Promise<{ report: GradingReport; db: string }> {
  const db = join(mkdtempSync(join(tmpdir(), 'convlab-demo-')), 'gradebook.sqlite');
  const options = normalizeGradeOptions({ paths: [join(EXAMPLE_ROOT, 'submissions')], assignment: EXAMPLE_ASSIGNMENT, root: EXAMPLE_ROOT, db });
  const { reports } = await grade(options, onProgress);
  return { report: reports[0]!, db };
}
