// Reading the config layers from disk and the environment (design.md, "Configuration").
// Data only: TOML files are parsed, never executed; the project search reads no code of any kind.

import fs = require('node:fs');
import path = require('node:path');
import { ConfigError } from '../errors.js';
import { getEnv, pathFor, type EnvMap, type Platform } from '../platform/env.js';
import { platformAdminConfigPath, userConfigPath, type HostInfo } from '../platform/dirs.js';
import { decodeConfigBytes, parseTomlText, validateConfig } from './parse.js';
import type { Layer, LayerName } from './layer.js';
import { LOCATION_KEYS, type RawConfig } from './schema.js';
import { isAbsoluteSpelling } from './templates.js';
import { nodeProjectTrust, safeDirectoriesFrom, untrustedReason, type ProjectTrust } from './trust.js';

export type { Layer, LayerName };

export const PROJECT_FILES = ['uvx-safe.toml', '.uvx-safe.toml', 'pyproject.toml'] as const;

function readFile(file: string): { text: string; stats: fs.Stats } | undefined {
  let bytes: Buffer;
  let stats: fs.Stats | undefined;
  try {
    // Most candidates do not exist: asking first avoids an exception per folder on the hot path.
    stats = fs.statSync(file, { throwIfNoEntry: false });
    if (!stats) return undefined;
    bytes = fs.readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new ConfigError(file, `cannot be read (${code ?? String(err)})`, {
      hint: 'every user who runs uv must be able to read it (the admin policy: owned by root, mode 0644)',
    });
  }
  return { text: decodeConfigBytes(bytes, file), stats };
}

/** A config file's text, decoded as the launcher decodes it; undefined when it does not exist. */
export function readConfigText(file: string): string | undefined {
  return readFile(file)?.text;
}

/** A standalone config file as a layer, or undefined when it does not exist. */
export function readConfigFile(file: string, name: LayerName): Layer | undefined {
  const text = readConfigText(file);
  if (text === undefined) return undefined;
  return fileLayer(text, file, name);
}

export function fileLayer(text: string, file: string, name: LayerName): Layer {
  const config = validateConfig(parseTomlText(text, file), file, text);
  return { name, source: file, baseDir: path.dirname(file), config };
}

/** Whether a pyproject.toml has `[tool.uvx-safe]` (or cannot be parsed, so might have it). */
function hasOurTable(text: string, file: string): boolean {
  try {
    return (parseTomlText(text, file).tool as Record<string, unknown> | undefined)?.['uvx-safe'] !== undefined;
  } catch {
    return true;
  }
}

/** `[tool.uvx-safe]` of a pyproject.toml, or undefined when it has none. */
export function pyprojectLayer(text: string, file: string): Layer | undefined {
  // Most pyproject.toml files never mention us: skip parsing them on the hot path.
  if (!text.includes('uvx-safe')) return undefined;
  const tool = parseTomlText(text, file).tool as Record<string, unknown> | undefined;
  const table = tool?.['uvx-safe'];
  if (table === undefined) return undefined;
  const config = validateConfig(table, file, text, 'tool.uvx-safe.');
  return { name: 'project', source: file, baseDir: path.dirname(file), config };
}

/**
 * The nearest project config from `startDir` up to the file-system root. A file that `trust` does not
 * accept (owned, or in a folder owned, by another user) is skipped, its warning added to `ignored`,
 * and the search goes on upwards, as if the file were not there.
 */
