// `safe env --persist` on Windows: the user's (HKCU\Environment) or, with --machine, the machine's
// environment in the registry, which every new process gets (Explorer after WM_SETTINGCHANGE).
// Each value it replaces is kept first in a key of uvx-safe's own, so that --remove puts back
// exactly what was there (or deletes what was not); a value someone changed since is left alone.

import { spawnSync } from 'node:child_process';
import { UsageError } from '../errors.js';
import { pathHas } from './values.js';

export interface RegValue {
  type: string;
  data: string;
}

/** The registry as `reg.exe` shows it (an interface, so the rules are tested without Windows). */
export interface Registry {
  get(key: string, name: string): RegValue | undefined;
  /** Value names of a key ([] when the key does not exist). */
  names(key: string): string[];
  set(key: string, name: string, value: RegValue): void;
  delete(key: string, name: string): void;
  deleteKey(key: string): void;
  /** True when the key exists and holds subkeys. */
  hasSubkeys(key: string): boolean;
}

export type Scope = 'user' | 'machine';

export const ENVIRONMENT_KEYS: Record<Scope, string> = {
  user: 'HKCU\\Environment',
  machine: 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Environment',
};

/** Where the values --persist replaced are kept until --remove. */
export const BACKUP_KEYS: Record<Scope, string> = {
  user: 'HKCU\\Software\\uvx-safe\\persisted-environment',
  machine: 'HKLM\\SOFTWARE\\uvx-safe\\persisted-environment',
};

interface Backup {
  /** The value before the first --persist; null when there was none. */
  before: RegValue | null;
  /** What --persist wrote last. */
  written: string;
}

function readBackup(reg: Registry, scope: Scope, name: string): Backup | undefined {
  const raw = reg.get(BACKUP_KEYS[scope], name);
  if (!raw) return undefined;
  try {
    return JSON.parse(raw.data) as Backup;
  } catch {
    throw new UsageError(`safe env --persist: ${BACKUP_KEYS[scope]}\\${name} is not what uvx-safe wrote`, { hint: 'remove it by hand' });
  }
}

/**
 * Writes `variables` (REG_EXPAND_SZ data) and appends `toolBin` to Path; names persisted before but
 * not wanted now are undone. Returns one line per change.
 */
export function persistWindows(reg: Registry, scope: Scope, variables: [string, string][], toolBin?: string): string[] {
  const env = ENVIRONMENT_KEYS[scope];
  const done: string[] = [];
  const write = (name: string, value: RegValue) => {
    const backup = readBackup(reg, scope, name);
    const before = backup ? backup.before : (reg.get(env, name) ?? null);
    reg.set(BACKUP_KEYS[scope], name, { type: 'REG_SZ', data: JSON.stringify({ before, written: value.data } satisfies Backup) });
    reg.set(env, name, value);
    done.push(`${env}\\${name} = ${value.data}`);
  };
  const wanted = new Set(variables.map(([name]) => name.toUpperCase()));
  if (toolBin) wanted.add('PATH');
  for (const name of reg.names(BACKUP_KEYS[scope])) if (!wanted.has(name.toUpperCase())) done.push(...undoOne(reg, scope, name));
  for (const [name, data] of variables) write(name, { type: 'REG_EXPAND_SZ', data });
  if (toolBin) {
    const backup = readBackup(reg, scope, 'Path');
    const current = reg.get(env, 'Path');
    // From the value before the first --persist, so a second run with another data root replaces the entry.
    const base = backup ? (current && current.data !== backup.written ? current : backup.before) : current;
    if (!base || !pathHas(base.data, toolBin, 'win32'))
      write('Path', { type: base?.type ?? 'REG_EXPAND_SZ', data: base?.data ? `${base.data.replace(/;+$/, '')};${toolBin}` : toolBin });
  }
  return done;
}

