import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import vm from 'node:vm';
import { MochaClass } from './mocha';

/** A hidden-test file as CommonJS JavaScript (`.ts` specs are transpiled), ready to send to a sandbox. */
export interface SpecSource {
  readonly file: string;
  readonly code: string;
}

/** What a spec sees besides mocha's functions: the same objects the notebook uses. */
export interface SpecGlobals {
  readonly expect: unknown;
  readonly assert: unknown;
  readonly tf: unknown;
  readonly submission: object;
}

/** One hidden test as listed before anything runs. */
export interface ListedTest {
  /** describe titles and the it title (without its points suffix) joined with " › " */
  readonly name: string;
  readonly points: number;
  /** the instructor's hint for learners who fail it, from a `(hint: …)` title suffix */
  readonly hint?: string;
}

/** mocha BDD functions a spec may call, bound per file by mocha's `pre-require` event. */
const MOCHA_FUNCTIONS = [
  'describe', 'context', 'xdescribe', 'xcontext', 'it', 'specify', 'xit', 'xspecify',
  'before', 'after', 'beforeEach', 'afterEach',
] as const;
const SPEC_PARAMETERS = ['exports', 'require', 'module', '__filename', '__dirname', ...MOCHA_FUNCTIONS,
  'expect', 'assert', 'tf', 'submission'];

export const NAME_SEPARATOR = ' › ';
const POINTS_SUFFIX = /\s*\[(\d+(?:\.\d+)?) pts?\]\s*$/;
const HINT_SUFFIX = /\s*\(hint:\s*(.*)\)\s*$/s;

/** Splits `"handles dilation 2 [2 pts]"` into the title learners see and its points (1 without a suffix). */
export function parsePoints(title: string): { title: string; points: number } {
  const match = POINTS_SUFFIX.exec(title);
  return match ? { title: title.slice(0, match.index), points: Number(match[1]) } : { title, points: 1 };
}

/**
 * Reads a spec file; TypeScript is transpiled without type checking (authors type-check with their tsconfig), by the
 * TypeScript tslab compiles cells with: the grader loads it anyway, and loading a second compiler costs a cold run
 * a third of a second.
 */
export function readSpecSource(file: string): SpecSource {
  const text = readFileSync(file, 'utf8');
  if (extname(file) !== '.ts') return { file, code: text };
  // Loaded lazily: the TypeScript compiler is heavy and only the parent transpiles.
  const ts = require('@tslab/typescript-for-tslab') as typeof import('@tslab/typescript-for-tslab');
  const { outputText } = ts.transpileModule(text, {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  return { file, code: outputText };
}

/**
 * Registers the specs' suites and tests on `mocha` without running them. Each file is evaluated as a function whose
 * parameters are mocha's functions and the spec globals, so a submission that later overwrites `globalThis.expect`
 * cannot change what the specs call.
 */
export function loadSpecs(mocha: Mocha, specs: readonly SpecSource[], globals: SpecGlobals, load: NodeJS.Require): void {
  for (const spec of specs) {
    const context: Record<string, unknown> = {};
    mocha.suite.emit('pre-require', context, spec.file, mocha);
    const module = { exports: {} };
    // Strict, so that submission code a test calls cannot reach the test function (and its expected values) through
    // `caller` or a stack trace's CallSite.getFunction().
    const wrapper = vm.runInThisContext(`(function (${SPEC_PARAMETERS.join(', ')}) {'use strict';${spec.code}\n})`, { filename: spec.file }) as
      (...args: unknown[]) => void;
    try {
      wrapper(module.exports, load, module, spec.file, '.', ...MOCHA_FUNCTIONS.map((name) => context[name]),
        globals.expect, globals.assert, globals.tf, globals.submission);
    } catch (error) {
      throw new Error(`cannot load hidden test file ${spec.file}: ${(error as Error).message}`);
    }
    mocha.suite.emit('require', module.exports, spec.file, mocha);
    mocha.suite.emit('post-require', context, spec.file, mocha);
  }
  forgetSpecContext();
}

/**
 * mocha keeps the context of the last file it loaded in module state, where `require('mocha').describe` (and `it`,
 * `before`, …) finds it: from there `this.parent` is the root suite and every test of the run. Pointing that state at a
 * throwaway suite, never run, leaves nothing of the specs' within reach of code that loads mocha itself.
 */
function forgetSpecContext(): void {
  const decoy = new MochaClass();
  decoy.suite.emit('pre-require', {}, 'nothing', decoy);
}

/** The tests under `suite` in the order mocha runs them (a suite's own tests, then its child suites). */
export function collectTests(suite: Mocha.Suite): Mocha.Test[] {
  return [...suite.tests, ...suite.suites.flatMap(collectTests)];
}

/**
 * Splits a test title into the title learners see, its points and its hint:
 * `"rejects a short box [2 pts] (hint: a box has four numbers)"`. The hint may come before or after the points.
 */
export function parseTitle(title: string): { title: string; points: number; hint?: string } {
  const hintFirst = HINT_SUFFIX.exec(title);
  const withoutHint = hintFirst ? title.slice(0, hintFirst.index) : title;
  const { title: bare, points } = parsePoints(withoutHint);
  const hintLast = hintFirst ? undefined : HINT_SUFFIX.exec(bare);
  const hint = (hintFirst ?? hintLast)?.[1]?.trim();
  return { title: hintLast ? bare.slice(0, hintLast.index) : bare, points, ...(hint ? { hint } : {}) };
}

/** The reported name, points and hint of a mocha test. */
export function describeTest(test: Mocha.Test): ListedTest {
  const path = test.titlePath();
  const { title, points, hint } = parseTitle(path[path.length - 1] ?? '');
  return { name: [...path.slice(0, -1), title].join(NAME_SEPARATOR), points, ...(hint !== undefined ? { hint } : {}) };
}

/**
 * Lists the hidden tests (names and points) by loading the specs into a mocha that never runs. The parent uses it
 * to know the maximum score before, and whatever happens to, any submission.
 */
export function listTests(specs: readonly SpecSource[]): ListedTest[] {
  const mocha = new MochaClass();
  const chai = require('chai') as typeof import('chai');
  const tf = new Proxy({}, { get: (_target, key) => (require('@tensorflow/tfjs') as Record<PropertyKey, unknown>)[key] });
  loadSpecs(mocha, specs, { expect: chai.expect, assert: chai.assert, tf, submission: {} }, require);
  return collectTests(mocha.suite).map(describeTest);
}
