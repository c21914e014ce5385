// The published JSON Schema of `safe doctor --json` (docs/doctor.schema.json), compiled with ajv's
// draft 2020-12 validator (already a devDependency for the SBOM check), as published and closed.
import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { default as addFormats } from 'ajv-formats';
import { REPO_ROOT } from './paths.js';

const SCHEMA_FILE = path.join(REPO_ROOT, 'docs', 'doctor.schema.json');

/**
 * The published schema with every complete object description (one with `required`) closed by
 * unevaluatedProperties: false, so that a field the schema does not name fails.
 */
function strict(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strict);
  if (schema === null || typeof schema !== 'object') return schema;
  const out = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === 'const' || k === 'enum' ? v : strict(v)]));
  if ('required' in out && !('unevaluatedProperties' in out)) out.unevaluatedProperties = false;
  return out;
}

export function doctorValidators() {
  const published = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
  const make = (schema: unknown) => {
    const ajv = new Ajv2020({ strict: true, allErrors: true, strictTuples: false });
    addFormats(ajv);
    return ajv.compile(schema as object);
  };
  return { published: make(published), strict: make({ ...(strict(published) as object), $id: (published.$id as string).replace(/\.json$/, ".strict.json") }) };
}

