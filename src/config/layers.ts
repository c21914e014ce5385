// Reading the config layers from disk and the environment (design.md, "Configuration").
// Data only: TOML files are parsed, never executed; the project search reads no code of any kind.

import fs = require('node:fs');
import path = require('node:path');
import { ConfigError } from '../errors.js';
import { getEnv, pathFor, type EnvMap, type Platform } from '../platform/env.js';
import { adminConfigPath, userConfigPath, type HostInfo } from '../platform/dirs.js';
import { decodeConfigBytes, parseTomlText, validateConfig } from './parse.js';
import type { Layer, LayerName } from './layer.js';
import { LOCATION_KEYS, type RawConfig } from './schema.js';
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

/** Absolute, `~`, or starting with a template that expands to an absolute path. */
function isAbsoluteSpelling(value: string, platform: Platform): boolean {
  return pathFor(platform).isAbsolute(value) || /^~([\\/]|$)/.test(value) || /^\{(home|data-root|env:[^{}]*)\}/.test(value);
}

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
 * The admin policy, or undefined when there is none. The default path may be missing (no policy);
 * a file named by UVX_SAFE_SYSTEM_CONFIG must exist, so that a typo cannot silently drop the policy.
 */
export function readAdminLayer(host: HostInfo): Layer | undefined {
  const file = adminConfigPath(host);
  const named = getEnv(host.env, 'UVX_SAFE_SYSTEM_CONFIG', host.platform) !== undefined;
  if (named && !pathFor(host.platform).isAbsolute(file))
    throw new ConfigError('environment variable UVX_SAFE_SYSTEM_CONFIG', `"${file}" is a relative path`, { hint: 'set UVX_SAFE_SYSTEM_CONFIG to an absolute path, or unset it' });
  const layer = readConfigFile(file, 'admin');
  if (!layer && named)
    throw new ConfigError('environment variable UVX_SAFE_SYSTEM_CONFIG', `names ${file}, which does not exist`, { hint: 'point it at the policy file, or unset it' });
  return layer;
}

export interface LoadedLayers {
  layers: Layer[];
  warnings: string[];
  /** Project config files skipped because another user owns them (also in warnings). */
  ignored: string[];
  adminFile: string;
  userFile: string;
}

/** How the project search decides which files it may read, from the admin and user layers. */
export function projectTrust(host: HostInfo, trustedLayers: readonly Layer[]): ProjectTrust {
  return nodeProjectTrust(host.platform, safeDirectoriesFrom(trustedLayers, host));
}

/** All layers, lowest first. `projectStart` is where the project search begins. */
export function loadLayers(host: HostInfo, cwd: string, projectStart: string): LoadedLayers {
  const adminFile = adminConfigPath(host);
  const userFile = userConfigPath(host);
  const layers: Layer[] = [];
  const admin = readAdminLayer(host);
  if (admin) layers.push(admin);
  const user = readConfigFile(userFile, 'user');
  if (user) layers.push(user);
  const ignored: string[] = [];
  const project = findProjectLayer(projectStart, projectTrust(host, layers), ignored);
  if (project) layers.push(project);
  const fromEnv = envLayer(host.env, host.platform, cwd);
  if (fromEnv.layer) layers.push(fromEnv.layer);
  return { layers, warnings: [...ignored, ...fromEnv.warnings], ignored, adminFile, userFile };
}
