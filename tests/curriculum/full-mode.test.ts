/**
 * The learner's path, not the developer's shortcut: `npm run data -- --from` fills a fresh cache from the course copy in
 * ../shared, then solution notebooks run top to bottom in full mode (no CONVLAB_GRADING, no CONVLAB_DATA or
 * CONVLAB_MODELS), finding the photos and the backbone in that cache as a learner's kernel would.
 *
 * Notebooks whose full run is too long for CI are not run here; their measured times are in each notebook's intro.
 */
import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../grader/paths';
import { runProgram, tempDir, type CliResult } from '../support/helpers';

const SHARED = join(PROJECT_ROOT, '..', 'shared');
const PYTHON = '/usr/bin/python3';
const RUNNER = join(PROJECT_ROOT, 'tests', 'curriculum', 'execute-notebook.py');

/**
 * Measured full runs (processor time, peak kernel memory): 01 under 20 s; 02 85 s, 1.4 GB (44 s with GoogLeNet added,
 * on the wasm backend); 03 3.2 min, 0.7 GB (118 s, 0.67 GB with ResNet-50 and the He experiment); 04 3.6 min, 1.6 GB;
 * 05 69 s, 0.6 GB; 06 95 s, 0.7 GB; 07 67 s, 0.6 GB (115 s, 0.96 GB with the FCN and Dice comparison); 08 2.5 min, 1.2
 * GB; 09 58 s, 0.8 GB; 10 9 s, 0.7 GB. The figures in parentheses: `/usr/bin/time -v python3 execute-notebook.py
 * solutions/NN-name.ipynb out 900`, user + system time and maximum resident set size, on the shared build machine at
 * load average 7 to 20.
 * Each intro states its figure in learner words; how it was measured stays here: `jupyter nbconvert --to notebook
 * --execute NN-name.ipynb` (or this file's runner, execute-notebook.py) in solutions/ on the shared 2-core build
 * machine, processor time and peak memory of the kernel. 04's intro figure (8.7–9.0 min of processor time, 25.7–26.1
 * min of wall-clock time, 1.7 GB) is three runs at once with CONVLAB_DATA and CONVLAB_MODELS set, on that machine under
 * load.
 * All run here but 03: the heaviest that has nothing to do with the data path (04, heavier still, is why this test
 * exists; 08 reads the same photos and backbone).
 */
const IN_CI = [
  '01-conv-arithmetic', '02-classic-cnns', '04-transfer-learning', '05-distillation', '06-yolo', '07-unet', '08-inside-a-cnn',
  '09-vision-transformer', '10-two-stage-and-detr',
];

/** The environment of a learner who ran `npm run data`: only the cache, nothing of the developer's shortcuts. */
const learnerEnv = (cache: string): NodeJS.ProcessEnv => ({
  CONVLAB_CACHE: cache, CONVLAB_GRADING: '', CONVLAB_DATA: '', CONVLAB_MODELS: '',
  CONVLAB_HYMENOPTERA_URL: '', CONVLAB_BACKBONE_URL: '',
});

const convlabData = (args: readonly string[], cache: string): Promise<CliResult> =>
  runProgram(process.execPath, [join(PROJECT_ROOT, 'dist', 'datasets', 'course-data', 'cli.js'), ...args], { env: learnerEnv(cache) });

interface Output { output_type: string; name?: string; text?: string | string[] }

describe('the course in full mode, with data from npm run data', function () {
  this.timeout(30 * 60_000);
  let cache: string;

  before(async function () {
    const missing = [join(SHARED, 'datasets', 'hymenoptera_data'), join(SHARED, 'models'), PYTHON].filter((path) => !existsSync(path));
    if (missing.length > 0) {
      console.log(`    (skipped: the full-mode run needs the course copy in ../shared and Jupyter; missing ${missing.join(', ')})`);
      this.skip();
    }
    cache = join(tempDir('convlab-full-mode-'), 'cache');
    for (const folder of ['datasets', 'models']) {
      const result = await convlabData(['--from', join(SHARED, folder)], cache);
      expect(result.exitCode, result.stderr).to.equal(0);
    }
  });

  it('convlab data --check finds both verified in the fresh cache', async () => {
    const result = await convlabData(['--check'], cache);
    expect(result.stdout).to.match(/photos {4}present, verified/).and.to.match(/backbone {2}present, verified/);
    expect(result.exitCode).to.equal(0);
  });

  for (const assignment of IN_CI) {
    it(`${assignment} runs top to bottom`, async () => {
      const out = join(tempDir(), `${assignment}.ipynb`);
      const result = await runProgram(PYTHON, [RUNNER, join(PROJECT_ROOT, 'solutions', `${assignment}.ipynb`), out, '1500'], {
        env: learnerEnv(cache),
      });
      expect(result.exitCode, result.stderr.slice(-3000)).to.equal(0);
      const outputs = (JSON.parse(readFileSync(out, 'utf8')) as { cells: { outputs?: Output[] }[] }).cells.flatMap((cell) => cell.outputs ?? []);
      const text = outputs.map((output) => [output.text ?? ''].flat().join('')).join('');
      expect(text).to.not.match(/grading mode|stand-ins/);
      if (assignment === '04-transfer-learning') {
        expect(text).to.include(`photos from ${join(cache, 'hymenoptera_data')}: 244 training and 153 validation images`);
        expect(text).to.match(new RegExp(`Backbone: MobileNet v1 1\\.0 224 \\(ImageNet\\), from cache ${cache}/models`));
      }
    });
  }
});
