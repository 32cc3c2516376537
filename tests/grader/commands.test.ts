import { expect } from 'chai';
import { COURSE, convlab, EXTRA_TESTS } from '../support/helpers';

describe('convlab list', () => {
  it('lists each assignment with its hidden tests and points', async () => {
    expect(await convlab(['list', '--root', COURSE])).to.deep.equal({
      exitCode: 0,
      stderr: '',
      stdout: [
        '00-tiny: 4 hidden tests, 5 pts',
        '  does not run demonstration cells — 1 pt',
        '  double › doubles a small number — 1 pt',
        '  double › doubles a negative number — 2 pts',
        '  sumTensor › sums a tensor made by the grader — 1 pt',
        '',
      ].join('\n'),
    });
  });

  it('says when a course has no assignments yet', async () => {
    expect((await convlab(['list', '--root', EXTRA_TESTS])).stdout).to.equal('no assignments (no solutions/NN-name.ipynb yet)\n');
  });
});

describe('convlab demo', function () {
  this.timeout(600_000);

  it('grades the bundled example submissions and prints the score table', async () => {
    const result = await convlab(['demo']);
    expect(result.exitCode, result.stderr).to.equal(0);
    const [summary, header, rule, ...rows] = result.stdout.split('\n');
    expect([summary, header, rule]).to.deep.equal([
      '00-warmup: 4 submissions, 3 graded, max 10 pts',
      'student  status   score    %       notes',
      '-------  -------  -------  ------  ------------------------------------------------------------',
    ]);
    expect(rows.slice(0, 4)).to.deep.equal([
      'ada      graded   10 / 10  100.0%',
      'ben      graded   4 / 10   40.0%',
      'cleo     graded   5 / 10   50.0%   restored locked cells: check-pixels',
      'dev      invalid  0 / 10   0.0%    not valid JSON (Unterminated string in JSON at position 900)',
    ]);
    expect(rows[5]).to.match(/^gradebook: \/.*\/gradebook\.sqlite$/);
    expect(rows[6]).to.equal(`report on it: convlab report --db ${rows[5]!.slice('gradebook: '.length)}`);
  });
});
