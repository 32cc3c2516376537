/**
 * Everything a learner reads (notebook prose, code comments, self-check titles, hidden-test titles in feedback) speaks
 * about convolutional networks, never about how the course was put together.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { PROJECT_ROOT } from '../../grader/paths';

/** Words that only mean something to the people who wrote the course. */
const BEHIND_THE_SCENES = /\b(?:issues?|sessions?|seeds|seed's|the seed|the lead|the brief)\b/i;

/**
 * How a figure was measured (the command, the machine's load, environment variables, runs side by side): it belongs in
 * the developers' notes (tests/curriculum/full-mode.test.ts), not in prose a learner reads.
 */
const MEASUREMENT_JARGON = /nbconvert|execute-notebook|load average|\bbusy\b.*\bmachine\b|\bruns? at once\b|CONVLAB_[A-Z_]+=/i;

/** An intro tells learners what they build and how long it takes; no environment variable is needed to read it. */
const INTRO_JARGON = new RegExp(`${MEASUREMENT_JARGON.source}|CONVLAB_`, 'i');

interface Finding { readonly where: string; readonly line: string }

function findings(where: string, text: string, pattern: RegExp = BEHIND_THE_SCENES): Finding[] {
  return text.split('\n').filter((line) => pattern.test(line)).map((line) => ({ where, line: line.trim() }));
}

interface Cell { readonly id: string; readonly cell_type: string; readonly source: string | string[] }

function notebookCells(folder: string): { readonly where: string; readonly cell: Cell }[] {
  return readdirSync(join(PROJECT_ROOT, folder)).filter((file) => file.endsWith('.ipynb')).flatMap((file) =>
    (JSON.parse(readFileSync(join(PROJECT_ROOT, folder, file), 'utf8')) as { cells: Cell[] }).cells
      .map((cell) => ({ where: `${folder}/${file} cell ${cell.id}`, cell })));
}

const sourceOf = (cell: Cell): string => (Array.isArray(cell.source) ? cell.source.join('') : cell.source);

function notebookFindings(folder: string): Finding[] {
  return notebookCells(folder).flatMap(({ where, cell }) => findings(where, sourceOf(cell)));
}

/** Markdown that reads like a measurement log: the intro by its own, stricter pattern, every other cell by the common one. */
function measurementFindings(folder: string): Finding[] {
  return notebookCells(folder).filter(({ cell }) => cell.cell_type === 'markdown').flatMap(({ where, cell }) =>
    findings(where, sourceOf(cell), cell.id === 'intro' ? INTRO_JARGON : MEASUREMENT_JARGON));
}

/** String literals of a hidden spec: the titles learners see in their feedback, and assertion messages. */
function specFindings(): Finding[] {
  const root = join(PROJECT_ROOT, 'grader', 'tests');
  return readdirSync(root, { withFileTypes: true }).filter((entry) => entry.isDirectory()).flatMap((dir) =>
    readdirSync(join(root, dir.name)).filter((file) => /\.spec\.[jt]s$/.test(file)).flatMap((file) => {
      const source = readFileSync(join(root, dir.name, file), 'utf8');
      const literals = [...source.matchAll(/'([^'\n]*)'|"([^"\n]*)"|`([^`]*)`/g)].map((match) => match[1] ?? match[2] ?? match[3]);
      return findings(`grader/tests/${dir.name}/${file}`, literals.join('\n'));
    }));
}

describe('learner-facing text', () => {
  it('recognises the words it looks for', () => {
    expect(findings('example', "as the seed's PyTorch code does\nThe issue's target\nrandom seed: 7\nseededRandom(3)"))
      .to.deep.equal([{ where: 'example', line: "as the seed's PyTorch code does" }, { where: 'example', line: "The issue's target" }]);
  });

  it('recognises measurement jargon, and environment variables in an intro only', () => {
    const log = 'Measured with `jupyter nbconvert --execute 02.ipynb`: 85 s\non a busy 2-core machine\nthree runs at once\n'
      + 'load average 6\n`CONVLAB_DATA=<folder> jupyter`\na local model folder (`CONVLAB_MODELS`)\nabout 2 minutes on a laptop CPU';
    const flagged = (pattern: RegExp) => findings('example', log, pattern).map((finding) => finding.line);
    expect(flagged(MEASUREMENT_JARGON)).to.deep.equal([
      'Measured with `jupyter nbconvert --execute 02.ipynb`: 85 s', 'on a busy 2-core machine', 'three runs at once',
      'load average 6', '`CONVLAB_DATA=<folder> jupyter`',
    ]);
    expect(flagged(INTRO_JARGON)).to.include('a local model folder (`CONVLAB_MODELS`)').and.not.include('about 2 minutes on a laptop CPU');
  });

  for (const folder of ['solutions', 'notebooks']) {
    it(`in ${folder}/ never mentions how the course was made`, () => {
      expect(notebookFindings(folder)).to.deep.equal([]);
    });

    it(`in ${folder}/ states figures in learner words, leaving how they were measured to the developers' notes`, () => {
      expect(measurementFindings(folder)).to.deep.equal([]);
    });
  }

  it('in hidden-test titles and messages never mentions how the course was made', () => {
    expect(specFindings()).to.deep.equal([]);
  });
});
