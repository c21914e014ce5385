// Environment maps as plain objects, with Windows' case-insensitive names handled explicitly
// (a copied `process.env` loses Node's case folding, so `Path` and `PATH` could both appear).

import path = require('node:path');

export type Platform = NodeJS.Platform;
export type EnvMap = Record<string, string | undefined>;

export function pathFor(platform: Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

function keyOf(env: EnvMap, name: string, platform: Platform): string | undefined {
  if (platform !== 'win32') return Object.prototype.hasOwnProperty.call(env, name) ? name : undefined;
  const upper = name.toUpperCase();
  return Object.keys(env).find((key) => key.toUpperCase() === upper);
}

/** The value of a variable; an empty value counts as unset, as uv treats it. */
export function getEnv(env: EnvMap, name: string, platform: Platform): string | undefined {
  const key = keyOf(env, name, platform);
  const value = key === undefined ? undefined : env[key];
  return value === undefined || value === '' ? undefined : value;
}

/** Sets `name` in place, replacing every case variant of it on Windows. */
export function setEnv(env: EnvMap, name: string, value: string, platform: Platform): void {
  if (platform === 'win32') {
    const upper = name.toUpperCase();
    for (const key of Object.keys(env)) if (key.toUpperCase() === upper && key !== name) delete env[key];
  }
  env[name] = value;
}

/**
 * Copies an environment, dropping undefined values (Node passes them as the string "undefined").
 * On Windows, names that differ only in case become one: the first, as Windows' own look-up finds
 * it. A block holding both `foo` and `FOO` (Wine passes one on; so can a program's spawn) would
 * otherwise reach uv twice, and uv could read another value than the one the launcher judged.
 */
export function copyEnv(env: EnvMap, platform: Platform = process.platform): Record<string, string> {
  const out: Record<string, string> = {};
  const seen = platform === 'win32' ? new Set<string>() : undefined;
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (seen) {
      const upper = key.toUpperCase();
      if (seen.has(upper)) continue;
      seen.add(upper);
    }
    out[key] = value;
  }
  return out;
}
