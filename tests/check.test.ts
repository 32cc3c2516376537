import { inspect } from 'node:util';
import { expect } from 'chai';
import { selfCheck } from '../src/check';

/** Runs `selfCheck`, returning what it printed and what it threw (as tslab shows a failed cell: `console.error`). */
async function run(checks: Parameters<typeof selfCheck>[0]): Promise<{ lines: string[]; shown?: string }> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (line: string) => lines.push(line);
  try {
    await selfCheck(checks);
    return { lines };
  } catch (error) {
    return { lines, shown: inspect(error) };
  } finally {
    console.log = log;
  }
}

describe('selfCheck', () => {
  it('prints a ✓ line per passing check and throws nothing when all pass', async () => {
    const { lines, shown } = await run({ 'adds up': () => expect(1 + 1).to.equal(2), 'awaits': async () => undefined });
    expect(lines).to.deep.equal(['✓ adds up', '✓ awaits']);
    expect(shown).to.equal(undefined);
  });

  it('runs every check after a failure and quotes the failing value as the actual one', async () => {
    const { lines } = await run({ first: () => expect(4).to.equal(5), second: () => undefined });
    expect(lines).to.deep.equal(['✗ first — expected 4 to equal 5', '✓ second']);
  });

  it('fails the cell with one line naming the failed checks, without stack frames from the kit', async () => {
    const { shown } = await run({ first: () => { throw new Error('nope'); }, second: () => undefined, third: () => expect(1).to.equal(2) });
    expect(shown).to.equal('Error: 2 of 3 self-checks failed: first; third');
  });
});
