// The config's JSON Schema, converted from the valibot schema the launcher validates with, so
// editors (Taplo / Even Better TOML, VS Code) check files by the same rules. `safe config schema`
// prints it and scripts/gen-config-docs.mjs commits the same text as docs/config.schema.json.

import { toJsonSchema, type JsonSchema } from '@valibot/to-json-schema';
import { BYTE_SIZE_CHECK, BYTE_SIZE_PATTERN, configSchema, LOCATION_KEYS, LOCKABLE_KEY, LOCKABLE_KEYS, REPORT_PATH_CHECK, REPORT_PATH_PATTERN, UV_SOURCE_CHECK, UV_SOURCE_PATTERN } from './schema.js';

export const SCHEMA_ID = 'https://raw.githubusercontent.com/uvx-safe/uvx-safe/main/docs/config.schema.json';

/** Keys that `locked` accepts, as JSON Schema: the same set LOCKABLE_KEY's check function accepts. */
function lockableKeySchema(): JsonSchema {
  // Not `locked` or `report`: only the admin policy sets them, so there is nothing to lock.
  const tables = Object.keys(configSchema().entries).filter((key) => LOCKABLE_KEYS.includes(key));
  return {
    anyOf: [
      { enum: [...tables, ...LOCATION_KEYS.map((loc) => `locations.${loc}`)] },
      { pattern: '^env\\.[A-Za-z_][A-Za-z0-9_]*$' },
    ],
  };
}

// The check()s in the schema: predicates, which JSON Schema cannot express by themselves.
const lockableCheck = LOCKABLE_KEY.pipe[1];
const PATTERNS = new Map<unknown, string>([
  [UV_SOURCE_CHECK, UV_SOURCE_PATTERN],
  [REPORT_PATH_CHECK, REPORT_PATH_PATTERN],
  [BYTE_SIZE_CHECK, BYTE_SIZE_PATTERN],
]);

export function configJsonSchema(): JsonSchema {
  const converted = toJsonSchema(configSchema(), {
    errorMode: 'throw',
    overrideAction: ({ valibotAction, jsonSchema }) => {
      if (valibotAction === lockableCheck) return { ...jsonSchema, ...lockableKeySchema() };
      const pattern = PATTERNS.get(valibotAction);
      return pattern === undefined ? undefined : { ...jsonSchema, pattern };
    },
  });
  const { $schema, ...rest } = converted;
  // $schema/$id/title first, so the file reads well and editors find them at once.
  return {
    $schema,
    $id: SCHEMA_ID,
    title: 'uvx-safe configuration',
    description:
      'A uvx-safe config layer: the admin policy, the user config, a project uvx-safe.toml / .uvx-safe.toml, ' +
      'or the [tool.uvx-safe] table of pyproject.toml. Generated from src/config/schema.ts by `uvx-safe safe config schema`.',
    ...rest,
  };
}

/** The exact text of docs/config.schema.json and of `safe config schema`. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
