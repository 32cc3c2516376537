import { extname } from 'node:path/posix';

/** Whose a submission file is and, when its naming says so, which assignment it is for. */
export interface Placement {
  readonly student: string;
  readonly assignment?: string;
  /** the LMS marked it late (Canvas's `LATE_`) */
  readonly lmsLate?: boolean;
}

const ASSIGNMENT_NAME = /^\d\d-[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Canvas: `<name>_[LATE_]<user id>_<submission id>_<the learner's file name>` */
const CANVAS_FILE = /^([^_]+)_(LATE_)?(\d+)_(\d+)_(.+)$/;
/** Moodle: one folder per learner, `<Full Name>_<participant id>_assignsubmission_file_/` */
const MOODLE_FOLDER = /^.+_(\d+)_assignsubmission_[a-z]+_$/;
/** `<learner>_<assignment>` */
const LEARNER_ASSIGNMENT = /^(.+)_(\d\d-[a-z0-9]+(?:-[a-z0-9]+)*)$/;

/**
 * The assignment a file or folder name stands for: a course assignment, that name with the `-1` an LMS adds to a
 * resubmission, or any other `NN-name` (another course's, to be skipped rather than graded as a learner).
 */
function assignmentNamed(name: string, known: ReadonlySet<string>): string | undefined {
  if (known.has(name)) return name;
  const resubmitted = name.replace(/-\d+$/, '');
  if (known.has(resubmitted)) return resubmitted;
  return ASSIGNMENT_NAME.test(name) ? name : undefined;
}

/** A path's folders and its file's name without the extension. */
function partsOf(path: string): { folders: string[]; stem: string } {
  const segments = path.split('/').filter((segment) => segment !== '' && segment !== '.');
  const file = segments[segments.length - 1] ?? '';
  return { folders: segments.slice(0, -1), stem: file.slice(0, file.length - extname(file).length) };
}

/**
 * Reads learner and assignment from a submission's path (posix separators, relative to the folder or archive given):
 * Moodle's learner folders, Canvas's file names, `<learner>_<assignment>.ipynb`, then the first folder or file named
 * after an assignment with the learner folder above it (`<learner>/<assignment>.ipynb`, nbgrader's
 * `<learner>/<assignment>/<any>.ipynb`). `fallback` (the folder or archive given) names a learner whose files sit at
 * its top; a file nothing else names is the learner named by the file.
 */
export function placementOf(path: string, known: ReadonlySet<string>, fallback?: string): Placement {
  const { folders, stem } = partsOf(path);
  const moodle = folders.map((folder) => MOODLE_FOLDER.exec(folder)).find((match) => match !== null);
  if (moodle) return withAssignment({ student: moodle[1]! }, assignmentNamed(stem, known));
  const canvas = CANVAS_FILE.exec(stem);
  if (canvas) {
    const learnerFile = canvas[5]!;
    return withAssignment({ student: canvas[3]!, lmsLate: canvas[2] !== undefined }, assignmentNamed(learnerFile, known));
  }
  const suffixed = LEARNER_ASSIGNMENT.exec(stem);
  if (suffixed) return withAssignment({ student: suffixed[1]! }, assignmentNamed(suffixed[2]!, known));
  const names = [...folders, stem];
  const at = names.findIndex((name) => assignmentNamed(name, known) !== undefined);
  if (at < 0) return { student: stem };
  const student = at > 0 ? names[at - 1]! : fallback ?? stem;
  return withAssignment({ student }, assignmentNamed(names[at]!, known));
}

/**
 * Whose upload an archive found in a folder given is, by where it sits (`path`, relative to that folder): the learner
 * its name says (Canvas's file names, `<learner>_<assignment>.zip`) or the learner folder holding it (Moodle's, else
 * the nearest folder above it not named after an assignment, as in per-learner folders and nbgrader's). Undefined for
 * an archive that holds a cohort, whose entries are placed by their own names: one given on the command line, or at
 * the top of the folder given under a name that says no learner (`submissions.zip`, `01-conv-arithmetic.zip`).
 */
export function archiveOwner(path: string, known: ReadonlySet<string>, inFolder: boolean): Placement | undefined {
  if (!inFolder) return undefined;
  const { folders, stem } = partsOf(path);
  if (CANVAS_FILE.test(stem) || LEARNER_ASSIGNMENT.test(stem) || folders.some((folder) => MOODLE_FOLDER.test(folder))) return placementOf(path, known);
  const learner = folders.filter((folder) => assignmentNamed(folder, known) === undefined).at(-1);
  if (learner === undefined) return undefined;
  return withAssignment({ student: learner }, [...folders, stem].map((name) => assignmentNamed(name, known)).find((name) => name !== undefined));
}

/**
 * The first-level folders of a folder given that are learners' own, decided once for the whole folder from its files'
 * paths (relative to it): when any of those folders holds a file its layout already places as that folder's learner
 * (`ada/01-….ipynb`, `ada/ada_01-….ipynb`, nbgrader's `ada/01-…/any.ipynb`, `ada/upload.zip`), they are per-learner
 * folders, and whatever a learner named a file in theirs, it is theirs (see inOwnFolder). Folders that only group
 * learners' files (`section-a/ada_01-….ipynb`, `section-a/bob_01-….ipynb`) hold none of their own: names decide there.
 */
export function learnerFolders(paths: readonly string[], known: ReadonlySet<string>): ReadonlySet<string> {
  const candidates = new Set(paths.flatMap((path) => {
    const { folders } = partsOf(path);
    const first = folders[0];
    return first !== undefined && assignmentNamed(first, known) === undefined && !MOODLE_FOLDER.test(first) ? [first] : [];
  }));
  const placesOwnLearner = (path: string): boolean => {
    const first = partsOf(path).folders[0];
    if (first === undefined || !candidates.has(first)) return false;
    const placement = extname(path).toLowerCase() === '.zip' ? archiveOwner(path, known, true) : placementOf(path, known);
    return placement?.student === first;
  };
  return paths.some(placesOwnLearner) ? candidates : new Set();
}

/** A placement made by names, overruled by the learner folder the file sits in (one of learnerFolders). */
export function inOwnFolder(placement: Placement, path: string, owners: ReadonlySet<string>): Placement {
  const first = partsOf(path).folders[0];
  return first !== undefined && owners.has(first) ? withAssignment({ student: first }, placement.assignment) : placement;
}

/**
 * An archive entry's place: in a cohort archive, by its own names; in a learner's upload (`owner`), that learner,
 * with the assignment the entry's names say, else the one the archive's own place says.
 */
export function entryPlacement(name: string, known: ReadonlySet<string>, archiveName: string, owner: Placement | undefined): Placement {
  const byName = placementOf(name, known, archiveName);
  return owner === undefined ? byName : withAssignment(owner, byName.assignment);
}

const withAssignment = (placement: Placement, assignment: string | undefined): Placement =>
  (assignment === undefined ? placement : { ...placement, assignment });
