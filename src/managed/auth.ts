// Index credentials: the URL's own user:password (admin or user config only), the
// UVX_SAFE_UV_SOURCE_USERNAME / _PASSWORD variables, or a netrc-style file (NETRC, else ~/.netrc;
// ~/_netrc on Windows). Never from a project file: no project key can name an index or a secret.

import fs = require('node:fs');
import { getEnv, pathFor, type EnvMap, type Platform } from '../platform/env.js';

export interface Credentials {
  username: string;
  password: string;
}

export interface NetrcEntry {
  /** Undefined for the `default` entry. */
  machine?: string;
  login?: string;
  password?: string;
}

/** The netrc format (as curl and uv read it): machine/default entries, login, password; macdef skipped. */
export function parseNetrc(text: string): NetrcEntry[] {
  const entries: NetrcEntry[] = [];
  const lines = text.split(/\r?\n/);
  let current: NetrcEntry | undefined;
  for (let i = 0; i < lines.length; i++) {
    const tokens = lines[i]!.replace(/#.*$/, '').trim().split(/\s+/).filter(Boolean);
    for (let t = 0; t < tokens.length; t++) {
      const token = tokens[t]!;
      if (token === 'machine') {
        current = { machine: tokens[++t] };
        entries.push(current);
      } else if (token === 'default') {
        current = {};
        entries.push(current);
      } else if (token === 'macdef') {
        // A macro runs to the next empty line.
        while (i + 1 < lines.length && lines[i + 1]!.trim() !== '') i++;
        break;
      } else if (current && (token === 'login' || token === 'password' || token === 'account')) {
        const value = tokens[++t];
        if (token !== 'account') current[token] = value;
      }
    }
  }
  return entries;
}

export function netrcPath(env: EnvMap, home: string, platform: Platform): string {
  const explicit = getEnv(env, 'NETRC', platform);
  if (explicit) return explicit;
  const p = pathFor(platform);
  if (platform === 'win32') {
    const underscore = p.join(home, '_netrc');
    if (fs.existsSync(underscore)) return underscore;
  }
  return p.join(home, '.netrc');
}

function fromNetrc(host: string, text: string): Credentials | undefined {
  const entries = parseNetrc(text);
  const entry = entries.find((e) => e.machine === host) ?? entries.find((e) => e.machine === undefined);
  return entry?.login !== undefined && entry.password !== undefined ? { username: entry.login, password: entry.password } : undefined;
}

export interface AuthInput {
  /** The index URL as configured (may carry user:password). */
  index: URL;
  env: EnvMap;
  platform: Platform;
  /** The netrc file's text, when there is one. */
  netrc?: string;
}

/** Credentials for one request: the index's own (URL, variables) on its origin, netrc by host name. */
export function credentialsFor(target: URL, input: AuthInput): Credentials | undefined {
  const sameOrigin = target.origin === input.index.origin;
  if (sameOrigin && input.index.username)
    return { username: decodeURIComponent(input.index.username), password: decodeURIComponent(input.index.password) };
  const username = getEnv(input.env, 'UVX_SAFE_UV_SOURCE_USERNAME', input.platform);
  const password = getEnv(input.env, 'UVX_SAFE_UV_SOURCE_PASSWORD', input.platform);
  if (sameOrigin && (username !== undefined || password !== undefined)) return { username: username ?? '', password: password ?? '' };
  return input.netrc === undefined ? undefined : fromNetrc(target.hostname, input.netrc);
}

export function readNetrc(env: EnvMap, home: string, platform: Platform): string | undefined {
  try {
    return fs.readFileSync(netrcPath(env, home, platform), 'utf8');
  } catch {
    return undefined;
  }
}
