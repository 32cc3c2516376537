import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { UsageError } from '../../../grader/errors';
import { readVisibility } from '../../../grader/gradescope/settings';
import { DEFAULT_VISIBILITY } from '../../../grader/model/gradescope';
import { tempDir } from '../../support/helpers';

describe('Gradescope visibility settings (convlab.json "gradescope")', () => {
  const courseWith = (file: object): string => {
    const root = tempDir();
    writeFileSync(join(root, 'convlab.json'), JSON.stringify(file));
    return root;
  };

  it('defaults to hidden tests after publishing and self-checks visible', () => {
    expect(readVisibility(tempDir())).to.deep.equal({ hiddenTests: 'after_published', selfChecks: 'visible', tests: {} });
    expect(readVisibility(courseWith({ latePolicy: { percentPerDay: 5 } }))).to.equal(DEFAULT_VISIBILITY);
  });

  it('takes the course\'s choices, per test too', () => {
    const settings = readVisibility(courseWith({ gradescope: { hiddenTests: 'hidden', tests: { 'double › doubles': 'visible' } } }));
    expect(settings).to.deep.equal({ hiddenTests: 'hidden', selfChecks: 'visible', tests: { 'double › doubles': 'visible' } });
  });

  it('names a value Gradescope does not know, and an unknown field', () => {
    const root = courseWith({ gradescope: { tests: { t1: 'after_grading' } } });
    expect(() => readVisibility(root)).to.throw(UsageError, `${join(root, 'convlab.json')}: /gradescope/tests/t1 must be one of hidden, after_due_date, after_published, visible`);
    const other = courseWith({ gradescope: { hidden: 'visible' } });
    expect(() => readVisibility(other)).to.throw(UsageError, '/gradescope has an unknown field "hidden"');
  });
});
