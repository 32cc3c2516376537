import { maxScoreOf, scoreOf, type SubmissionResult } from './results';

/** Gradescope's autograder `results.json` for one submission; `output` is the learner-safe feedback. */
export function toGradescopeResults(result: SubmissionResult): object {
  return {
    score: scoreOf(result),
    max_score: maxScoreOf(result),
    ...(result.error !== undefined ? { output: `Your notebook could not be graded completely: ${result.error}` } : {}),
    tests: result.tests.map((test) => ({
      name: test.name,
      score: test.score,
      max_score: test.maxScore,
      status: test.status === 'passed' ? 'passed' : 'failed',
      output: test.feedback,
    })),
  };
}
