import { expect } from 'chai';
import { RosterError } from '../../../grader/errors';
import { parseRoster, readRoster } from '../../../grader/report/roster';

describe('report roster', () => {
  it('reads id, name and email in any column order, ignoring other columns and padding', () => {
    const text = 'Email,section,ID,Name\n ada@uni.edu ,A, s1 ,"Lovelace, Ada"\nalan@uni.edu,B,s2,Alan Turing\n';
    expect(parseRoster(text, 'roster.csv')).to.deep.equal([
      { id: 's1', name: 'Lovelace, Ada', email: 'ada@uni.edu' },
      { id: 's2', name: 'Alan Turing', email: 'alan@uni.edu' },
    ]);
  });

  it('accepts a roster with only id and name, leaving email empty', () => {
    expect(parseRoster('id,name\ns1,Ada\ns2,Alan\n', 'roster.csv')).to.deep.equal([
      { id: 's1', name: 'Ada', email: '' },
      { id: 's2', name: 'Alan', email: '' },
    ]);
  });

  it("reads Canvas's gradebook export: Student is the name, ID the learner id, the Points Possible row skipped", () => {
    const text = [
      '\uFEFFStudent,ID,SIS User ID,SIS Login ID,Section,01-conv-arithmetic (1001),Current Score',
      '    Points Possible,,,,,10,',
      '"Lovelace, Ada",4187,A-1,ada@uni.edu,CV 2026,9,90',
      'Alan Turing,4188,A-2,alan,CV 2026,,',
    ].join('\r\n');
    expect(parseRoster(text, 'canvas.csv')).to.deep.equal([
      { id: '4187', name: 'Lovelace, Ada', email: '' },
      { id: '4188', name: 'Alan Turing', email: '' },
    ]);
  });

  const errors: [string, string, string][] = [
    ['an empty file', '', 'Roster "r.csv" is empty: expected a header line "id,name" (email optional)'],
    [
      'a header without id and name',
      'learner,mail\n',
      'Roster "r.csv": missing columns "id", "name" (header is "learner,mail"; expected "id,name" with "email" optional, or a Canvas gradebook export)',
    ],
    ['an empty id', 'id,name,email\n,Ada,a@x\n', 'Roster "r.csv", line 2: empty id'],
    [
      'a duplicate id',
      'id,name,email\ns1,Ada,a@x\ns2,Alan,b@x\ns1,Eve,c@x\n',
      'Roster "r.csv", line 4: duplicate id "s1" (first on line 2)',
    ],
    ['broken quoting', 'id,name,email\ns1,"Ada,a@x\n', 'Roster "r.csv": line 2: a quoted field is never closed'],
  ];
  for (const [what, text, message] of errors) {
    it(`rejects ${what} with the file and line`, () => {
      expect(() => parseRoster(text, 'r.csv')).to.throw(RosterError, message);
    });
  }

  it('names a roster file that cannot be read', async () => {
    let caught: unknown;
    await readRoster('/nonexistent/roster.csv').catch((error: unknown) => (caught = error));
    expect(caught).to.be.instanceOf(RosterError);
    expect((caught as Error).message).to.match(/^Roster "\/nonexistent\/roster\.csv" cannot be read: ENOENT/);
  });
});
