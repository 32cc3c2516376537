/**
 * The compile service: one long-lived process per grading run that type-checks and transpiles notebook cells with
 * tslab's own converter, so that sandbox children only run JavaScript. Spawned by `sandbox/compile-service.ts` under the same
 * permission model as a child (`confinedNodeArguments`): the code it compiles is untrusted, and the compiler reads
 * whatever files the code imports and can echo them in diagnostics. It never runs the code.
 *
 * Protocol: once the compiler is loaded, WARM_LINE on fd 3; then a JSON request per stdin line, `{ id, prevDecl,
 * source, maxChars }`, answered by a JSON line on fd 3, `{ id, result }` (result null when its JSON would be longer
 * than maxChars).
 */
import { createInterface } from 'node:readline';
import { createConverter } from 'tslab/dist/converter';
import { stopDiskWatching } from '../../src/jupyter/compiler-watch';
import { CONVERTER_WARM_UP, REPORT_FD, WARM_LINE, writeAllSync } from './protocol';

export interface CompileRequest {
  readonly id: number;
  readonly prevDecl: string;
  readonly source: string;
  /** the longest result (characters of JSON) worth sending: types that grow exponentially can make megabytes of a line */
  readonly maxChars: number;
}

stopDiskWatching();
const converter = createConverter();
converter.convert('', CONVERTER_WARM_UP);

writeAllSync(REPORT_FD, `${WARM_LINE}\n`);

const requests = createInterface({ input: process.stdin });
requests.on('line', (line) => {
  const { id, prevDecl, source, maxChars } = JSON.parse(line) as CompileRequest;
  let result = 'null';
  try {
    result = JSON.stringify(converter.convert(prevDecl, source));
  } catch {
    // No result: the child compiles the cell itself and meets the same error where it reports cell errors.
  }
  writeAllSync(REPORT_FD, `{"id":${id},"result":${result.length > maxChars ? 'null' : result}}\n`);
});
requests.on('close', () => process.exit(0));
