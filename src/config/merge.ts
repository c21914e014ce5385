// Layers -> one effective config, key by key, with the origin of every value (for
// `safe config show`, doctor and messages) and the admin's locks applied. Pure.

import { ConfigError } from '../errors.js';
import { isLocked, type Layer, type LayerName } from './layer.js';
import { projectMaySetEnv } from './project-env.js';
import { LOCATION_KEYS, type AllowedRoot, type LocationKey, type Mode, type ReportValue } from './schema.js';

export { isLocked, projectMaySetEnv };

export interface Origin {
  layer: 'default' | LayerName;
  /** File path, "environment", or "built-in default". */
  source: string;
}

export interface Setting<T> {
  value: T;
  origin: Origin;
  /** Relative paths in the value resolve against this folder. */
  baseDir: string;
  locked: boolean;
}

export interface EffectiveConfig {
  mode: Setting<Mode>;
  allowedRoots?: Setting<AllowedRoot[]>;
  dataRoot?: Setting<string>;
  locations: Partial<Record<LocationKey, Setting<string>>>;
  uvPath?: Setting<string>;
  uvVersion?: Setting<string>;
  /** Where the managed uv comes from (admin or user only). */
  uvSource?: Setting<string>;
  safeDirectories?: Setting<string[]>;
  /** Where refusals and warnings are appended (src/report/): the admin policy's only. */
  report?: Setting<string | ReportValue>;
  env: Record<string, Setting<string>>;
  locked: string[];
  /** The admin policy file that holds `locked`, if any. */
  lockSource?: string;
  /** Locked keys a `UVX_SAFE_*` variable tried to change (the admin's value kept; refused in enforce by prepare.ts). */
  lockedOverrides: string[];
  warnings: string[];
}

/**
 * Keys a project file may never set: they widen what uv may run, choose which uv runs, or choose a
 * folder uv writes to and runs programs from. A repository could otherwise point data-root or a
 * location at folders it ships (a planted managed Python, tool or cache entry), which uv would then run.
 */
const PROJECT_FORBIDDEN = new Set(['allowed-roots', 'data-root', 'uv-path', 'uv-version', 'uv-source', 'locked', 'safe-directories']);

function projectMaySet(key: string): boolean {
  return !PROJECT_FORBIDDEN.has(key) && !key.startsWith('locations.');
}

/** uv's location variables: set through [locations], never [env], so that they are checked. */
export const LOCATION_VARIABLES = new Set([
  'UV_CACHE_DIR',
  'UV_NO_CACHE',
  'TMPDIR',
  'TMP',
  'TEMP',
  'UV_PYTHON_INSTALL_DIR',
  'UV_PYTHON_BIN_DIR',
  'UV_PYTHON_CACHE_DIR',
  'UV_TOOL_DIR',
  'UV_TOOL_BIN_DIR',
  'UV_PROJECT_ENVIRONMENT',
  'UV_CREDENTIALS_DIR',
  'PYX_CREDENTIALS_DIR',
]);

/** Strictness of each mode: a project file may raise it, never lower it. */
const MODE_RANK: Record<Mode, number> = { off: 0, warn: 1, enforce: 2 };


function equalValues(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Flattens a layer to `key -> value` pairs: `locations.cache`, `env.UV_INDEX`, `mode`, ... */
function entries(layer: Layer): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [key, value] of Object.entries(layer.config)) {
    if (value === undefined) continue;
    if (key === 'locations' || key === 'env') {
      for (const [sub, subValue] of Object.entries(value as Record<string, unknown>))
        if (subValue !== undefined) out.push([`${key}.${sub}`, subValue]);
    } else out.push([key, value]);
  }
  return out;
}

