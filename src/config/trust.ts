// Whether a project config file may be read at all: git's `safe.directory` model. A file, or the
// folder holding it, owned by another user than the one running uvx-safe (root, and on Windows
// Administrators and SYSTEM, excepted) is ignored with a warning, unless an admin or user config
// lists its folder in `safe-directories`.

import type { Stats } from 'node:fs';
import type { HostInfo } from '../platform/dirs.js';
import { pathFor, type Platform } from '../platform/env.js';
import { describeOwner, isTrustedOwner, ownerLookup, type CurrentUser, type Owner, type OwnerLookup } from '../platform/owner.js';
import { expandPath } from './templates.js';
import { isLocked, type Layer } from './layer.js';

export interface ProjectTrust {
  platform: Platform;
  /** Absolute folders, `folder/*` patterns, or `*`. */
  safeDirectories: readonly string[];
  /** Who runs uvx-safe; asked only when a config file is found. */
  me: () => CurrentUser;
  ownerOf: (file: string, stats: Stats) => Owner | undefined;
  /** The folder's stats: one extra call, made only for a folder that holds a config file. */
  statDir: (dir: string) => Stats;
}

/** `*`: every folder; `D/*`: D and everything below it; else exactly that folder (as git's safe.directory). */
export function isSafeDirectory(dir: string, patterns: readonly string[], platform: Platform): boolean {
  const p = pathFor(platform);
  const norm = (value: string) => {
    const n = p.normalize(value).replace(/[\\/]+$/, '') || p.sep;
    return platform === 'win32' ? n.toLowerCase() : n;
  };
  const folder = norm(dir);
  return patterns.some((pattern) => {
    if (pattern === '*') return true;
    if (/[\\/]\*$/.test(pattern)) {
      const base = norm(pattern.slice(0, -1));
      return folder === base || folder.startsWith(base.endsWith(p.sep) ? base : base + p.sep);
    }
    return folder === norm(pattern);
  });
}

/**
 * `safe-directories` as the admin and user layers set it (a project cannot set it): the user's list
 * replaces the admin's unless the admin locked the key. Paths are expanded like every path value.
 */
export function safeDirectoriesFrom(layers: readonly Layer[], host: HostInfo): string[] {
  const admin = layers.find((l) => l.name === 'admin');
  const user = layers.find((l) => l.name === 'user');
  const lockedByAdmin = isLocked('safe-directories', admin?.config.locked ?? []);
  const from = !lockedByAdmin && user?.config['safe-directories'] !== undefined ? user : admin;
  const list = from?.config['safe-directories'] ?? [];
  return list.map((raw, i) =>
    raw === '*'
      ? raw
      : expandPath({ raw, key: `safe-directories[${i}]`, source: from!.source, baseDir: from!.baseDir }, host),
  );
}

/** The trust of this process: owners by uid (POSIX), by SID (Windows, standalone executable), or unknown (Windows, Node). */
export function nodeProjectTrust(platform: Platform, safeDirectories: readonly string[] = []): ProjectTrust {
  const fs = require('node:fs') as typeof import('node:fs');
  // Chosen when a config file is first found: a uv call that finds none never asks.
  let owners: OwnerLookup | undefined;
  const lookup = () => (owners ??= ownerLookup(platform));
  let me: CurrentUser | undefined;
  return {
    platform,
    safeDirectories,
    me: () => (me ??= lookup().me()),
    ownerOf: (file, stats) => lookup().ownerOf(file, stats),
    statDir: (dir) => fs.statSync(dir),
  };
}

/**
 * Undefined when the file may be read; else the one-line warning that names the file and its owner.
 * `stats` are the file's, already taken by the search: the folder is asked only here.
 */
export function untrustedReason(file: string, stats: Stats, trust: ProjectTrust): string | undefined {
  const dir = pathFor(trust.platform).dirname(file);
  if (isSafeDirectory(dir, trust.safeDirectories, trust.platform)) return undefined;
  const me = trust.me();
  const fileOwner = trust.ownerOf(file, stats);
  let what = file;
  let owner = fileOwner;
  if (isTrustedOwner(fileOwner, me)) {
    owner = trust.ownerOf(dir, trust.statDir(dir));
    if (isTrustedOwner(owner, me)) return undefined;
    what = `its folder ${dir}`;
  }
  const remedy = `ignored (list ${dir} in safe-directories of the admin or user config to trust it)`;
  // Fail closed: an owner the lookup could not read (Windows) is not trusted.
  if (owner !== undefined && 'unknown' in owner) {
    return `${file}: the owner of ${what === file ? 'the file' : what} could not be read (${owner.unknown}); ${remedy}`;
  }
  const mine = me.uid !== undefined ? `uid ${me.uid}` : me.sid ?? (me.unknown ? `whose SID could not be read: ${me.unknown}` : 'you');
  const admins = trust.platform === 'win32' ? 'Administrators or SYSTEM' : 'root';
  return `${file}: ${what === file ? 'owned' : `${what} is owned`} by ${describeOwner(owner!)}, not by the user running uvx-safe (${mine}) or ${admins}; ${remedy}`;
}
