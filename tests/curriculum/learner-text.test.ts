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

interface Finding { readonly where: string; readonly line: string }

function findings(where: string, text: string): Finding[] {
  return text.split('\n').filter((line) => BEHIND_THE_SCENES.test(line)).map((line) => ({ where, line: line.trim() }));
}

function notebookFindings(folder: string): Finding[] {
  return readdirSync(join(PROJECT_ROOT, folder)).filter((file) => file.endsWith('.ipynb')).flatMap((file) => {
    const notebook = JSON.parse(readFileSync(join(PROJECT_ROOT, folder, file), 'utf8')) as { cells: { id: string; source: string | string[] }[] };
    return notebook.cells.flatMap((cell) =>
      findings(`${folder}/${file} cell ${cell.id}`, Array.isArray(cell.source) ? cell.source.join('') : cell.source));
  });
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

  for (const folder of ['solutions', 'notebooks']) {
    it(`in ${folder}/ never mentions how the course was made`, () => {
      expect(notebookFindings(folder)).to.deep.equal([]);
    });
  }

  it('in hidden-test titles and messages never mentions how the course was made', () => {
    expect(specFindings()).to.deep.equal([]);
  });
});
