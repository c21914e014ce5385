// The one schema of a config layer. The launcher validates with it, and `safe config schema`
// turns the same object into JSON Schema, so the two cannot drift apart.

import * as v from 'valibot';
import { parseByteSize } from '../text/byte-size.js';
import { isAbsoluteSpelling } from './templates.js';

export const MODES = ['enforce', 'warn', 'off'] as const;
export type Mode = (typeof MODES)[number];

export const LOCATION_KEYS = ['cache', 'temp', 'python', 'python-bin', 'tool', 'tool-bin', 'credentials', 'project-env'] as const;
export type LocationKey = (typeof LOCATION_KEYS)[number];

/** Keys an admin may list in `locked` (besides one entry of [env], `env.UV_INDEX`): whole tables, or one location. */
export const LOCKABLE_KEYS: readonly string[] = [
  ...['mode', 'allowed-roots', 'data-root', 'locations', 'uv-path', 'uv-version', 'uv-source', 'env', 'safe-directories'],
  ...LOCATION_KEYS.map((loc) => `locations.${loc}`),
];

export const LOCKABLE_KEY = v.pipe(
  v.string(),
  v.check(
    (key) => LOCKABLE_KEYS.includes(key) || /^env\.[A-Za-z_][A-Za-z0-9_]*$/.test(key),
    'is not a key that can be locked',
  ),
);

const pathString = (what: string) =>
  v.pipe(v.string(), v.nonEmpty('must not be empty'), v.description(what));

/** What each `[locations]` key moves, and through which of uv's variables (docs/uv-locations.md). */
const LOCATION_DESCRIPTIONS: Record<LocationKey, string> = {
  cache: "uv's cache: wheels, build environments, uvx and `uv run --with` environments (UV_CACHE_DIR); default {data-root}/cache",
  temp: 'The temporary folder uv and its builds use, and the throw-away cache of --no-cache (TMPDIR; TMP and TEMP on Windows); default {data-root}/tmp',
  python: 'Managed Python installations (UV_PYTHON_INSTALL_DIR); default {data-root}/python',
  'python-bin': 'Python executables installed by `uv python install` (UV_PYTHON_BIN_DIR); default {data-root}/bin',
  tool: 'Tool environments of `uv tool install` (UV_TOOL_DIR); default {data-root}/tools',
  'tool-bin': 'Tool executables (UV_TOOL_BIN_DIR); default {data-root}/bin',
  credentials:
    "uv's plain-text credentials store, written on `uv auth login` and (its lock file) on any index access (UV_CREDENTIALS_DIR; pyx's PYX_CREDENTIALS_DIR goes to its `pyx` subfolder); default {data-root}/credentials, private (0700). Point it back at the profile, e.g. \"{home}/.local/share/uv/credentials\", to keep the credentials users already stored there",
  'project-env': "Projects' virtual environments (UV_PROJECT_ENVIRONMENT), one per workspace (a project outside any workspace is its own) under this folder, for projects whose own .venv lies outside allowed-roots; not relocated unless set. Without it, in enforce, sync/run/add/remove/check/version --bump in such a project are refused",
};


/** `uv-source`: https, http for loopback only, file:// or a plain path; any other scheme is refused. */
export function uvSourceSchemeOk(value: string): boolean {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1]?.toLowerCase();
  if (scheme === undefined || scheme === 'https' || scheme === 'file') return true;
  if (scheme !== 'http') return false;
  try {
    const host = new URL(value).hostname;
    return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
  } catch {
    return false;
  }
}

export const UV_SOURCE_CHECK = v.check(
  uvSourceSchemeOk,
  'must be an https:// URL, an http:// URL of a loopback host (127.0.0.1, ::1, localhost), or a folder of wheels',
);

/** The same rule for JSON Schema (lower-case schemes only: JSON Schema patterns have no flags). */
export const UV_SOURCE_PATTERN = '^(?![A-Za-z][A-Za-z0-9+.-]*://)|^(https|file)://|^http://(localhost|127\\.[0-9]+\\.[0-9]+\\.[0-9]+|\\[::1\\])([:/]|$)';

export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `report`'s defaults: rotated at 10 MiB, three old files kept (report.jsonl.1 ... .3). */
export const REPORT_DEFAULT_MAX_SIZE = '10 MiB';
export const REPORT_DEFAULT_KEEP = 3;

