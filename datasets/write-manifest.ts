/**
 * Writes the manifest (path, size, SHA-256 of every file) of a trusted copy of a data folder, which the kit then
 * checks every download and import against:
 *   npx tsx datasets/write-manifest.ts ../shared/datasets/hymenoptera_data datasets/hymenoptera/manifest.json
 *   npx tsx datasets/write-manifest.ts ../shared/models/mobilenet_v1_1.0_224_to_dw13 src/models/mobilenet-v1-to-dw13.manifest.json
 */
import * as fs from 'node:fs';
import { manifestOf } from '../src/core/manifest';

const [folder, out] = process.argv.slice(2);
if (folder === undefined || out === undefined) {
  process.stderr.write('usage: write-manifest <trusted data folder> <manifest.json>\n');
  process.exit(2);
}
const manifest = manifestOf(folder);
// One file per line: readable in a diff when the published data changes.
const lines = manifest.files.map((entry) => `    ${JSON.stringify(entry)}`);
fs.writeFileSync(out, `{\n  "complete": true,\n  "files": [\n${lines.join(',\n')}\n  ]\n}\n`);
process.stdout.write(`${out}: ${manifest.files.length} files\n`);
