import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { COURSE_FILE } from '../course/course-file';
import { UsageError } from '../errors';
import { DEFAULT_VISIBILITY, VISIBILITIES, type VisibilitySettings } from '../model/gradescope';

const VISIBILITY = { enum: VISIBILITIES };
const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    hiddenTests: VISIBILITY,
    selfChecks: VISIBILITY,
    tests: { type: 'object', additionalProperties: VISIBILITY },
  },
};

/**
 * Who sees which test on Gradescope, from the `gradescope` field of the course file:
 * `{"hiddenTests": "after_published", "selfChecks": "visible", "tests": {"<test name>": "hidden"}}`, each optional.
 */
export function readVisibility(root: string): VisibilitySettings {
  const path = join(root, COURSE_FILE);
  if (!existsSync(path)) return DEFAULT_VISIBILITY;
  const settings = (JSON.parse(readFileSync(path, 'utf8')) as { gradescope?: unknown }).gradescope;
  if (settings === undefined) return DEFAULT_VISIBILITY;
  const validate = new Ajv({ strict: false }).compile<Partial<VisibilitySettings>>(SCHEMA);
  if (!validate(settings)) {
    const error = validate.errors![0]!;
    const where = `/gradescope${error.instancePath}`;
    throw new UsageError(`${path}: ${where} ${error.keyword === 'enum' ? `must be one of ${VISIBILITIES.join(', ')}`
      : error.keyword === 'additionalProperties' ? `has an unknown field "${String(error.params.additionalProperty)}"` : error.message}`);
  }
  return { ...DEFAULT_VISIBILITY, ...settings };
}