export function mergeLayers(layers: readonly Layer[]): EffectiveConfig {
  const warnings: string[] = [];
  // Whether a value is locked is the admin's list's answer, given as each setting is read (`get`).
  const values = new Map<string, Omit<Setting<unknown>, 'locked'>>();
  values.set('mode', { value: 'warn', origin: { layer: 'default', source: 'built-in default' }, baseDir: '' });
  const admin = layers.find((layer) => layer.name === 'admin');
  const locked = admin?.config.locked ?? [];
  const lockedOverrides: string[] = [];

  for (const layer of layers) {
    for (const [key, value] of entries(layer)) {
      if (key === 'locked') {
        if (layer.name !== 'admin') warnings.push(`${layer.source}: locked can only be set by the admin policy; ignored`);
        continue;
      }
      // The fleet's record of what users hit: a user or a repository may neither move it nor turn it off.
      if (key === 'report' && layer.name !== 'admin') {
        warnings.push(`${layer.source}: report can only be set by the admin policy; ignored`);
        continue;
      }
      if (key.startsWith('env.')) {
        const name = key.slice(4);
        if (LOCATION_VARIABLES.has(name.toUpperCase()) || name.toUpperCase().startsWith('UVX_SAFE_'))
          throw new ConfigError(layer.source, 'a location variable belongs in [locations] (or data-root), not [env]', {
            key,
            value,
            hint: 'move it to [locations] (docs/config-reference.md#locations), or drop it: data-root places every location',
          });
        if (layer.name === 'project' && !projectMaySetEnv(name)) {
          warnings.push(`${layer.source}: ${key} cannot be set by a project config (only uv settings that name no program, file, URL, source or credential); ignored`);
          continue;
        }
      }
      if (layer.name === 'project' && !projectMaySet(key)) {
        warnings.push(`${layer.source}: ${key} cannot be set by a project config; ignored`);
        continue;
      }
      if (layer.name === 'project' && key === 'mode') {
        const current = values.get('mode')!.value as Mode;
        if (MODE_RANK[value as Mode] < MODE_RANK[current]) {
          warnings.push(`${layer.source}: mode = "${value}" is looser than "${current}" (from ${values.get('mode')!.origin.source}); a project config may only tighten mode; ignored`);
          continue;
        }
      }
      if (layer.name !== 'admin' && isLocked(key, locked)) {
        if (equalValues(values.get(key)?.value, value)) continue;
        // A variable against a lock is an override of the admin's file: said (or refused) by the caller.
        if (layer.name === 'env') lockedOverrides.push(key);
        else
          warnings.push(`${layer.source}: ${key} is locked by the admin policy (${admin!.source}); ignored`);
        continue;
      }
      values.set(key, { value, origin: { layer: layer.name, source: layer.source }, baseDir: layer.baseDir });
    }
  }

  const get = <T>(key: string): Setting<T> | undefined => {
    const entry = values.get(key) as Omit<Setting<T>, 'locked'> | undefined;
    return entry && { ...entry, locked: isLocked(key, locked) };
  };
  const locations: EffectiveConfig['locations'] = {};
  for (const loc of LOCATION_KEYS) {
    const setting = get<string>(`locations.${loc}`);
    if (setting) locations[loc] = setting;
  }
  const env: EffectiveConfig['env'] = {};
  for (const key of values.keys()) if (key.startsWith('env.')) env[key.slice(4)] = get<string>(key)!;

  return {
    mode: get<Mode>('mode')!,
    allowedRoots: get<AllowedRoot[]>('allowed-roots'),
    dataRoot: get<string>('data-root'),
    locations,
    uvPath: get<string>('uv-path'),
    uvVersion: get<string>('uv-version'),
    uvSource: get<string>('uv-source'),
    safeDirectories: get<string[]>('safe-directories'),
    report: get<string | ReportValue>('report'),
    env,
    locked: [...locked],
    lockSource: admin && locked.length ? admin.source : undefined,
    lockedOverrides,
    warnings,
  };
}

/**
 * `enforce` with nothing to enforce against would refuse nothing: an error, naming where the mode
 * came from. Checked on the merged config (roots may come from another layer than the mode).
 */
export function checkEnforceHasRoots(config: EffectiveConfig): void {
  if (config.mode.value !== 'enforce' || (config.allowedRoots?.value.length ?? 0) > 0) return;
  const source = config.mode.origin.layer === 'env' ? 'environment variable UVX_SAFE_MODE' : config.mode.origin.source;
  throw new ConfigError(source, '"enforce" needs allowed-roots, and no layer sets any', {
    key: 'mode',
    hint: 'add allowed-roots = ["<folder where uv may write and run programs>"] to the admin policy: docs/config-reference.md#allowed-roots',
  });
}
