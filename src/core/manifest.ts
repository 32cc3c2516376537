import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** One file of a data folder, as published: path relative to the folder ('/'-separated), size and SHA-256 (hex). */
export interface ManifestEntry {
  path: string;
  size: number;
  sha256: string;
}

/**
 * What a data folder holds. `complete`: the folder holds exactly these files; otherwise these are the files whose
 * hash is pinned and others may sit beside them (a model whose every file's hash is not known).
 */
export interface Manifest {
  complete: boolean;
  files: ManifestEntry[];
}

export interface ManifestDifference {
  missing: string[];
  extra: string[];
  changed: string[];
}

export function sha256OfFile(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Every regular file under `dir`, relative and '/'-separated, sorted. */
export function listFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

/** The manifest of what `dir` holds now (the script that writes the shipped manifests uses it). */
export function manifestOf(dir: string): Manifest {
  const files = listFiles(dir).map((file) => {
    const full = path.join(dir, file);
    return { path: file, size: fs.statSync(full).size, sha256: sha256OfFile(full) };
  });
  return { complete: true, files };
}

/** How `dir` differs from `manifest`; the size is compared first so a wrong file is usually found without hashing. */
export function compareWithManifest(dir: string, manifest: Manifest): ManifestDifference {
  const present = new Set(listFiles(dir));
  const difference: ManifestDifference = { missing: [], extra: [], changed: [] };
  for (const entry of manifest.files) {
    if (!present.delete(entry.path)) {
      difference.missing.push(entry.path);
      continue;
    }
    const full = path.join(dir, entry.path);
    if (fs.statSync(full).size !== entry.size || sha256OfFile(full) !== entry.sha256) difference.changed.push(entry.path);
  }
  if (manifest.complete) difference.extra.push(...present);
  return difference;
}

export function isSame(difference: ManifestDifference): boolean {
  return difference.missing.length + difference.extra.length + difference.changed.length === 0;
}

const NAMED = 3;

function someOf(label: string, files: string[]): string[] {
  if (files.length === 0) return [];
  const more = files.length > NAMED ? ` and ${files.length - NAMED} more` : '';
  return [`${files.length} ${label} (${files.slice(0, NAMED).join(', ')}${more})`];
}

/** "2 changed (train/ants/a.jpg, …), 1 missing (…)", for one-line errors. */
export function describeDifference(difference: ManifestDifference): string {
  return [
    ...someOf('changed', difference.changed),
    ...someOf('missing', difference.missing),
    ...someOf('unexpected', difference.extra),
  ].join(', ');
}
