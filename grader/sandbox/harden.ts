/**
 * Makes the objects the hidden tests and the child's reporting rely on tamper-proof before any submission code runs.
 *
 * Node's `--frozen-intrinsics` would do this for the language's built-ins, but it also freezes `Error`, and the
 * TypeScript compiler inside tslab assigns `Error.stackTraceLimit`, so the child cannot start with it. Plain
 * `Object.freeze` of prototypes breaks ordinary library code through the "override mistake" (`Child.prototype.
 * constructor = Child` throws once `Object.prototype.constructor` is read-only). So each own data property becomes a
 * non-configurable accessor instead: reading is unchanged; assigning on the locked object itself throws; assigning on
 * an object that inherits from it gives that object its own property, as a writable property would.
 */
import { dirname, sep } from 'node:path';

const { defineProperty, getOwnPropertyDescriptors, preventExtensions } = Object;
const ownKeys = Reflect.ownKeys;

function lockProperty(target: object, key: PropertyKey, descriptor: PropertyDescriptor, label: string): void {
  if (!descriptor.configurable) return;
  if (!('value' in descriptor)) {
    defineProperty(target, key, { ...descriptor, configurable: false });
    return;
  }
  const { value } = descriptor;
  defineProperty(target, key, {
    get: () => value,
    set(this: object, next: unknown) {
      if (this === target) throw new TypeError(`${label}.${String(key)} cannot be changed while grading`);
      defineProperty(this, key, { value: next, writable: true, enumerable: true, configurable: true });
    },
    enumerable: descriptor.enumerable ?? false,
    configurable: false,
  });
}

/** Locks every own property of `target` and stops new ones being added. `label` names it in the error. */
export function lockDown(target: object, label: string): void {
  const descriptors = getOwnPropertyDescriptors(target);
  for (const key of ownKeys(descriptors)) lockProperty(target, key, descriptors[key as keyof typeof descriptors]!, label);
  preventExtensions(target);
}

/**
 * The built-ins a test or the report path calls (assertions compare with them, mocha and the HMAC signer run on
 * them). `Error` itself stays open for the compiler; `Error.prototype` is locked.
 */
export const INTRINSICS: Readonly<Record<string, object>> = {
  Object, 'Object.prototype': Object.prototype, Array, 'Array.prototype': Array.prototype,
  'Function.prototype': Function.prototype, JSON, Math, Reflect, Promise, 'Promise.prototype': Promise.prototype,
  'String.prototype': String.prototype, 'Number.prototype': Number.prototype, 'Boolean.prototype': Boolean.prototype,
  'RegExp.prototype': RegExp.prototype, 'Map.prototype': Map.prototype, 'Set.prototype': Set.prototype,
  'Error.prototype': Error.prototype, 'Symbol.prototype': Symbol.prototype,
};

/** Global bindings the child and mocha look up at call time: a notebook may shadow them in its cells, not replace them. */
const GLOBAL_BINDINGS = ['Object', 'Array', 'Function', 'JSON', 'Math', 'Reflect', 'Promise', 'String', 'Number', 'Boolean',
  'RegExp', 'Map', 'Set', 'Error', 'Symbol', 'Buffer', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval',
  'setImmediate', 'clearImmediate', 'queueMicrotask'] as const;

/** Makes those global bindings read-only (globalThis itself stays open: notebooks declare globals). */
export function lockGlobalBindings(global: typeof globalThis): void {
  for (const name of GLOBAL_BINDINGS) {
    const descriptor = Object.getOwnPropertyDescriptor(global, name);
    if (descriptor) lockProperty(global, name, descriptor, 'globalThis');
  }
}

/** Locks each named object once (the same object may be reachable under two names). */
export function lockDownAll(targets: Readonly<Record<string, object>>): void {
  const seen = new Set<object>();
  for (const [label, target] of Object.entries(targets)) {
    if (seen.has(target)) continue;
    seen.add(target);
    lockDown(target, label);
  }
}

/** The prototypes behind an object's own symbol-keyed internals (e.g. an Hmac's native handle). */
const internalPrototypes = (value: object): object[] => Object.getOwnPropertySymbols(value)
  .map((key) => (value as Record<symbol, unknown>)[key])
  .filter((inner): inner is object => typeof inner === 'object' && inner !== null)
  .map((inner) => Object.getPrototypeOf(inner) as object)
  .filter((proto) => proto !== Object.prototype);

/**
 * What the specs and the report path use besides the built-ins: chai's assertion classes, mocha's runner classes
 * (and the EventEmitter they report through), TensorFlow.js's exports that specs compute with, and the HMAC signer
 * (whose native handle sees the key).
 */
