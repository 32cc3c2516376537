/**
 * The hidden tests out of a submission's reach: their functions, their source and the machinery that counts their
 * passes. Each attack notebook starts from the wrong `double` (n + 2) and is graded for real beside the honest correct
 * and honest wrong notebooks, on a copy of the 00-tiny course with one more spec file (`late.spec.js`, below) that
 * loads modules while the tests run and asks twice about the same input. An attack that worked shows as a higher
 * score than the honest wrong answer's, or as a line of a hidden spec in the feedback or the JSON output.
 */
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Cell, Notebook } from '../../../grader/notebook/types';
import { HIDDEN_SOURCE_NOTE, scrubOutcome, testResults } from '../../../grader/pipeline/test-results';
import type { SandboxOutcome } from '../../../grader/sandbox/session';
import { listTests, readSpecSource } from '../../../grader/sandbox/specs';
import { convlab, copyOfCourse, tempDir, TINY, tinySolution, withSource, writeFile } from '../../support/helpers';
import { HONEST, type ResultJson } from '../../support/security-folder';

/** Checks with modules loaded while the tests run, and a second question about an input already asked. */
const LATE_SPEC = `// Loads what it checks with while the tests run, after the submission's cells.
describe('late', () => {
  it('doubles five', () => {
    expect(submission.double(5)).to.equal(10);
  });
  it('doubles five again, with node assert loaded now', () => {
    require('assert').strictEqual(submission.double(5), 10);
  });
  it('doubles seven, with chai loaded now', () => {
    require('chai').expect(submission.double(7)).to.equal(14);
  });
});
`;

/** Lines of the hidden specs that must never reach a learner or the JSON output. */
const SPEC_LINES = [
  'expect(submission.double(3)).to.equal(6);',
  'expect(submission.double(-21)).to.equal(-42);',
  "require('assert').strictEqual(submission.double(5), 10);",
  "require('chai').expect(submission.double(7)).to.equal(14);",
];

/** What require('mocha').describe reaches from a cell or from inside an exercise: the root of a suite tree, if any. */
const REACH_THE_RUN = `const mochaModule: any = require('mocha');
function reachRoot(): any {
  let root: any;
  try { mochaModule.describe('reach', function (this: any) { root = this; }); } catch { /* refused */ }
  while (root && root.parent) root = root.parent;
  return root;
}
function runnablesOf(suite: any): any[] {
  if (!suite) return [];
  const own = [...suite.tests, ...suite._beforeAll, ...suite._beforeEach, ...suite._afterAll, ...suite._afterEach];
  return suite.suites.reduce((all: any[], child: any) => all.concat(runnablesOf(child)), own);
}
function specText(): string {
  return runnablesOf(reachRoot()).map((runnable: any) => String(runnable.body || '') + '\\n' + String(runnable.fn || '')).join('\\n');
}
/** The value the hidden test expects for double(n), when its source is in \`text\`. */
function expectedIn(text: string, n: number): number | undefined {
  const marker = 'double(' + n + ')).to.equal(';
  const at = text.indexOf(marker);
  return at >= 0 ? parseInt(text.slice(at + marker.length), 10) : undefined;
}
`;

