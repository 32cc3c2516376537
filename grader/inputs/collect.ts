import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, sep } from 'node:path';
import { UsageError } from '../errors';
import { assignmentOf } from '../notebook/match';
import { openNotebook } from '../notebook/open';
import type { Notebook } from '../notebook/types';
import { archiveOwner, entryPlacement, inOwnFolder, learnerFolders, placementOf, type Placement } from './layout';
import { byteBudget, listArchive, MAX_ENTRY_BYTES, type ByteBudget } from './zip';

/** One submission to grade: where it came from, whose it is, for which assignment, and how to get its bytes. */
export interface SubmissionSource {
  /** a path, or `archive.zip:entry/name.ipynb` */
  readonly label: string;
  readonly student: string;
  readonly assignment: string;
  /** when it was handed in: the archive entry's time, else the file's modification time */
  readonly submittedAt: Date;
  /** the LMS's own late flag, when its download says */
  readonly lmsLate?: boolean;
  /** the file's bytes; rejects with the reason an archive entry was refused */
  readonly read: () => Promise<Buffer>;
}

/** A file found but not graded in this run, and why (another assignment's notebook, say). */
export interface SkippedSubmission {
  readonly label: string;
  readonly reason: string;
}

export interface Collection {
  readonly sources: readonly SubmissionSource[];
  readonly skipped: readonly SkippedSubmission[];
}

/** What collection knows of the course: the assignment asked for (if any) and every assignment's released notebook. */
export interface CollectScope {
  readonly assignment?: string;
  readonly releases: ReadonlyMap<string, Notebook>;
}

/** A file found, before its assignment is settled. */
type Found = Omit<SubmissionSource, 'assignment'> & { readonly assignment?: string };

/** Dot folders (.ipynb_checkpoints) and macOS zip litter; not `..`, which an archive entry must not get past us with. */
const isHidden = (name: string): boolean => /^\.[^.]/.test(name) || name === '__MACOSX';

/** Files under a folder, sorted, skipping hidden folders (.ipynb_checkpoints) */
function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => !isHidden(entry.name))
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? walk(path) : entry.isFile() ? [path] : [];
    });
}

const refuse = <T extends Found>(found: T, reason: string): T => ({ ...found, read: () => Promise.reject(new Error(reason)) });

const placed = (label: string, placement: Placement, submittedAt: Date, read: () => Promise<Buffer>): Found =>
  ({ label, ...placement, submittedAt, read });

/** Student folders (direct children of a submissions folder) holding no file at all: a learner who sent nothing. */
function emptyStudentFolders(dir: string): Found[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !isHidden(entry.name) && walk(join(dir, entry.name)).length === 0)
    .map((entry) => {
      const path = join(dir, entry.name);
      const found = placed(`${path}${sep}`, { student: entry.name }, statSync(path).mtime, () => Promise.resolve(Buffer.alloc(0)));
      return refuse(found, `empty folder: "${path}" holds no notebook`);
    });
}

/** Two submissions for one student and assignment are ambiguous: both are refused, each naming the other. */
function refuseDuplicates(sources: readonly SubmissionSource[]): SubmissionSource[] {
  const key = (source: SubmissionSource): string => `${source.assignment}\u0000${source.student}`;
  const byKey = new Map<string, SubmissionSource[]>();
  for (const source of sources) byKey.set(key(source), [...byKey.get(key(source)) ?? [], source]);
  return sources.map((source) => {
    const others = byKey.get(key(source))!.filter((other) => other !== source);
    if (others.length === 0) return source;
    return refuse(source, `duplicate student id "${source.student}": also submitted as ${others.map((other) => `"${other.label}"`).join(', ')}`);
  });
}

async function archiveFiles(path: string, known: ReadonlySet<string>, owner: Placement | undefined, budget: ByteBudget): Promise<Found[]> {
  const archiveName = basename(path, extname(path));
  // Every file in an archive is a candidate: a stray non-notebook is reported, not silently ignored.
  const entries = await listArchive(path, (name) => !name.split('/').some(isHidden), budget);
  return entries.map((entry) => placed(`${path}:${entry.name}`, entryPlacement(entry.name, known, archiveName, owner), entry.modifiedAt, entry.read));
}