export function testMachinery(chai: typeof import('chai'), mocha: typeof import('mocha'), tf: object): Record<string, object> {
  const core = require('@tensorflow/tfjs-core') as object;
  const crypto = require('node:crypto') as typeof import('node:crypto');
  const hmac = crypto.createHmac('sha256', 'probe');
  const targets: Record<string, object> = {
    'chai.Assertion': chai.Assertion, 'chai.Assertion.prototype': chai.Assertion.prototype,
    'chai.AssertionError': chai.AssertionError, 'chai.AssertionError.prototype': chai.AssertionError.prototype,
    'chai.config': chai.config, 'chai.expect': chai.expect, 'chai.assert': chai.assert,
    Mocha: mocha, 'Mocha.prototype': mocha.prototype,
    'EventEmitter.prototype': (require('node:events') as typeof import('node:events')).prototype,
    tf, '@tensorflow/tfjs-core': core, crypto, 'Hmac.prototype': Object.getPrototypeOf(hmac) as object,
  };
  for (const name of ['Runner', 'Runnable', 'Test', 'Suite', 'Hook', 'Context'] as const) {
    targets[`Mocha.${name}`] = mocha[name];
    targets[`Mocha.${name}.prototype`] = mocha[name].prototype;
  }
  internalPrototypes(hmac).forEach((proto, index) => { targets[`Hmac handle ${index}`] = proto; });
  return targets;
}

/**
 * Ends, signals and aborts are the parent's to decide: a submission calling them gets an error in its cell instead
 * (`process._kill` is the binding behind `process.kill`). `process.reallyExit` stays: the child's own exit needs it, and
 * a submission that calls it only ends its own run, which the parent reports as a crash.
 */
export function disableProcessControl(target: NodeJS.Process): void {
  for (const name of ['kill', '_kill', 'abort'] as const) {
    const refuse = (): never => { throw new Error(`process.${name}() is not allowed while grading`); };
    defineProperty(target, name, { value: refuse, writable: false, enumerable: false, configurable: false });
  }
}

/**
 * A heap snapshot holds every string in the child, the HMAC key and the hidden tests' source among them, and
 * `v8.queryObjects` lists the live objects of a class (mocha's tests, with their source); Node's permission model
 * covers neither (the inspector it does refuse). Refused, and `v8` locked.
 */
export function disableHeapInspection(v8: typeof import('node:v8')): void {
  for (const name of ['getHeapSnapshot', 'writeHeapSnapshot', 'setHeapSnapshotNearHeapLimit', 'queryObjects'] as const) {
    const refuse = (): never => { throw new Error(`v8.${name}() is not allowed while grading`); };
    defineProperty(v8, name, { value: refuse, writable: false, enumerable: true, configurable: false });
  }
  lockDown(v8, 'v8');
}

/** The grader's own compiled code (this file is in grader/sandbox/): the child calls through these modules' exports. */
const GRADER_CODE = `${dirname(__dirname)}${sep}`;

/**
 * The module system as it stands before submission code runs, so that a submission cannot change what the child,
 * the specs or the libraries they use get from `require` later: the loader's functions and extensions, the modules
 * already loaded (their cache entries and `exports`), the exports of the grader's own modules (the child looks its
 * signer up there on every report), and builtin names in the cache (`require.cache.assert = …` would shadow a builtin).
 * New modules can still be loaded and cached: cells and the kit need that. `Module.wrap` stays settable (Node defines
 * it non-configurable), so a module first loaded while the tests run is not covered: specs load theirs up front.
 */
export function lockModuleSystem(module: typeof import('node:module')): void {
  const loader = module as unknown as { _cache: Record<string, NodeModule | undefined>; _extensions: object; wrapper: string[] };
  const cache = loader._cache;
  for (const [file, entry] of Object.entries(cache)) {
    defineProperty(cache, file, { value: entry, writable: false, enumerable: true, configurable: false });
    if (!entry) continue;
    for (const key of ['exports', 'loaded'] as const) {
      const descriptor = Object.getOwnPropertyDescriptor(entry, key);
      if (descriptor) lockProperty(entry, key, descriptor, file);
    }
    if (file.startsWith(GRADER_CODE) && typeof entry.exports === 'object' && entry.exports !== null) lockDown(entry.exports as object, file);
  }
  for (const name of module.builtinModules) {
    if (!(name in cache)) defineProperty(cache, name, { value: undefined, writable: false, enumerable: false, configurable: false });
  }
  Object.freeze(loader.wrapper);
  lockDown(loader._extensions, 'Module._extensions');
  lockDown(module.prototype, 'Module.prototype');
  defineProperty(module, 'prototype', { writable: false });
  lockDown(module, 'Module');
}

/**
 * `Error.captureStackTrace` is locked; `Error.prepareStackTrace` stays settable while the cells run (the compiler and
 * notebooks may format their own stacks) and the returned function, called before the tests, puts the original back
 * and refuses changes: a formatter a submission installed would otherwise see every assertion error of the tests
 * (their expected values) and their frames.
 */
export function guardStackTraces(error: ErrorConstructor): () => void {
  lockProperty(error, 'captureStackTrace', Object.getOwnPropertyDescriptor(error, 'captureStackTrace')!, 'Error');
  const original = error.prepareStackTrace;
  let current = original;
  let sealed = false;
  defineProperty(error, 'prepareStackTrace', {
    get: () => (sealed ? original : current),
    set(this: object, next: typeof original) {
      if (this !== error) defineProperty(this, 'prepareStackTrace', { value: next, writable: true, enumerable: true, configurable: true });
      else if (sealed) throw new TypeError('Error.prepareStackTrace cannot be changed while the tests run');
      else current = next;
    },
    enumerable: false,
    configurable: false,
  });
  return () => { sealed = true; };
}
