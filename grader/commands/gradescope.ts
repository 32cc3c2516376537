import { cacheDirectory } from '../../src/core/cache';
import { writeWhole } from '../export/write-whole';
import { courseDataEntries } from '../gradescope/course-data';
import { autograderEntries } from '../gradescope/package';
import { zipArchive } from '../gradescope/zip';

export interface GradescopeOptions {
  readonly root: string;
  readonly assignment: string;
  readonly out: string;
  /** carry the course data from the data cache (`$CONVLAB_CACHE`, else `~/.cache/convlab`), checked as `convlab data` does */
  readonly withData: boolean;
}

/** What was packed: the zip's path, its entries and size, for the printer. */
export interface AutograderPackage {
  readonly out: string;
  readonly assignment: string;
  readonly entries: readonly string[];
  readonly bytes: number;
}

/** `convlab gradescope`: builds the autograder zip for one assignment (solutions left out; the release is made here), with the course data on request. */
export async function gradescope(options: GradescopeOptions): Promise<AutograderPackage> {
  // The data is checked first: a refusal comes before the minutes spent compiling the cells.
  const data = options.withData ? courseDataEntries(cacheDirectory()) : [];
  const entries = await autograderEntries({ root: options.root }, options.assignment, data);
  const zip = await zipArchive(entries);
  writeWhole(options.out, zip);
  return { out: options.out, assignment: options.assignment, entries: entries.map((entry) => entry.name), bytes: zip.length };
}