/**
 * Notebooks, folders of notebooks (recursively) and zip archives of either, placed by their names; an archive that is
 * one learner's upload (see archiveOwner) is placed as that learner's whatever its entries are called.
 */
async function findFiles(paths: readonly string[], known: ReadonlySet<string>): Promise<Found[]> {
  const found: Found[] = [];
  const budget = byteBudget();
  for (const path of paths) {
    if (!existsSync(path)) throw new UsageError(`no such file or folder: "${path}"`);
    const isFolder = statSync(path).isDirectory();
    const before = found.length;
    const files = isFolder ? walk(path) : [path];
    const inFolderOf = (file: string): string => relative(path, file).split(sep).join('/');
    // A learner's own folder outranks the names of the files in it (a file in mallory/ named for ada is mallory's).
    const owners = isFolder ? learnerFolders(files.map(inFolderOf), known) : new Set<string>();
    for (const file of files) {
      const kind = extname(file).toLowerCase();
      const inFolder = inFolderOf(file);
      if (kind === '.zip') {
        const owner = archiveOwner(isFolder ? inFolder : basename(file), known, isFolder);
        found.push(...await archiveFiles(file, known, owner && inOwnFolder(owner, inFolder, owners), budget));
      } else if (kind === '.ipynb') {
        // In a folder, its own layout; a single file, by its name and the folder holding it.
        const named = isFolder ? inFolder : `${basename(dirname(file))}/${basename(file)}`;
        const placement = isFolder ? inOwnFolder(placementOf(named, known, basename(path)), inFolder, owners) : placementOf(named, known);
        found.push(placed(file, placement, statSync(file).mtime, () => readFile(file)));
      } else if (!isFolder) {
        throw new UsageError(`not a notebook or zip archive: "${path}" (expected .ipynb, .zip or a folder)`);
      }
    }
    if (isFolder && found.length > before) found.push(...emptyStudentFolders(path));
  }
  return found;
}

/** The assignment a notebook's content names (metadata, else its locked cells); undefined when unreadable or silent. */
async function assignmentInContent(found: Found, releases: ReadonlyMap<string, Notebook>): Promise<string | undefined> {
  if (!found.label.toLowerCase().endsWith('.ipynb')) return undefined;
  try {
    const bytes = await found.read();
    // Too large to be a notebook: the read stage refuses it, naming the limit; not worth parsing here.
    if (bytes.length > MAX_ENTRY_BYTES) return undefined;
    const parsed = JSON.parse(bytes.toString('utf8')) as unknown;
    if (parsed === null || typeof parsed !== 'object') return undefined;
    // Upgraded as grading will (an nbformat 3 notebook's locked cells then match the release's).
    return assignmentOf(openNotebook(parsed).notebook ?? parsed as Notebook, releases);
  } catch {
    return undefined;
  }
}

/**
 * Expands the command line's paths into submissions, each placed by its layout (see docs/course-layouts.md) with its
 * assignment from its name, else its content, else the one asked for. Notebooks of another assignment than the one
 * asked for, or of none in the course, are skipped and listed. A path that does not exist is a usage error quoting it.
 */
export async function collectSubmissions(paths: readonly string[], scope: CollectScope): Promise<Collection> {
  const known = new Set([...scope.releases.keys(), ...scope.assignment !== undefined ? [scope.assignment] : []]);
  const only = scope.assignment ?? (known.size === 1 ? [...known][0] : undefined);
  const sources: SubmissionSource[] = [];
  const skipped: SkippedSubmission[] = [];
  for (const found of await findFiles(paths, known)) {
    const assignment = found.assignment ?? await assignmentInContent(found, scope.releases) ?? only;
    if (assignment === undefined) {
      skipped.push({ label: found.label, reason: `cannot tell which assignment it is (name it <learner>_<assignment>.ipynb or pass --assignment)` });
    } else if (scope.assignment !== undefined && assignment !== scope.assignment) {
      skipped.push({ label: found.label, reason: `assignment ${assignment}, not ${scope.assignment}` });
    } else if (!known.has(assignment)) {
      skipped.push({ label: found.label, reason: `${assignment} is not an assignment of this course` });
    } else {
      sources.push({ ...found, assignment });
    }
  }
  return { sources: refuseDuplicates(sources), skipped };
}
