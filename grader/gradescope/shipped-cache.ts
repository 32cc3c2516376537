/**
 * The compile cache the autograder zip ships: the cells of the released notebook and of the solution, compiled at
 * packaging time (`compileShippedCache` in package.ts), so that a Gradescope container (a cold start for every
 * submission) compiles only the learner's own cells. An entry is found by a hash of its cell's source and the declarations before it, inside the folder of a hash
 * of the toolchain (tslab's TypeScript, the lockfile, the kit's declarations), and is used only when its digest over
 * all three and its compiled form holds: none of it names a path or a machine, so it holds on Gradescope when the
 * installed toolchain is the one the zip was built with, and nowhere else.
 */
import { join } from 'node:path';
import { CompileCache } from '../sandbox/compile-cache';

/** The shipped cache's folder inside the autograder's course folder. */
export const SHIPPED_CACHE = 'compiled';

/** The shipped cache of the autograder's course folder (none when the zip has none): read only, and counting. */
export const openShippedCache = (courseRoot: string): CompileCache => CompileCache.readOnly(join(courseRoot, SHIPPED_CACHE));

/** For the instructor's log: how many of the cells the run compiled came ready from the zip. */
export const compiledCellsLine = (cache: CompileCache): string => `compiled cells: ${cache.hits} of ${cache.lookups} from the shipped cache`;
