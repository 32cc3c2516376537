import type { CompileCache } from '../sandbox/compile-cache';

export const compiledCellsLine = (cache: CompileCache): string => `compiled cells: ${cache.hits} of ${cache.lookups} from the shipped cache`;