/** Each attack: the `double` cell's source and cells added at the end of the notebook. */
const ATTACKS: Readonly<Record<string, { tries: string; double: string; cells?: readonly string[] }>> = {
  'mocha-context-pass': {
    tries: "replacing every test's and hook's function through require('mocha').describe, from a cell and from the exercise",
    double: `${REACH_THE_RUN}
function passAll(): void {
  for (const runnable of runnablesOf(reachRoot())) {
    try { runnable.fn = function () {}; } catch { /* refused */ }
    try { Object.defineProperty(runnable, 'fn', { value: function () {} }); } catch { /* refused */ }
  }
}
passAll();
function double(n: number): number {
  passAll();
  return n + 2;
}`,
  },
  'mocha-context-read': {
    tries: "reading the tests' source through require('mocha').describe and answering with the expected values",
    double: `${REACH_THE_RUN}
const readEarly = specText();
function double(n: number): number {
  const expected = expectedIn(readEarly + specText(), n);
  return expected === undefined ? n + 2 : expected;
}`,
  },
  'mocha-context-leak': {
    tries: "throwing the tests' source from the exercise, into the learner's feedback",
    double: `${REACH_THE_RUN}
const readEarly = specText();
console.log(readEarly);
function double(n: number): number {
  const text = readEarly + specText();
  if (n === 3 && text.trim() !== '') throw new Error('the hidden tests: ' + text);
  return n + 2;
}`,
  },
  'runner-listeners': {
    tries: "calling the runner's process listeners and require('mocha')'s hooks from inside the exercise",
    double: `function double(n: number): number {
  if (n === -21) {
    for (const event of ['uncaughtException', 'unhandledRejection']) {
      for (const listener of process.listeners(event as any)) {
        try { (listener as any)(new Error('pass'), Promise.resolve()); } catch { /* refused */ }
      }
    }
    const mochaModule: any = require('mocha');
    for (const hook of ['before', 'beforeEach', 'after', 'afterEach', 'it']) {
      try { mochaModule[hook](function () {}); } catch { /* refused */ }
    }
  }
  return n + 2;
}`,
  },
  'module-system': {
    tries: 'require.cache entries replaced and added, Module._load, require, _compile, _extensions and wrap patched',
    double: 'function double(n: number): number {\n  return n + 2;\n}',
    cells: [`const Module: any = require('module');
const fakeExpect: any = new Proxy(function () {}, { get: (_target, key) => (key === 'then' ? undefined : fakeExpect), apply: () => fakeExpect });
const fakeAssert: any = new Proxy(function () {}, { get: () => fakeAssert, apply: () => undefined });
const fakes: Record<string, unknown> = { assert: fakeAssert, chai: { expect: fakeExpect } };
const cache: any = (require as any).cache;
const chaiPath = require.resolve('chai');
const fakeModule = (id: string, exports: unknown): unknown => ({ id, filename: id, loaded: true, exports, children: [], paths: [] });
const attempts: Array<() => void> = [
  () => { const load = Module._load; Module._load = function (this: any, request: string, ...rest: unknown[]) { return request in fakes ? fakes[request] : load.call(this, request, ...rest); }; },
  () => { const original = Module.prototype.require; Module.prototype.require = function (this: any, request: string) { return request in fakes ? fakes[request] : original.call(this, request); }; },
  () => { cache.assert = fakeModule('assert', fakeAssert); },
  () => { cache[chaiPath].exports = fakes.chai; },
  () => { delete cache[chaiPath]; cache[chaiPath] = fakeModule(chaiPath, fakes.chai); },
  () => { const compile = Module.prototype._compile; Module.prototype._compile = function (this: any, content: string, file: string) { return compile.call(this, content, file); }; },
  () => { const load = Module._extensions['.js']; Module._extensions['.js'] = function (module: any, file: string) { return load(module, file); }; },
  () => { Module.wrap = (script: string) => '(function (exports, require, module, __filename, __dirname) { ' + script + '\\n});'; },
];
let patched = 0;
for (const attempt of attempts) {
  try { attempt(); patched += 1; } catch { /* refused */ }
}
console.log('patched ' + patched);`],
  },
  'child-modules': {
    tries: "replacing the signer in the exports of the child's own protocol module, to report every test passed",
    double: 'function double(n: number): number {\n  return n + 2;\n}',
    cells: [`const protocol: any = require('../dist/grader/sandbox/protocol.js');
const sign = protocol.signMessage;
try {
  protocol.signMessage = (key: string, seq: number, message: any) =>
    sign(key, seq, message.type === 'test' ? { type: 'test', test: { position: message.test.position, status: 'passed' } } : message);
} catch { /* refused */ }`],
  },
  'heap-query': {
    tries: "finding the tests with v8.queryObjects and reading their source from the summaries",
    double: `function double(n: number): number {
  let text = '';
  try {
    const v8: any = require('v8');
    text = v8.queryObjects(require('mocha').default.Test, { format: 'summary' }).join('\\n');
  } catch { /* refused */ }
  const marker = 'double(' + n + ')).to.equal(';
  const at = text.indexOf(marker);
  return at >= 0 ? parseInt(text.slice(at + marker.length), 10) : n + 2;
}`,
  },
  'stack-hooks': {
    tries: "Error.prepareStackTrace and Error.captureStackTrace catching the assertion errors' expected values, from a cell and the exercise",
    double: `const learned = new Map<number, number>();
let lastInput: number | undefined;
function remember(error: any): void {
  if (error && typeof error.expected === 'number' && lastInput !== undefined) learned.set(lastInput, error.expected);
}
function installHooks(): void {
  const capture = Error.captureStackTrace;
  try { (Error as any).captureStackTrace = function (target: any, ...rest: any[]) { remember(target); return (capture as any).call(Error, target, ...rest); }; } catch { /* refused */ }
  try { (Error as any).prepareStackTrace = (error: any, frames: any[]) => { remember(error); return String(error) + frames.map((frame) => '\\n    at ' + frame).join(''); }; } catch { /* refused */ }
}
installHooks();
function double(n: number): number {
  installHooks();
  lastInput = n;
  const known = learned.get(n);
  return known === undefined ? n + 2 : known;
}`,
  },
};

/** Makes the child itself fail (its globals cannot be set for the tests): the learner reads why, not the grader's stack. */
const FATAL = {
  student: 'fatal-stack',
  cells: ["Object.defineProperty(globalThis, 'expect', { get: () => undefined, set() { throw new Error('no expect for the tests'); }, configurable: false });"],
  double: 'function double(n: number): number {\n  return n + 2;\n}',
};

