import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import nbformatSchema from './nbformat.v4.5.schema.json';
import type { Notebook } from './types';

/**
 * The official nbformat v4.5 schema. It declares draft-04; Ajv 8 speaks draft-07, which reads this schema identically
 * (it uses no keyword whose meaning changed), so we compile it without its `$schema` line.
 */
const { $schema: _draft04, ...SCHEMA } = nbformatSchema as Record<string, unknown> & { definitions: Record<string, SchemaPart> };
interface SchemaPart { readonly properties?: Record<string, SchemaPart>; readonly [keyword: string]: unknown }

const ajv = new Ajv({ strict: false, allErrors: false });
let compiled: ValidateFunction | undefined;
/** the validators of the metadata fields the schema defines, by `<scope>/<field>` */
const fieldValidators = new Map<string, ValidateFunction>();

/** The whole schema, compiled once. */
function nbformatValidator(): ValidateFunction {
  compiled ??= ajv.compile(SCHEMA);
  return compiled;
}

const ownPart = (parts: Record<string, SchemaPart> | undefined, name: string): SchemaPart | undefined =>
  (parts !== undefined && Object.hasOwn(parts, name) ? parts[name] : undefined);

/** What the schema says of metadata field `field` of the notebook (`scope` "notebook") or of a cell ("code_cell"…), if anything. */
function metadataFieldSchema(scope: string, field: string): SchemaPart | undefined {
  const holder = scope === 'notebook' ? SCHEMA as { properties?: Record<string, SchemaPart> } : ownPart(SCHEMA.definitions, scope);
  return ownPart(ownPart(holder?.properties, 'metadata')?.properties, field);
}

/**
 * Why metadata field `field` of the notebook (`scope` "notebook") or of a cell (`scope` "code_cell", "markdown_cell",
 * "raw_cell") breaks the nbformat schema ("must be array"), or undefined when it does not or the schema leaves it free.
 */
export function metadataFieldProblem(scope: string, field: string, value: unknown): string | undefined {
  const schema = metadataFieldSchema(scope, field);
  if (schema === undefined) return undefined;
  const key = `${scope}/${field}`;
  const validate = fieldValidators.get(key) ?? ajv.compile({ definitions: SCHEMA.definitions, ...schema });
  fieldValidators.set(key, validate);
  if (validate(value)) return undefined;
  const error = validate.errors?.[0];
  return `${error?.instancePath ? `${error.instancePath} ` : ''}${error?.message ?? 'is invalid'}`;
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