export function findProjectLayer(
  startDir: string,
  trust: ProjectTrust = nodeProjectTrust(process.platform),
  ignored: string[] = [],
): Layer | undefined {
  let dir = path.resolve(startDir);
  for (;;) {
    for (const name of PROJECT_FILES) {
      const file = path.join(dir, name);
      const found = readFile(file);
      if (found === undefined) continue;
      const pyproject = name === 'pyproject.toml';
      // Most pyproject.toml files never mention us: skip them before any further work.
      if (pyproject && !found.text.includes('uvx-safe')) continue;
      // Trust first: a file we may not read is not parsed either (its errors must not stop uv).
      const untrusted = untrustedReason(file, found.stats, trust);
      if (untrusted !== undefined) {
        if (!pyproject || hasOurTable(found.text, file)) ignored.push(untrusted);
        continue;
      }
      const layer = pyproject ? pyprojectLayer(found.text, file) : fileLayer(found.text, file, 'project');
      if (layer) return layer;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Variables that are the launcher's own, not config keys. */
const NON_CONFIG_VARIABLES = new Set([
  'UVX_SAFE_DEBUG',
  'UVX_SAFE_UV',
  'UVX_SAFE_SYSTEM_CONFIG',
  'UVX_SAFE_PARENT_PID',
  'UVX_SAFE_DEPTH',
  'UVX_SAFE_TEST_UV',
  'UVX_SAFE_WRITE_CODE_CACHE',
  // Credentials for uv-source (src/managed/auth.ts): never config keys, so never in a project file.
  'UVX_SAFE_UV_SOURCE_USERNAME',
  'UVX_SAFE_UV_SOURCE_PASSWORD',
]);

const ENV_KEYS: Record<string, (value: string, platform: Platform) => [string, unknown]> = {
  UVX_SAFE_MODE: (value) => ['mode', value],
  UVX_SAFE_DATA_ROOT: (value) => ['data-root', value],
  UVX_SAFE_ALLOWED_ROOTS: (value, platform) => [
    'allowed-roots',
    value.split(platform === 'win32' ? ';' : ':'),
  ],
  UVX_SAFE_UV_VERSION: (value) => ['uv-version', value],
  ...Object.fromEntries(
    LOCATION_KEYS.map((loc) => [
      `UVX_SAFE_LOCATIONS_${loc.toUpperCase().replace(/-/g, '_')}`,
      (value: string) => [`locations.${loc}`, value],
    ]),
  ),
};

/** Keys whose values are paths: from a variable they must be absolute, not relative to wherever uv runs. */
const PATH_KEYS = /^(data-root|allowed-roots|locations\.)/;

/** The `UVX_SAFE_*` variables as the top layer; unknown ones come back as warnings. */
export function envLayer(env: EnvMap, platform: Platform, cwd: string): { layer?: Layer; warnings: string[] } {
  const data: Record<string, unknown> = {};
  const warnings: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    const upper = platform === 'win32' ? name.toUpperCase() : name;
    if (!upper.startsWith('UVX_SAFE_') || value === undefined) continue;
    const toKey = ENV_KEYS[upper];
    if (!toKey) {
      if (value !== '' && !NON_CONFIG_VARIABLES.has(upper)) warnings.push(`${name} is not a uvx-safe variable; ignored`);
      continue;
    }
    const source = `environment variable ${name}`;
    const [key, parsed] = toKey(value, platform);
    if (PATH_KEYS.test(key))
      for (const item of Array.isArray(parsed) ? (parsed as string[]) : [parsed as string])
        if (item !== '' && !isAbsoluteSpelling(item, platform))
          throw new ConfigError(source, `"${item}" is a relative path (it would change with the working folder)`, {
            hint: `set ${name} to an absolute path`,
          });
    const [head, tail] = key.split('.') as [string, string | undefined];
    if (tail) data[head] = { ...(data[head] as object | undefined), [tail]: parsed };
    else data[head] = parsed;
    try {
      validateConfig({ [head]: data[head] }, source);
    } catch (err) {
      if (err instanceof ConfigError) throw new ConfigError(source, err.problem, { hint: err.hint });
      throw err;
    }
  }
  if (Object.keys(data).length === 0) return { warnings };
  // No folder to resolve against: every path from a variable is absolute (checked above).
  return { layer: { name: 'env', source: 'environment', baseDir: cwd, config: data as RawConfig }, warnings };
}

/**
 * A `UVX_SAFE_*` variable that tried to replace or loosen the admin's policy file (issue 18): the file
 * at the platform path wins. Refused in enforce, a warning otherwise (prepare.ts), reported by doctor.
 */
export interface AdminOverride {
  /** UVX_SAFE_SYSTEM_CONFIG, the variable of a key the admin locked (UVX_SAFE_DATA_ROOT ...), or Windows' ProgramData. */
  variable: string;
  /** The admin's policy file that applies instead. */
  adminFile: string;
  /** What the variable tried: 'names /tmp/x.toml', 'sets data-root, which the admin locked'. */
  attempt: string;
  /** What the user does instead: 'unset UVX_SAFE_SYSTEM_CONFIG'. */
  undo: string;
}

export interface AdminPolicy {
  layer?: Layer;
  /** The file read (or looked for): the platform path, or the one UVX_SAFE_SYSTEM_CONFIG names where there is none. */
  file: string;
  overrides: AdminOverride[];
}

/** What chooseAdminFile asks of the file system (a seam for the unit tests: the host's /etc is not theirs). */
export interface AdminFileSystem {
  exists(file: string): boolean;
  /** The same file under two names (a link, another spelling on Windows). */
  same(a: string, b: string): boolean;
}

/** The file system as the launcher asks it (exported for its tests). */
export const nodeAdminFileSystem: AdminFileSystem = {
  exists: (file) => fs.statSync(file, { throwIfNoEntry: false }) !== undefined,
  same: (a, b) => {
    try {
      return fs.realpathSync.native(a) === fs.realpathSync.native(b);
    } catch {
      return false;
    }
  },
};

/**
 * Which file is the admin policy. The file at the platform path wins whenever it exists:
 * UVX_SAFE_SYSTEM_CONFIG naming another file is then an override (reported, never obeyed). Without
 * one, the variable names the policy (a trial before deployment, a machine without an admin file,
 * the tests).
 */
export function chooseAdminFile(
  host: HostInfo,
  files: AdminFileSystem = nodeAdminFileSystem,
): { file: string; named: boolean; overrides: AdminOverride[] } {
  const { file: adminFile, overrides } = platformAdminFile(host, files);
  const named = getEnv(host.env, 'UVX_SAFE_SYSTEM_CONFIG', host.platform) || undefined;
  if (named === undefined) return { file: adminFile, named: false, overrides };
  if (!files.exists(adminFile)) return { file: named, named: true, overrides };
  if (!files.same(named, adminFile)) overrides.push({ variable: 'UVX_SAFE_SYSTEM_CONFIG', adminFile, attempt: `names ${named}`, undo: 'unset UVX_SAFE_SYSTEM_CONFIG' });
  return { file: adminFile, named: false, overrides };
}

/**
 * The platform path. On Windows it comes from %ProgramData%, which a user can set for their own
 * programs (setx): when it names another folder than Windows' own C:\ProgramData and the admin's
 * file is there, that file wins, and a policy at the variable's folder is an override.
 */
function platformAdminFile(host: HostInfo, files: AdminFileSystem): { file: string; overrides: AdminOverride[] } {
  const fromVariable = platformAdminConfigPath(host);
  if (host.platform !== 'win32') return { file: fromVariable, overrides: [] };
  const windows = platformAdminConfigPath({ ...host, env: {} });
  if (fromVariable.toLowerCase() === windows.toLowerCase() || !files.exists(windows)) return { file: fromVariable, overrides: [] };
  const moved = files.exists(fromVariable) && !files.same(fromVariable, windows);
  return { file: windows, overrides: moved ? [{ variable: 'ProgramData', adminFile: windows, attempt: `names another folder, with a policy at ${fromVariable}`, undo: 'remove your own ProgramData variable (HKCU\\Environment)' }] : [] };
}

/**
 * The admin policy (chooseAdminFile). A file named by UVX_SAFE_SYSTEM_CONFIG must exist, so that a
 * typo cannot silently drop the policy; the platform path may be missing (no policy).
 */
export function readAdminPolicy(host: HostInfo, files?: AdminFileSystem): AdminPolicy {
  const { file, named, overrides } = chooseAdminFile(host, files);
  const variable = 'environment variable UVX_SAFE_SYSTEM_CONFIG';
  if (named && !pathFor(host.platform).isAbsolute(file))
    throw new ConfigError(variable, `"${file}" is a relative path`, { hint: 'set UVX_SAFE_SYSTEM_CONFIG to an absolute path, or unset it' });
  const layer = readConfigFile(file, 'admin');
  if (!layer && named) throw new ConfigError(variable, `names ${file}, which does not exist`, { hint: 'point it at the policy file, or unset it' });
  return { layer, file, overrides };
}

/** The admin policy's layer, or undefined when there is none (readAdminPolicy). */
export function readAdminLayer(host: HostInfo, files?: AdminFileSystem): Layer | undefined {
  return readAdminPolicy(host, files).layer;
}

export interface LoadedLayers {
  layers: Layer[];
  warnings: string[];
  /** Project config files skipped because another user owns them (also in warnings). */
  ignored: string[];
  /** The admin policy file read or looked for (readAdminPolicy). */
  adminFile: string;
  userFile: string;
  /** UVX_SAFE_SYSTEM_CONFIG naming another file than the admin's, which exists (or %ProgramData% moved). */
  adminOverrides: AdminOverride[];
}

/** How the project search decides which files it may read, from the admin and user layers. */
export function projectTrust(host: HostInfo, trustedLayers: readonly Layer[]): ProjectTrust {
  return nodeProjectTrust(host.platform, safeDirectoriesFrom(trustedLayers, host));
}

/** All layers, lowest first. `projectStart` is where the project search begins. */
export function loadLayers(host: HostInfo, cwd: string, projectStart: string): LoadedLayers {
  const userFile = userConfigPath(host);
  const layers: Layer[] = [];
  const admin = readAdminPolicy(host);
  if (admin.layer) layers.push(admin.layer);
  const user = readConfigFile(userFile, 'user');
  if (user) layers.push(user);
  const ignored: string[] = [];
  const project = findProjectLayer(projectStart, projectTrust(host, layers), ignored);
  if (project) layers.push(project);
  const fromEnv = envLayer(host.env, host.platform, cwd);
  if (fromEnv.layer) layers.push(fromEnv.layer);
  return { layers, warnings: [...ignored, ...fromEnv.warnings], ignored, adminFile: admin.file, userFile, adminOverrides: admin.overrides };
}
