import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { deadlineFor } from '../../../grader/gradescope/metadata';
import { tempDir } from '../../support/helpers';

describe('run_autograder: the deadline a Gradescope submission is judged by', () => {
  const course = (file?: object): string => {
    const root = tempDir();
    if (file !== undefined) writeFileSync(join(root, 'convlab.json'), JSON.stringify(file));
    return root;
  };
  const RULE = { percentPerDay: 10, maxPercent: 30, graceMinutes: 5 };

  it('takes Gradescope\'s due date under the course-wide late rule', () => {
    const deadline = deadlineFor(course({ latePolicy: RULE }), '01-intro', { assignment: { due_date: '2026-10-02T23:59:00-07:00' } });
    expect(deadline?.dueAt.toISOString()).to.equal('2026-10-03T06:59:00.000Z');
    expect(deadline?.rule).to.deep.equal(RULE);
  });

  it('prefers a learner\'s own due date (an extension), the latest of a group\'s', () => {
    const deadline = deadlineFor(course({ latePolicy: RULE }), '01-intro', {
      assignment: { due_date: '2026-10-02T00:00:00Z' },
      users: [{ email: 'a@x.org', assignment: { due_date: '2026-10-05T00:00:00Z' } }, { email: 'b@x.org', assignment: { due_date: '2026-10-09T00:00:00Z' } }],
    });
    expect(deadline?.dueAt.toISOString()).to.equal('2026-10-09T00:00:00.000Z');
  });

  it('falls back to the course file\'s due date and rule, and to none without either', () => {
    const root = course({ latePolicy: RULE, assignments: { '01-intro': { due: '2026-10-01T00:00:00Z', latePolicy: { percentPerDay: 50 } } } });
    const deadline = deadlineFor(root, '01-intro', {});
    expect(deadline?.dueAt.toISOString()).to.equal('2026-10-01T00:00:00.000Z');
    expect(deadline?.rule.percentPerDay).to.equal(50);
    expect(deadlineFor(course(), '01-intro', {})).to.equal(undefined);
    expect(deadlineFor(course(), '01-intro', { assignment: { due_date: '2026-10-02T00:00:00Z' } })?.rule.percentPerDay).to.equal(0);
  });
});