/** A report path must not depend on the folder uv runs in or the file that names it: the collector looks in one place. */
export const REPORT_PATH_CHECK = v.check(
  (value: string) => isAbsoluteSpelling(value, 'linux') || isAbsoluteSpelling(value, 'win32'),
  'must be an absolute path, or start with ~, {home}, {data-root} or {env:NAME} (a relative one would change with the working folder)',
);
/** The same rule for JSON Schema: rooted, a drive, ~, or one of those templates first. */
export const REPORT_PATH_PATTERN = '^([\\\\/]|[A-Za-z]:[\\\\/]|~([\\\\/]|$)|\\{(home|data-root|env:[^{}]*)\\})';
export const BYTE_SIZE_CHECK = v.check((text: string) => parseByteSize(text) !== undefined, 'is not a size like "10 MiB"');
export const BYTE_SIZE_PATTERN = '^\\s*[0-9]+\\s*([Bb]|[KkMmGg][Bb]|[KkMmGg][Ii][Bb])?\\s*$';
const REPORT_PATH = v.pipe(v.string(), v.nonEmpty('must not be empty'), REPORT_PATH_CHECK);

/** The `report` key: a path, or a table with its rotation. */
export interface ReportValue {
  path: string;
  'max-size'?: string | number;
  keep?: number;
}

function buildReportSchema() {
  const description =
    'Appends one JSON line to this file for every refusal and warning uvx-safe says on a uv call (time, user, host, cwd, argv, rule, message, hint ...; see "Report lines" below), for the fleet\'s log collector. Off when unset. A path (templates {data-root}, {home}, {user}, {env:NAME}, ~; absolute), or a table { path = "...", max-size = "10 MiB", keep = 3 }: when the file has reached max-size it is renamed to FILE.1 (FILE.1 to FILE.2 ..., up to keep old files) before the next line. A file that cannot be written is one warning on that call, never a failure. Admin policy only';
  return v.optional(
    v.pipe(
      v.union(
        [
          REPORT_PATH,
          v.strictObject({
            path: v.pipe(REPORT_PATH, v.description('The report file')),
            'max-size': v.optional(
              v.pipe(
                v.union(
                  [
                    v.pipe(v.number(), v.integer(), v.minValue(1)),
                    v.pipe(v.string(), BYTE_SIZE_CHECK),
                  ],
                  'must be a size like "10 MiB", "500 KiB" or a number of bytes',
                ),
                v.description(`The size at which the file is rotated: a number of bytes, or a whole number with B, kB, KiB, MB, MiB, GB or GiB; default "${REPORT_DEFAULT_MAX_SIZE}"`),
              ),
            ),
            keep: v.optional(
              v.pipe(
                v.number(),
                v.integer('must be a whole number'),
                v.minValue(1, 'must be at least 1'),
                v.maxValue(99, 'must be at most 99'),
                v.description(`How many rotated files are kept (FILE.1 is the newest); default ${REPORT_DEFAULT_KEEP}`),
              ),
            ),
          }),
        ],
        'must be a path, or a table { path = "...", max-size = "10 MiB", keep = 3 }',
      ),
      v.description(description),
    ),
  );
}

