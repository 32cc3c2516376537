import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, extname, join, relative, sep } from 'node:path';
import { UsageError } from '../errors';
import { studentIdOf } from './student';
import { readArchive } from './zip';

/** One submission to grade: where it came from, whose it is, and how to get its bytes. */
export interface SubmissionSource {
  /** a path, or `archive.zip:entry/name.ipynb` */
  readonly label: string;
  readonly student: string;
  readonly modifiedAt: Date;
  /** the file's bytes; rejects with the reason an archive entry was refused */
  readonly read: () => Promise<Buffer>;
}

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

/** A submission that cannot be graded, for a reason known before reading it. */
const refusedSource = (label: string, student: string, modifiedAt: Date, reason: string): SubmissionSource =>
  ({ label, student, modifiedAt, read: () => Promise.reject(new Error(reason)) });

/** Student folders (direct children of a submissions folder) holding no file at all: a learner who sent nothing. */
function emptyStudentFolders(dir: string): SubmissionSource[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !isHidden(entry.name) && walk(join(dir, entry.name)).length === 0)
    .map((entry) => {
      const path = join(dir, entry.name);
      return refusedSource(`${path}${sep}`, entry.name, statSync(path).mtime, `empty folder: "${path}" holds no notebook`);
    });
}

/** Two submissions for one student are ambiguous: both are refused, each naming the other, and none is graded. */
function refuseDuplicates(sources: readonly SubmissionSource[]): SubmissionSource[] {
  const byStudent = new Map<string, SubmissionSource[]>();
  for (const source of sources) byStudent.set(source.student, [...byStudent.get(source.student) ?? [], source]);
  return sources.map((source) => {
    const others = byStudent.get(source.student)!.filter((other) => other !== source);
    if (others.length === 0) return source;
    const reason = `duplicate student id "${source.student}": also submitted as ${others.map((other) => `"${other.label}"`).join(', ')}`;
    return refusedSource(source.label, source.student, source.modifiedAt, reason);
  });
}

const fileSource = (path: string, student: string): SubmissionSource =>
  ({ label: path, student, modifiedAt: statSync(path).mtime, read: () => readFile(path) });

async function archiveSources(path: string, assignment: string): Promise<SubmissionSource[]> {
  const archiveName = basename(path, extname(path));
  // Every file in an archive is a candidate: a stray non-notebook is reported, not silently ignored.
  const entries = await readArchive(path, (name) => !name.split('/').some(isHidden));
  return entries.map((entry) => ({
    label: `${path}:${entry.name}`,
    student: studentIdOf(entry.name, assignment, archiveName),
    modifiedAt: entry.modifiedAt,
    read: () => (entry.content instanceof Error ? Promise.reject(entry.content) : Promise.resolve(entry.content)),
  }));
}

/**
 * Expands the command line's paths into submissions: notebooks, folders of notebooks (recursively), and zip archives
 * of either. A path that does not exist is a usage error quoting it.
 */
export async function collectSubmissions(paths: readonly string[], assignment: string): Promise<SubmissionSource[]> {
  const sources: SubmissionSource[] = [];
  for (const path of paths) {
    if (!existsSync(path)) throw new UsageError(`no such file or folder: "${path}"`);
    const isFolder = statSync(path).isDirectory();
    for (const file of isFolder ? walk(path) : [path]) {
      const kind = extname(file).toLowerCase();
      if (kind === '.zip') sources.push(...await archiveSources(file, assignment));
      else if (kind === '.ipynb') {
        const inFolder = isFolder ? relative(path, file).split(sep).join('/') : file;
        sources.push(fileSource(file, studentIdOf(inFolder, assignment, isFolder ? basename(path) : undefined)));
      } else if (!isFolder) {
        throw new UsageError(`not a notebook or zip archive: "${path}" (expected .ipynb, .zip or a folder)`);
      }
    }
    if (isFolder && sources.length > 0) sources.push(...emptyStudentFolders(path));
  }
  return refuseDuplicates(sources);
}