/** Puts back one value from its backup; returns what was done or why not. */
function undoOne(reg: Registry, scope: Scope, name: string): string[] {
  const env = ENVIRONMENT_KEYS[scope];
  const backup = readBackup(reg, scope, name);
  const out: string[] = [];
  if (backup) {
    const current = reg.get(env, name);
    if (current?.data === backup.written) {
      if (backup.before) reg.set(env, name, backup.before);
      else reg.delete(env, name);
      out.push(backup.before ? `${env}\\${name} restored` : `${env}\\${name} removed`);
    } else out.push(`warning: ${env}\\${name} was changed since \`safe env --persist\`; left as it is`);
  }
  reg.delete(BACKUP_KEYS[scope], name);
  return out;
}

export function removeWindows(reg: Registry, scope: Scope): string[] {
  const names = reg.names(BACKUP_KEYS[scope]);
  const out = names.flatMap((name) => undoOne(reg, scope, name));
  reg.deleteKey(BACKUP_KEYS[scope]);
  const parent = BACKUP_KEYS[scope].replace(/\\[^\\]+$/, '');
  if (reg.names(parent).length === 0 && !reg.hasSubkeys(parent)) reg.deleteKey(parent);
  return out;
}

/** Value lines of `reg query`: four spaces, the name, four spaces, the type, four spaces, the data. */
export function parseRegQuery(output: string): Map<string, RegValue & { name: string }> {
  const values = new Map<string, RegValue & { name: string }>();
  for (const line of output.split(/\r?\n/)) {
    const match = /^ {4}(.+?) {4}(REG_[A-Z_]+)(?: {4}(.*))?$/.exec(line);
    if (match) values.set(match[1]!.toUpperCase(), { name: match[1]!, type: match[2]!, data: match[3] ?? '' });
  }
  return values;
}

/** Subkey lines of `reg query KEY`: the full key path below it (HKEY_CURRENT_USER\...\sub). */
export function hasSubkeyLines(output: string): boolean {
  // The key itself is the first such line; every further one is a subkey.
  return output.split(/\r?\n/).filter((line) => /^HKEY_/.test(line.trim())).length > 1;
}

/**
 * The real registry, through reg.exe (present on every Windows, and in Wine). Each key is listed once
 * (`reg query KEY` shows every value) and kept up to date by the writes: a reg.exe per value read cost
 * seconds for a handful of variables (each start ~0.7 s under Wine).
 */
export function regExe(): Registry {
  const run = (args: string[]) => spawnSync('reg', args, { encoding: 'utf8', windowsHide: true });
  const must = (args: string[]) => {
    const r = run(args);
    if (r.status !== 0)
      throw new UsageError(`safe env --persist: \`reg ${args.join(' ')}\` failed: ${(r.stderr || r.stdout || r.error?.message || '').trim().split(/\r?\n/)[0]}`, {
          hint: args[1]?.startsWith('HKLM') ? '--machine needs an administrator' : 'run it again; `reg query` shows what is there',
        });
  };
  /** Keys as listed: their values by upper-case name, and whether they hold subkeys; null when absent. */
  const listed = new Map<string, { values: Map<string, RegValue & { name: string }>; subkeys: boolean } | null>();
  const listing = (key: string) => {
    if (!listed.has(key)) {
      const r = run(['query', key]);
      listed.set(key, r.status === 0 ? { values: parseRegQuery(r.stdout), subkeys: hasSubkeyLines(r.stdout) } : null);
    }
    return listed.get(key)!;
  };
  return {
    get(key, name) {
      const found = listing(key)?.values.get(name.toUpperCase());
      return found && { type: found.type, data: found.data };
    },
    names(key) {
      return [...(listing(key)?.values.values() ?? [])].map((v) => v.name);
    },
    hasSubkeys(key) {
      return listing(key)?.subkeys ?? false;
    },
    set(key, name, value) {
      must(['add', key, '/v', name, '/t', value.type, '/d', value.data, '/f']);
      // A new key may have made its parent hold a subkey: list again when asked.
      if (listing(key) === null) listed.clear();
      else listing(key)!.values.set(name.toUpperCase(), { name, ...value });
    },
    delete(key, name) {
      if (!listing(key)?.values.has(name.toUpperCase())) return;
      must(['delete', key, '/v', name, '/f']);
      listing(key)!.values.delete(name.toUpperCase());
    },
    deleteKey(key) {
      if (listing(key) === null) return;
      must(['delete', key, '/f']);
      listed.clear();
    },
  };
}
