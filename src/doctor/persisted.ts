// Is the relocation in effect for programs that bypass the launcher (a GUI program, a client's own
// uv)? It is when this session inherits the plan's variables, as after `safe env --persist` and a
// new sign-in, or a dotfile. Where it was persisted comes from `safe env --persist`'s own places.

import { spawnSync } from 'node:child_process';
import fs = require('node:fs');
import { getEnv, type EnvMap, type Platform } from '../platform/env.js';
import { linuxPaths, PERSIST_MARK } from '../persist/linux.js';
import { ENVIRONMENT_KEYS, parseRegQuery } from '../persist/windows.js';
import type { Check } from './types.js';

export interface PersistFacts {
  /** The variables the plan sets for uv (temp left out: it moves only with --temp). */
  wanted: Record<string, string>;
  env: EnvMap;
  platform: Platform;
  /** Where `safe env --persist` wrote it: files, or registry keys holding UV_CACHE_DIR. */
  persistedIn: string[];
}

/** The places `safe env --persist` (user, then machine) has written to. */
export function persistedPlaces(platform: Platform, configHome: string): string[] {
  if (platform === 'win32') {
    return (['user', 'machine'] as const)
      .map((scope) => ENVIRONMENT_KEYS[scope])
      .filter((key) => {
        const r = spawnSync('reg', ['query', key, '/v', 'UV_CACHE_DIR'], { encoding: 'utf8', windowsHide: true });
        return r.status === 0 && parseRegQuery(r.stdout).has('UV_CACHE_DIR');
      });
  }
  if (platform !== 'linux') return [];
  return [...linuxPaths('user', configHome), ...linuxPaths('machine', configHome)].filter((file) => {
    try {
      return fs.readFileSync(file, 'utf8').startsWith(PERSIST_MARK);
    } catch {
      return false;
    }
  });
}

export function persistCheck(facts: PersistFacts, bypassed: boolean): Check | undefined {
  const names = Object.keys(facts.wanted).filter((name) => name.startsWith('UV_'));
  if (names.length === 0) return undefined;
  const missing = names.filter((name) => getEnv(facts.env, name, facts.platform) !== facts.wanted[name]);
  const label = 'relocation';
  const id = 'relocation.persisted';
  if (missing.length === 0)
    return { id, label, status: 'ok', message: `in effect for programs that bypass uvx-safe (this session has ${names.join(', ')})` };
  const where = facts.persistedIn.length ? `persisted in ${facts.persistedIn.join(', ')}, but this session lacks ${missing.join(', ')}: sign in again` : 'not persisted';
  const fix = facts.persistedIn.length ? '' : '; fix: uvx-safe safe env --persist (add --machine, as an administrator, for every user)';
  return {
    id,
    label,
    status: bypassed || facts.persistedIn.length ? 'warn' : 'ok',
    message: `not in effect for programs that bypass uvx-safe (${where}): a uv started without it uses its own folders${fix}`,
  };
}
