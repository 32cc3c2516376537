/**
 * Opening a grading run, the one way every place that grades does it (`convlab grade`, locally or through the queue;
 * a queue worker; Gradescope's run_autograder): the course's assignments and hidden tests, the grading fingerprint
 * under the run's limits, the released notebooks that tell one assignment's notebook from another's, and the child
 * runner (sandbox children, compile service, compile cache). Disposing of the run stops what it started.
 */
import { assignmentOf, courseReleases, hiddenTestsDir, loadAssignment, readNotebookFile, releasedPath, type Assignment } from '../assignment';
import type { Deadline } from '../course/deadlines';
import { gradingFingerprint } from '../fingerprint';
import type { GradingFingerprint } from '../model/results';
import type { Gradebook } from '../gradebook/store';
import type { Notebook } from '../notebook/types';
import { ChildRunner } from '../sandbox/child-runner';
import type { CompileCache } from '../sandbox/compile-cache';
import type { SandboxLimits } from '../sandbox/limits';
import type { GradingRun } from './context';

export interface RunSetup {
  /** the course root: `solutions/` (or `notebooks/`, see `releasedOnly`) and `grader/tests/` */
  readonly root: string;
  /** the course holds released notebooks only, no solutions (the Gradescope autograder's) */
  readonly releasedOnly?: boolean;
  /** folders of more hidden tests (--tests) */
  readonly tests?: readonly string[];
  readonly limits: SandboxLimits;
  /** the one assignment to grade, when one is asked for: another's broken notebook then only costs telling them apart */
  readonly assignment?: string;
  /** where compiled cells are kept across runs (a Gradescope package may ship one); the course cache's by default */
  readonly compileCache?: CompileCache;
  /** a copy of the course data cache the sandbox children may read as theirs (a Gradescope package's, `--with-data`) */
  readonly dataDir?: string;
  /**
   * sandbox children the run may need, as far as it knows when it opens: these and the compile service start warming
   * at once; none (0) where the queue's workers run the submissions, Infinity for a worker
   */
  readonly children: number;
}

/** What grading one assignment needs besides the run: where results go, and the deadline. */
export interface AssignmentSetup {
  readonly gradebook?: Gradebook;
  readonly force?: boolean;
  readonly feedbackDir?: string;
  readonly deadline?: Deadline;
}

/** An open grading run; `dispose` stops its children and compile service. */
export class OpenRun {
  readonly runner: ChildRunner;
  private readonly assignments = new Map<string, Assignment | Error>();
  private readonly fingerprints = new Map<string, GradingFingerprint>();
  private releasesRead?: ReadonlyMap<string, Notebook>;

  constructor(private readonly setup: RunSetup) {
    this.runner = new ChildRunner(setup.limits, setup.compileCache, setup.children, setup.dataDir);
    // Warm-up first: in a run of few submissions, the compile service loading TypeScript and the first child loading
    // TensorFlow.js are what the run waits for; they load while this process reads the course and the submissions.
    if (setup.children > 0) this.runner.warmUp();
  }

  get limits(): SandboxLimits {
    return this.setup.limits;
  }

  /** Released notebooks of the course's assignments, by name (`courseReleases`), read once. */
  get releases(): ReadonlyMap<string, Notebook> {
    this.releasesRead ??= courseReleases({ root: this.setup.root }, this.setup.assignment, this.setup.releasedOnly ? 'notebooks' : 'solutions');
    return this.releasesRead;
  }

  /** The assignment with its hidden tests, loaded once; a UsageError (again at every call) when it cannot be graded. */
  assignment(name: string): Assignment {
    if (!this.assignments.has(name)) {
      const { root, releasedOnly, tests = [] } = this.setup;
      try {
        this.assignments.set(name, releasedOnly
          ? assignmentOf(name, readNotebookFile(releasedPath({ root }, name)), hiddenTestsDir({ root }, name), tests)
          : loadAssignment({ root }, name, tests));
      } catch (error) {
        this.assignments.set(name, error as Error);
      }
    }
    const assignment = this.assignments.get(name)!;
    if (assignment instanceof Error) throw assignment;
    return assignment;
  }

  /** Everything besides the notebook that decides the assignment's scores in this run. */
  fingerprint(assignment: Assignment): GradingFingerprint {
    let fingerprint = this.fingerprints.get(assignment.name);
    if (fingerprint === undefined) this.fingerprints.set(assignment.name, fingerprint = gradingFingerprint({ assignment, limits: this.limits }));
    return fingerprint;
  }

  /** What the stages share while grading the assignment's submissions in this run. */
  gradingRun(name: string, { gradebook, force = false, feedbackDir, deadline }: AssignmentSetup = {}): GradingRun {
    const assignment = this.assignment(name);
    return {
      assignment, limits: this.limits, fingerprint: this.fingerprint(assignment), runner: this.runner, force,
      otherReleases: new Map([...this.releases].filter(([other]) => other !== name)),
      ...(gradebook !== undefined ? { gradebook } : {}), ...(feedbackDir !== undefined ? { feedbackDir } : {}), ...(deadline !== undefined ? { deadline } : {}),
    };
  }

  dispose(): void {
    this.runner.dispose();
  }
}
