import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { UsageError } from '../errors';
import { NO_PENALTY, type Deadline, type Extension, type LateRule } from './deadlines';

/** The course file at the course root: due dates, the late rule and extensions (see docs/course-layouts.md). */
export const COURSE_FILE = 'convlab.json';

interface LateRuleJson { percentPerDay?: number; maxPercent?: number; graceMinutes?: number }
interface AssignmentJson {
  due: string;
  latePolicy?: LateRuleJson;
  extensions?: Record<string, { due: string } | { extraDays: number }>;
}
interface CourseFileJson { latePolicy?: LateRuleJson; assignments?: Record<string, AssignmentJson> }

const LATE_RULE = {
  type: 'object',
  additionalProperties: false,
  properties: {
    percentPerDay: { type: 'number', minimum: 0, maximum: 100 },
    maxPercent: { type: 'number', minimum: 0, maximum: 100 },
    graceMinutes: { type: 'number', minimum: 0 },
  },
};
const DATE = { type: 'string', format: 'date-time' };

const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    latePolicy: LATE_RULE,
    // checked by grader/gradescope/settings.ts, which owns its fields
    gradescope: { type: 'object' },
    assignments: {
      type: 'object',
      propertyNames: { pattern: '^\\d\\d-[a-z0-9]+(-[a-z0-9]+)*$' },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['due'],
        properties: {
          due: DATE,
          latePolicy: LATE_RULE,
          extensions: {
            type: 'object',
            additionalProperties: {
              oneOf: [
                { type: 'object', additionalProperties: false, required: ['due'], properties: { due: DATE } },
                { type: 'object', additionalProperties: false, required: ['extraDays'], properties: { extraDays: { type: 'number', minimum: 0 } } },
              ],
            },
          },
        },
      },
    },
  },
};

function describe(error: ErrorObject): string {
  const where = error.instancePath === '' ? 'the file' : error.instancePath;
  if (error.keyword === 'additionalProperties') return `${where} has an unknown field "${String(error.params.additionalProperty)}"`;
  if (error.keyword === 'propertyNames') return `${where} has "${String(error.params.propertyName)}", which is not an assignment name (NN-name)`;
  if (error.keyword === 'oneOf') return `${where} must be {"due": "<date-time>"} or {"extraDays": <number>}`;
  if (error.keyword === 'format') return `${where} must be an ISO 8601 date-time with a time zone, e.g. "2026-10-02T23:59:00Z"`;
  return `${where} ${error.message ?? 'is invalid'}`;
}

let validator: ReturnType<Ajv['compile']> | undefined;

/** The course's deadlines by assignment, read from `<root>/convlab.json`; empty when the course has no such file. */
export function loadDeadlines(root: string, assignments: readonly string[]): ReadonlyMap<string, Deadline> {
  const path = join(root, COURSE_FILE);
  if (!existsSync(path)) return new Map();
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  if (!validator) {
    const ajv = new Ajv({ allErrors: false, strict: false });
    addFormats(ajv, ['date-time']);
    validator = ajv.compile(SCHEMA);
  }
  if (!validator(value)) {
    // oneOf and propertyNames come after the errors of their branches; they say what was meant.
    const errors = validator.errors ?? [];
    const error = errors.find((found) => found.keyword === 'oneOf' || found.keyword === 'propertyNames') ?? errors[0]!;
    throw new UsageError(`${path}: ${describe(error)}`);
  }
  const file = value as CourseFileJson;
  const deadlines = new Map<string, Deadline>();
  for (const [name, assignment] of Object.entries(file.assignments ?? {})) {
    if (!assignments.includes(name)) throw new UsageError(`${path}: /assignments/${name} is not an assignment of this course (${assignments.join(', ') || 'none'})`);
    const rule: LateRule = { ...NO_PENALTY, ...file.latePolicy, ...assignment.latePolicy };
    const extensions = new Map<string, Extension>(Object.entries(assignment.extensions ?? {})
      .map(([student, extension]) => [student, 'due' in extension ? { dueAt: new Date(extension.due) } : { extraDays: extension.extraDays }]));
    deadlines.set(name, { dueAt: new Date(assignment.due), rule, extensions });
  }
  return deadlines;
}