/** Built on first use (configSchema()): a uv call that finds no config file never pays for it. */
function buildConfigSchema() {
  const locationsShape = Object.fromEntries(
    LOCATION_KEYS.map((key) => [
      key,
      v.optional(pathString(`${LOCATION_DESCRIPTIONS[key]}. Templates: {data-root}, {home}, {user}, {env:NAME}, ~`)),
    ]),
  ) as Record<LocationKey, v.OptionalSchema<ReturnType<typeof pathString>, undefined>>;
  return v.strictObject({
  mode: v.optional(
    v.pipe(v.picklist(MODES, 'must be one of "enforce", "warn", "off"'), v.description('What to do with a location that lies outside allowed-roots: "enforce" refuses it (exit status 2), "warn" says so and runs uv, "off" relocates and checks nothing. Default "warn"')),
  ),
  'allowed-roots': v.optional(
    v.pipe(
      v.array(
        v.union(
          [
            pathString('An allowlisted folder (absolute, or relative to the file that sets it); it must exist'),
            v.pipe(
              v.strictObject({
                path: pathString('The allowlisted folder'),
                optional: v.optional(v.pipe(v.boolean(), v.description('true: skipped (with a `safe doctor` warning) on a machine where the folder is absent; false (the default): an absent folder stops every uv call'))),
              }),
              v.description('An allowlisted folder that may be absent on some machines (an offline share, a laptop without D:)'),
            ),
          ],
          'must be a folder, or a table { path = "...", optional = true }',
        ),
      ),
      v.description('Folders where uv may write and run programs; every location must lie inside one (compared after realpath, case-insensitively on Windows). Each must exist, else every uv call stops, unless written as a table, `{ path = \'\\\\server\\share\\dev\', optional = true }`: then it is skipped on a machine where it is absent (and `safe doctor` warns). With every root absent, enforce refuses every location'),
    ),
  ),
  'data-root': v.optional(pathString('Where uvx-safe puts every location it relocates (cache, temp, python, tools, their bin folders), created if missing; must lie inside allowed-roots. Templates: {home}, {user}, {env:NAME}, ~')),
  locations: v.optional(v.pipe(v.strictObject(locationsShape), v.description('Per-location overrides of where uv writes and runs programs from; each defaults to a folder under data-root'))),
  'uv-path': v.optional(pathString('The real uv binary to run, before UVX_SAFE_UV and PATH are searched')),
  'uv-version': v.optional(pathString('Version range the real uv must satisfy, e.g. ">=0.13, <0.14"; another uv is refused with exit status 2')),
  'uv-source': v.optional(
    v.pipe(
      pathString('The simple index (PEP 503/691) the managed uv is installed from: the newest uv that satisfies uv-version and has a wheel for this platform goes into {data-root}/uv/<version>. An https:// URL (http:// only for 127.0.0.1, ::1 or localhost), or a folder of wheels with a <wheel>.sha256 file beside each. Admin or user config only'),
      UV_SOURCE_CHECK,
    ),
  ),
  env: v.optional(
    v.pipe(
      v.record(v.pipe(v.string(), v.regex(ENV_NAME, 'is not a valid variable name')), v.pipe(v.string('must be a string'), v.nonEmpty('must not be empty'))),
      v.description('Extra environment variables for uv, e.g. UV_DEFAULT_INDEX, UV_SYSTEM_CERTS, UV_PYTHON_DOWNLOADS; location variables (UV_CACHE_DIR, TMPDIR, ...) belong in [locations]'),
    ),
  ),
  'safe-directories': v.optional(
    v.pipe(
      v.array(pathString('A folder whose project config files are read even when another user owns them (or their folder); "FOLDER/*" for it and every folder below, "*" for all')),
      v.description('Exceptions to the ownership rule (git\'s safe.directory): a project config file owned by another user than the one running uvx-safe, or lying in a folder another user owns, is ignored with a warning unless its folder is listed here: a folder, "FOLDER/*" for it and every folder below, or "*" for all. Root\'s files are always read; on Windows those of Administrators and SYSTEM too. On Windows only the standalone executable checks owners (by SID); the npm form cannot read them and reads the files as before. The same list lets a repository\'s .python-version name an interpreter inside that repository (in enforce it is refused otherwise; the interpreter must still lie inside allowed-roots or be a machine program). Admin and user config only; the user\'s list replaces the admin\'s unless locked'),
    ),
  ),
  report: buildReportSchema(),
  locked: v.optional(v.pipe(v.array(LOCKABLE_KEY), v.description('Keys that later layers (user, project, environment) cannot change: a key, a whole table ("locations", "env"), or one entry of it ("locations.cache", "env.UV_DEFAULT_INDEX"). Admin policy only'))),
  });
}

export type ConfigSchemaType = ReturnType<typeof buildConfigSchema>;
let schema: ConfigSchemaType | undefined;

export function configSchema(): ConfigSchemaType {
  return (schema ??= buildConfigSchema());
}

export type RawConfig = v.InferOutput<ConfigSchemaType>;

/** One `allowed-roots` entry: a folder, or `{ path, optional }` for one that may be absent. */
export type AllowedRoot = string | { path: string; optional?: boolean };

/** The folder an `allowed-roots` entry names. */
export function rootPath(entry: AllowedRoot): string {
  return typeof entry === 'string' ? entry : entry.path;
}

/** Whether an absent folder is skipped rather than fatal. */
export function rootIsOptional(entry: AllowedRoot): boolean {
  return typeof entry !== 'string' && entry.optional === true;
}
