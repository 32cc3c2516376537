import { UsageError } from '../errors';
import { readAssignmentSources } from '../gradebook/queries';
import { DEFAULT_SIMILARITY } from '../similarity/compare';
import { similarityReport, type SimilarityReport } from '../similarity/report';

export interface SimilarityCommandOptions {
  readonly db: string;
  readonly assignment: string;
  /** 0…1; pairs at least this alike are listed */
  readonly threshold?: number;
}

/** `convlab similarity`: pairs of learners whose exercise cells are much alike, from the gradebook. */
export function similarity(options: SimilarityCommandOptions): SimilarityReport {
  const threshold = options.threshold ?? DEFAULT_SIMILARITY.threshold;
  if (!(threshold > 0 && threshold <= 1)) throw new UsageError(`--threshold must be a number above 0 and at most 1, got "${options.threshold}"`);
  const sources = readAssignmentSources(options.db, options.assignment);
  if (sources.cells.length === 0) {
    throw new UsageError(`the gradebook "${options.db}" has no exercise cells of assignment "${options.assignment}"`);
  }
  return similarityReport(options.assignment, sources, { ...DEFAULT_SIMILARITY, threshold });
}
