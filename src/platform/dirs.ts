// Well-known folders, as pure functions of platform, environment and home folder,
// so that Windows and macOS rules are tested on any machine.

import { getEnv, pathFor, type EnvMap, type Platform } from './env.js';

export interface HostInfo {
  platform: Platform;
  env: EnvMap;
  home: string;
  /** The OS's logon name of this process, for the `{user}` template (may throw: it cannot be read). */
  user: string;
}

/** Absolute-only XDG variables: uv, like the spec, ignores relative ones. */
function xdg(host: HostInfo, name: string): string | undefined {
  const value = getEnv(host.env, name, host.platform);
  return value && pathFor(host.platform).isAbsolute(value) ? value : undefined;
}

/**
 * The admin policy's path as UVX_SAFE_SYSTEM_CONFIG asks for it, else the platform path. Whether the
 * variable is obeyed is decided by readAdminPolicy (config/layers.ts): not when the platform file exists.
 */
export function adminConfigPath(host: HostInfo): string {
  const override = getEnv(host.env, 'UVX_SAFE_SYSTEM_CONFIG', host.platform);
  return override || platformAdminConfigPath(host);
}

/** Where the admin installs the policy on this platform (the MSI, the .deb, the admin guide). */
export function platformAdminConfigPath(host: HostInfo): string {
  const p = pathFor(host.platform);
  switch (host.platform) {
    case 'win32':
      return p.join(getEnv(host.env, 'ProgramData', 'win32') ?? 'C:\\ProgramData', 'uvx-safe', 'config.toml');
    case 'darwin':
      return '/Library/Application Support/uvx-safe/config.toml';
    default:
      return '/etc/uvx-safe/config.toml';
  }
}

export function userConfigPath(host: HostInfo): string {
  const p = pathFor(host.platform);
  if (host.platform === 'win32') {
    const appData = getEnv(host.env, 'APPDATA', 'win32') ?? p.join(host.home, 'AppData', 'Roaming');
    return p.join(appData, 'uvx-safe', 'config.toml');
  }
  return p.join(xdg(host, 'XDG_CONFIG_HOME') ?? p.join(host.home, '.config'), 'uvx-safe', 'config.toml');
}

/** The launcher's own small state (cached uv version) when no data-root is set. */
export function userCacheDir(host: HostInfo): string {
  const p = pathFor(host.platform);
  if (host.platform === 'win32') {
    const local = getEnv(host.env, 'LOCALAPPDATA', 'win32') ?? p.join(host.home, 'AppData', 'Local');
    return p.join(local, 'uvx-safe', 'cache');
  }
  if (host.platform === 'darwin') return p.join(host.home, 'Library', 'Caches', 'uvx-safe');
  return p.join(xdg(host, 'XDG_CACHE_HOME') ?? p.join(host.home, '.cache'), 'uvx-safe');
}

export type LocationName = 'cache' | 'temp' | 'python' | 'python-bin' | 'tool' | 'tool-bin' | 'credentials' | 'project-env';

/**
 * Where uv itself would put each location with nothing set by us (uv 0.13, docs/uv-locations.md).
 * The uv-specific variables are not consulted here: they are the user's explicit choices.
 */
export function uvDefaultLocations(host: HostInfo): Record<Exclude<LocationName, 'project-env'>, string> {
  const p = pathFor(host.platform);
  const { env, platform, home } = host;
  const win = platform === 'win32';
  const localAppData = getEnv(env, 'LOCALAPPDATA', platform) ?? p.join(home, 'AppData', 'Local');
  const appData = getEnv(env, 'APPDATA', platform) ?? p.join(home, 'AppData', 'Roaming');
  const cache = win
    ? p.join(localAppData, 'uv', 'cache')
    : p.join(xdg(host, 'XDG_CACHE_HOME') ?? p.join(home, '.cache'), 'uv');
  const data = win
    ? p.join(appData, 'uv', 'data')
    : p.join(xdg(host, 'XDG_DATA_HOME') ?? p.join(home, '.local', 'share'), 'uv');
  const xdgData = xdg(host, 'XDG_DATA_HOME');
  const bin = xdg(host, 'XDG_BIN_HOME') ?? (xdgData ? p.join(xdgData, '..', 'bin') : p.join(home, '.local', 'bin'));
  const temp = win
    ? getEnv(env, 'TMP', platform) ?? getEnv(env, 'TEMP', platform) ?? getEnv(env, 'USERPROFILE', platform) ?? home
    : getEnv(env, 'TMPDIR', platform) ?? '/tmp';
  return {
    cache,
    temp,
    python: p.join(data, 'python'),
    'python-bin': p.normalize(bin),
    tool: p.join(data, 'tools'),
    'tool-bin': p.normalize(bin),
    // uv's state store holds python, tools and credentials side by side.
    credentials: p.join(data, 'credentials'),
  };
}
