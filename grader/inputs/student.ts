import { basename, dirname, extname } from 'node:path/posix';

/**
 * The student id of a submission path (posix separators): `<student>_<assignment>.ipynb`, else the folder of
 * `<student>/<assignment>.ipynb`, else the file name; `fallback` names a notebook at the root of an archive.
 */
export function studentIdOf(path: string, assignment: string, fallback?: string): string {
  const file = basename(path, extname(path));
  const suffix = `_${assignment}`;
  if (file.endsWith(suffix) && file.length > suffix.length) return file.slice(0, -suffix.length);
  if (file === assignment) {
    const folder = basename(dirname(path));
    if (folder !== '' && folder !== '.' && folder !== '/') return folder;
    if (fallback !== undefined) return fallback;
  }
  return file;
}