const codeCell = (id: string, source: string): Cell => ({ cell_type: 'code', id, metadata: {}, source, outputs: [], execution_count: null });

function attackNotebook(attack: { double: string; cells?: readonly string[] }): Notebook {
  const notebook = withSource(tinySolution(), 'double', attack.double);
  return { ...notebook, cells: [...notebook.cells, ...(attack.cells ?? []).map((source, index) => codeCell(`attack-${index + 1}`, source))] };
}

interface Run { exitCode: number; stderr: string; stdout: string; results: Map<string, ResultJson>; feedback: string }

describe('hidden tests out of a submission\'s reach', function () {
  this.timeout(900_000);
  const dir = tempDir('convlab-hidden-');
  let run: Run;

  before(async () => {
    const course = copyOfCourse();
    writeFile(join(course, 'grader', 'tests', TINY, 'late.spec.js'), LATE_SPEC);
    const submissions = join(dir, 'submissions');
    for (const [student, attack] of Object.entries(ATTACKS)) writeFile(join(submissions, `${student}_${TINY}.ipynb`), attackNotebook(attack));
    writeFile(join(submissions, `${FATAL.student}_${TINY}.ipynb`), attackNotebook(FATAL));
    for (const [student, notebook] of Object.entries(HONEST)) writeFile(join(submissions, `${student}_${TINY}.ipynb`), notebook());
    const feedbackDir = join(dir, 'feedback');
    const result = await convlab(['grade', submissions, '--assignment', TINY, '--root', course, '--db', join(dir, 'gradebook.sqlite'),
      '--feedback', feedbackDir, '--json', '--jobs', '2']);
    const document = JSON.parse(result.stdout) as { results: ResultJson[] };
    const feedback = readdirSync(feedbackDir).map((name) => readFileSync(join(feedbackDir, name), 'utf8')).join('\n');
    run = { ...result, results: new Map(document.results.map((r) => [r.student, r])), feedback };
  });

  it('grades the honest submissions: correct 8/8, wrong 2/8', () => {
    expect(run.exitCode, run.stderr).to.equal(0);
    expect([run.results.get('honest-correct')?.score, run.results.get('honest-wrong')?.score]).to.deep.equal([8, 2]);
  });

  for (const [attack, { tries }] of Object.entries(ATTACKS)) {
    it(`${attack}, ${tries}: graded with what the honest wrong answer earns`, () => {
      const result = run.results.get(attack);
      expect(result, `no result for ${attack}`).to.not.equal(undefined);
      expect({ status: result!.status, score: result!.score }).to.deep.equal({ status: 'graded', score: run.results.get('honest-wrong')!.score });
    });
  }

  it('shows a child\'s fatal error as its message, without the grader\'s stack or paths', () => {
    const result = run.results.get(FATAL.student);
    expect({ status: result?.status, error: result?.error }).to.deep.equal({ status: 'error', error: 'the grader failed: no expect for the tests' });
    expect(run.feedback).to.not.match(/child\.js|\n\s+at /);
  });

  it('puts no line of a hidden spec in the feedback files or the JSON output', () => {
    const leaked = SPEC_LINES.filter((line) => run.feedback.includes(line) || run.stdout.includes(JSON.stringify(line).slice(1, -1)));
    expect(leaked).to.deep.equal([]);
  });
});

describe('test messages and cell output that quote a hidden spec (parent side)', () => {
  const course = copyOfCourse();
  const specs = [readSpecSource(join(course, 'grader', 'tests', TINY, 'tiny.spec.js'))];
  const quote = 'expect(submission.double(3)).to.equal(6);';
  const outcome: SandboxOutcome = {
    cells: [{ index: 4, status: 'failed', output: `look:\n  ${quote}\n`, error: `Error: ${quote}`, displays: [] }],
    tests: [
      { position: 0, status: 'error', fromSubmission: true, message: `Error: it () => {\n    ${quote}\n  }` },
      { position: 1, status: 'failed', message: 'expected -19 to equal -42' },
    ],
    executed: true, outputTail: '', forgedLines: 0, durationMs: 1,
  };

  it('are replaced by a neutral note; ordinary assertion messages are kept', () => {
    const scrubbed = scrubOutcome(outcome, specs);
    const [first, second] = testResults(listTests(specs), scrubbed);
    expect([first!.message, first!.feedback]).to.deep.equal([HIDDEN_SOURCE_NOTE, `Error in your code: ${HIDDEN_SOURCE_NOTE}`]);
    expect(second!.message).to.equal('expected -19 to equal -42');
    expect(scrubbed.cells.map((cell) => [cell.output, cell.error])).to.deep.equal([[HIDDEN_SOURCE_NOTE, HIDDEN_SOURCE_NOTE]]);
  });
});
