import { writeWhole } from '../export/write-whole';
import { autograderEntries } from '../gradescope/package';
import { zipArchive } from '../gradescope/zip';

export interface GradescopeOptions {
  readonly root: string;
  readonly assignment: string;
  readonly out: string;
}

/** What was packed: the zip's path, its entries and size, for the printer. */
export interface AutograderPackage {
  readonly out: string;
  readonly assignment: string;
  readonly entries: readonly string[];
  readonly bytes: number;
}

/** `convlab gradescope`: builds the autograder zip for one assignment (solutions left out; the release is made here). */
export async function gradescope(options: GradescopeOptions): Promise<AutograderPackage> {
  const entries = await autograderEntries({ root: options.root }, options.assignment);
  const zip = await zipArchive(entries);
  writeWhole(options.out, zip);
  return { out: options.out, assignment: options.assignment, entries: entries.map((entry) => entry.name), bytes: zip.length };
}
