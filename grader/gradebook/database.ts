/** Opening a gradebook file: every way it can be unusable becomes one GradebookError that names the file. */
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { GradebookError, messageOf } from '../errors';
import { MIGRATE_TO_V4_SQL, MIGRATE_TO_V5_SQL, MIGRATE_V1_TO_V2_SQL, SCHEMA_SQL, SCHEMA_VERSION } from './schema';

/** Runs `action`, turning SQLite's and the file system's errors into a GradebookError about `path`. */
function about<T>(path: string, doing: string, action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof GradebookError) throw error;
    const message = messageOf(error);
    if (/file is not a database|malformed/i.test(message)) throw new GradebookError(`Gradebook "${path}" is not an SQLite database: ${message}`);
    throw new GradebookError(`Gradebook "${path}" cannot be ${doing}: ${message}`);
  }
}

/** The schema version the file holds: 0 for an empty database, otherwise from meta (tables checked first). */
function schemaVersionOf(db: Database.Database, path: string): number {
  const tables = new Set(db.prepare<[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table'`).all().map((row) => row.name));
  if (tables.size === 0) return 0;
  for (const table of ['submissions', 'test_results']) {
    if (!tables.has(table)) throw new GradebookError(`Gradebook "${path}" has no "${table}" table: is it a convlab gradebook?`);
  }
  const stored = tables.has('meta')
    ? db.prepare<[], { value: string }>(`SELECT value FROM meta WHERE key = 'schema_version'`).get()
    : undefined;
  // The first gradebooks were version 1 before meta existed.
  const version = stored === undefined ? 1 : Number(stored.value);
  if (!Number.isInteger(version) || version < 1 || version > SCHEMA_VERSION) {
    throw new GradebookError(
      `Gradebook "${path}" has schema version ${JSON.stringify(stored?.value)}; this convlab reads versions 1 to ${SCHEMA_VERSION}`);
  }
  return version;
}

const hasColumn = (db: Database.Database, table: string, column: string): boolean =>
  (db.pragma(`table_info(${table})`) as { name: string }[]).some((info) => info.name === column);

export interface OpenedGradebook {
  readonly db: Database.Database;
  readonly version: number;
}

/** Opens an existing gradebook read-only, for reports: nothing is migrated or written. */
export function openForReading(path: string): OpenedGradebook {
  if (!existsSync(path)) {
    throw new GradebookError(`Gradebook not found: "${path}" (convlab grade writes it, by default to .convlab/gradebook.sqlite `
      + 'in the folder it runs in; pass the file to grade and report with --db)');
  }
  const db = about(path, 'opened', () => new Database(path, { readonly: true, fileMustExist: true }));
  try {
    const version = about(path, 'read', () => schemaVersionOf(db, path));
    if (version === 0) throw new GradebookError(`Gradebook "${path}" has no "submissions" table: is it a convlab gradebook?`);
    return { db, version };
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Opens a gradebook for writing, creating it (and its folder) if needed and migrating an older version in place.
 * WAL mode, so a killed run leaves only committed attempts.
 */
export function openForWriting(path: string): Database.Database {
  // root ignores file permissions; a gradebook the instructor made read-only is still not ours to change.
  if (existsSync(path) && (statSync(path).mode & 0o222) === 0) throw new GradebookError(`Gradebook "${path}" is read-only`);
  about(path, 'created', () => mkdirSync(dirname(path), { recursive: true }));
  if (existsSync(path)) about(path, 'written', () => accessSync(path, constants.R_OK | constants.W_OK));
  const db = about(path, 'opened', () => new Database(path));
  try {
    about(path, 'written', () => {
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 10000');
      const version = schemaVersionOf(db, path);
      if (version === 1) {
        // Foreign keys must be off while the table a foreign key points at is rebuilt (SQLite's documented recipe).
        db.pragma('foreign_keys = OFF');
        db.transaction(() => {
          db.exec(MIGRATE_V1_TO_V2_SQL);
          const broken = db.pragma('foreign_key_check') as unknown[];
          if (broken.length > 0) throw new Error(`migration left ${broken.length} test rows without their attempt`);
        })();
      }
      // By the column, not the version: a version-1 file rebuilt by a run killed before it wrote version 4 has it.
      if (version > 0 && !hasColumn(db, 'submissions', 'outside_failures')) db.transaction(() => db.exec(MIGRATE_TO_V4_SQL))();
      if (version > 0 && !hasColumn(db, 'submissions', 'toolchain_hash')) db.transaction(() => db.exec(MIGRATE_TO_V5_SQL))();
      db.pragma('foreign_keys = ON');
      db.exec(SCHEMA_SQL);
      // Versions 1 to 5 (once rebuilt or given the columns) lack only tables SCHEMA_SQL creates: the file is now the current version.
      db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run('schema_version', String(SCHEMA_VERSION));
    });
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
