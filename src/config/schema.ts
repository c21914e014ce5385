// The one schema of a config layer. The launcher validates with it, and `safe config schema`
// turns the same object into JSON Schema, so the two cannot drift apart.

import * as v from 'valibot';

export const MODES = ['enforce', 'warn', 'off'] as const;
export type Mode = (typeof MODES)[number];

export const LOCATION_KEYS = ['cache', 'temp', 'python', 'python-bin', 'tool', 'tool-bin', 'project-env'] as const;
export type LocationKey = (typeof LOCATION_KEYS)[number];

/** Keys an admin may list in `locked`: whole tables, or one entry of them (`locations.cache`, `env.UV_INDEX`). */
export const LOCKABLE_KEY = v.pipe(
  v.string(),
  v.check(
    (key) =>
      ['mode', 'allowed-roots', 'data-root', 'locations', 'uv-path', 'uv-version', 'env'].includes(key) ||
      LOCATION_KEYS.some((loc) => key === `locations.${loc}`) ||
      /^env\.[A-Za-z_][A-Za-z0-9_]*$/.test(key),
    'is not a key that can be locked',
  ),
);

const pathString = (what: string) =>
  v.pipe(v.string(), v.nonEmpty(`${what} must not be empty`), v.description(what));

const locationsShape = Object.fromEntries(
  LOCATION_KEYS.map((key) => [key, v.optional(pathString(`Folder for uv's ${key} location (templates allowed)`))]),
) as Record<LocationKey, v.OptionalSchema<ReturnType<typeof pathString>, undefined>>;

export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const ConfigSchema = v.strictObject({
  mode: v.optional(
    v.pipe(v.picklist(MODES, 'must be one of "enforce", "warn", "off"'), v.description('What to do with a location outside allowed-roots')),
  ),
  'allowed-roots': v.optional(
    v.pipe(v.array(pathString('An allowlisted folder')), v.description('Folders where uv may write and run programs')),
  ),
  'data-root': v.optional(pathString('Where uvx-safe puts every location it relocates; must lie inside allowed-roots')),
  locations: v.optional(v.pipe(v.strictObject(locationsShape), v.description('Per-location overrides'))),
  'uv-path': v.optional(pathString('Absolute path of the real uv binary')),
  'uv-version': v.optional(pathString('Version range the real uv must satisfy, e.g. ">=0.13, <0.14"')),
  env: v.optional(
    v.pipe(
      v.record(v.pipe(v.string(), v.regex(ENV_NAME, 'is not a valid variable name')), v.string('must be a string')),
      v.description('Extra variables for uv'),
    ),
  ),
  locked: v.optional(v.pipe(v.array(LOCKABLE_KEY), v.description('Keys later layers cannot change (admin policy only)'))),
});

export type RawConfig = v.InferOutput<typeof ConfigSchema>;
