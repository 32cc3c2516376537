import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import nbformatSchema from './nbformat.v4.5.schema.json';
import type { Notebook } from './types';

let compiled: ValidateFunction | undefined;

/**
 * The official nbformat v4.5 schema, compiled once. It declares draft-04; Ajv 8 speaks draft-07, which reads this
 * schema identically (it uses no keyword whose meaning changed), so we compile it without its `$schema` line.
 */
function nbformatValidator(): ValidateFunction {
  if (!compiled) {
    const { $schema: _draft04, ...schema } = nbformatSchema as Record<string, unknown>;
    compiled = new Ajv({ strict: false, allErrors: false }).compile(schema);
  }
  return compiled;
}

function describeSchemaError(error: ErrorObject): string {
  const where = error.instancePath === '' ? 'the notebook' : error.instancePath;
  const extra = error.keyword === 'additionalProperties'
    ? ` ("${String((error.params as { additionalProperty: string }).additionalProperty)}")`
    : error.keyword === 'enum'
      ? ` (${JSON.stringify((error.params as { allowedValues: unknown[] }).allowedValues)})`
      : '';
  return `${where} ${error.message ?? 'is invalid'}${extra}`;
}

/** Problems that make a parsed JSON value unusable as a convlab notebook; empty when it is one. */
export function notebookProblems(value: unknown): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return ['not a notebook (the JSON is not an object)'];
  const candidate = value as Partial<Notebook>;
  if (candidate.nbformat !== 4) return [`nbformat ${JSON.stringify(candidate.nbformat)} is not supported (convlab reads nbformat 4)`];
  const validate = nbformatValidator();
  if (!validate(value)) return (validate.errors ?? []).map(describeSchemaError);
  const language = candidate.metadata?.kernelspec?.language ?? candidate.metadata?.language_info?.name;
  if (language !== 'typescript') {
    return [`kernel language ${JSON.stringify(language ?? null)} is not typescript (convlab notebooks run on the tslab kernel)`];
  }
  return [];
}
