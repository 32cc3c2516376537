import { expect } from 'chai';
import { openOutcome, outcomeBinding, RefusedOutcome, signOutcome, type ExpectedOutcome } from '../../../grader/queue/outcome';
import type { GradingJobData } from '../../../grader/queue/job';
import type { SandboxOutcome } from '../../../grader/sandbox/session';
import { sandboxLimits } from '../../../grader/options';
import { tinySolution, TINY } from '../../support/helpers';

const KEY = 'k'.repeat(40);
const data = (student: string, contentHash: string): GradingJobData => ({
  assignment: TINY, student, contentHash, notebook: tinySolution(), limits: sandboxLimits(),
  fingerprint: { id: 'f'.repeat(64), parts: { tests: 't', release: 'r', limits: 'l', version: 'v', toolchain: 'c' } },
});
const ALICE = data('alice', 'a'.repeat(64));
const expectedFor = (jobId: string, job: GradingJobData): ExpectedOutcome =>
  ({ binding: outcomeBinding(jobId, job), tests: 4, cells: job.notebook.cells.length });

const OUTCOME: SandboxOutcome = {
  cells: [{ index: 1, status: 'ok', output: 'hi\n', displays: [{ 'text/plain': 'x' }] }],
  tests: [{ position: 0, status: 'passed' }, { position: 1, status: 'failed', message: 'expected 5 to equal 6', fromSubmission: false }],
  executed: true, outputTail: '', forgedLines: 0, durationMs: 12.5,
};

const refusal = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).to.be.instanceOf(RefusedOutcome);
    return (error as Error).message;
  }
  throw new Error('accepted');
};

describe('queue/outcome: outcomes signed for their job', () => {
  it('opens what a worker signed for this job, as it was', () => {
    const signed = JSON.parse(JSON.stringify(signOutcome(KEY, outcomeBinding('job-a', ALICE), OUTCOME))) as unknown;
    expect(openOutcome(KEY, expectedFor('job-a', JSON.parse(JSON.stringify(ALICE)) as GradingJobData), signed)).to.deep.equal(OUTCOME);
  });

  it('keeps a crashed run\'s fields (termination, running cell, exit code, signal, fatal)', () => {
    const crashed: SandboxOutcome = { ...OUTCOME, termination: 'crash', runningCell: 1, exitCode: 0, signal: 'SIGKILL', fatal: 'x' };
    expect(openOutcome(KEY, expectedFor('job-a', ALICE), signOutcome(KEY, outcomeBinding('job-a', ALICE), crashed))).to.deep.equal(crashed);
  });

  const forged: readonly [what: string, value: () => unknown, reason: string][] = [
    ['an unsigned outcome', () => OUTCOME, 'it is not signed'],
    ['nothing', () => null, 'it is not signed'],
    ['a malformed signature', () => ({ body: '{}', mac: 'zz' }), 'it is not signed'],
    ['another key', () => signOutcome('x'.repeat(40), outcomeBinding('job-a', ALICE), OUTCOME), 'its signature does not match this job'],
    ['another job', () => signOutcome(KEY, outcomeBinding('job-b', ALICE), OUTCOME), 'its signature does not match this job'],
    ['another notebook content', () => signOutcome(KEY, outcomeBinding('job-a', { ...ALICE, contentHash: 'b'.repeat(64) }), OUTCOME), 'its signature does not match this job'],
    ['another grading setup', () => signOutcome(KEY, outcomeBinding('job-a', { ...ALICE, fingerprint: { ...ALICE.fingerprint, id: 'e'.repeat(64) } }), OUTCOME), 'its signature does not match this job'],
    ['the notebook rewritten in Redis', () => signOutcome(KEY, outcomeBinding('job-a', { ...ALICE, notebook: { ...ALICE.notebook, cells: [] } }), OUTCOME), 'its signature does not match this job'],
    ['a body changed after signing', () => ({ ...signOutcome(KEY, outcomeBinding('job-a', ALICE), OUTCOME), body: JSON.stringify({ ...OUTCOME, forgedLines: 1 }) }), 'its signature does not match this job'],
  ];
  for (const [what, value, reason] of forged) {
    it(`refuses ${what}`, () => {
      expect(refusal(() => openOutcome(KEY, expectedFor('job-a', ALICE), value()))).to.match(new RegExp(`^${reason}`));
    });
  }

  const misshapen: readonly [what: string, outcome: unknown, reason: string][] = [
    ['a test reported twice', { ...OUTCOME, tests: [{ position: 0, status: 'passed' }, { position: 0, status: 'passed' }] }, 'it is signed but reports test position 0 twice'],
    ['a test beyond the job\'s', { ...OUTCOME, tests: [{ position: 4, status: 'passed' }] }, 'it is signed but reports test position 4 of a job with 4'],
    ['a negative position', { ...OUTCOME, tests: [{ position: -1, status: 'passed' }] }, 'it is signed but not an outcome: /tests/0/position must be >= 0'],
    ['an unknown status', { ...OUTCOME, tests: [{ position: 0, status: 'perfect' }] }, 'it is signed but not an outcome: /tests/0/status must be equal to one of the allowed values'],
    ['a field scoring does not know', { ...OUTCOME, score: 5 }, 'it is signed but not an outcome: the outcome must NOT have additional properties'],
    ['a cell beyond the notebook', { ...OUTCOME, cells: [{ ...OUTCOME.cells[0]!, index: 99 }] }, 'it is signed but reports cell index 99 of a job with'],
    ['an output past the bound', { ...OUTCOME, outputTail: 'x'.repeat(16 * 1024 * 1024 + 1) }, 'it is signed but not an outcome: /outputTail must NOT have more than 16777216 characters'],
    ['a list for an outcome', [], 'it is signed but not an outcome: the outcome must be object'],
    ['null for an optional field', { ...OUTCOME, runningCell: null }, 'it is signed but not an outcome: /runningCell must NOT be valid'],
  ];
  for (const [what, outcome, reason] of misshapen) {
    it(`refuses a signed outcome with ${what}`, () => {
      const signed = signOutcome(KEY, outcomeBinding('job-a', ALICE), outcome as SandboxOutcome);
      expect(refusal(() => openOutcome(KEY, expectedFor('job-a', ALICE), signed))).to.include(reason);
    });
  }
});
