// Who owns a file, and whose files we trust: git's `safe.directory` rule (CVE-2022-24765) for
// project config files, and the admin policy's own permissions for `safe doctor`. The rules are
// pure functions of an owner and the current user, so Windows' rule is tested on any machine.
//
// Windows: Node's fs.stat reports uid 0 for every file. The standalone executable (Bun) reads the
// owner SID through Bun's FFI (owner-win32-bun.ts), loaded only when a project config file was
// found; a lookup that fails gives an `unknown` owner, and the file is ignored (fail closed). Under
// Node (the npm form) there is no FFI and a PowerShell start is far too slow for every uv call, so
// the owner stays unknown there and the file is trusted, as before (design.md, "Changes made while
// building it").

import fs = require('node:fs');
import type { Platform } from './env.js';
import type { WindowsSids } from './owner-win32-bun.js';
import type { SecurityFacts } from './windows-acl.js';

/** `unknown`: the lookup failed (the reason, naming the Windows function); such a file is not trusted. */
export type Owner = { uid: number } | { sid: string } | { unknown: string };

export interface CurrentUser {
  uid?: number;
  sid?: string;
  /** Why the user's SID could not be read: then only Administrators' and SYSTEM's files are trusted. */
  unknown?: string;
}

/** Administrators and SYSTEM: the owners git for Windows accepts besides the user. */
export const WINDOWS_TRUSTED_SIDS: readonly string[] = ['S-1-5-32-544', 'S-1-5-18'];

/** Whether files of this owner may configure us: ours, root's, or (Windows) Administrators' or SYSTEM's. */
export function isTrustedOwner(owner: Owner | undefined, me: CurrentUser): boolean {
  if (owner === undefined) return true; // cannot tell (Windows under Node): see the header
  if ('unknown' in owner) return false;
  if ('uid' in owner) return owner.uid === 0 || owner.uid === me.uid;
  return WINDOWS_TRUSTED_SIDS.includes(owner.sid.toUpperCase()) || owner.sid.toUpperCase() === me.sid?.toUpperCase();
}

/** The owner as Node can see it: the uid on POSIX, unknown on Windows. */
export function ownerFromStats(stats: { uid: number }, platform: Platform): Owner | undefined {
  return platform === 'win32' ? undefined : { uid: stats.uid };
}

export function currentUser(platform: Platform): CurrentUser {
  return platform === 'win32' ? {} : { uid: process.getuid?.() };
}

/** How owners are read: from the stat already made, or (Windows under Bun) by SID. */
export interface OwnerLookup {
  me: () => CurrentUser;
  ownerOf: (path: string, stats: { uid: number }) => Owner | undefined;
}

/** SIDs from `sids` (opened on first use); a failure becomes an unknown owner or user, never an exception. */
export function sidOwnerLookup(sids: () => WindowsSids): OwnerLookup {
  const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));
  return {
    me: () => {
      try {
        return { sid: sids().currentUser() };
      } catch (error) {
        return { unknown: reason(error) };
      }
    },
    ownerOf: (path) => {
      try {
        return { sid: sids().ownerOf(path) };
      } catch (error) {
        return { unknown: reason(error) };
      }
    },
  };
}

/**
 * The lookup this process can use: by SID on Windows under Bun (the standalone executable), else
 * the stat's uid (unknown on Windows under Node). The FFI module is required only on first use.
 */
export function ownerLookup(
  platform: Platform,
  runtime: { platform: Platform; bun: boolean } = { platform: process.platform, bun: process.versions.bun !== undefined },
): OwnerLookup {
  if (platform === 'win32' && runtime.platform === 'win32' && runtime.bun) {
    return sidOwnerLookup(() => (require('./owner-win32-bun.js') as typeof import('./owner-win32-bun.js')).windowsSids());
  }
  return { me: () => currentUser(platform), ownerOf: (_path, stats) => ownerFromStats(stats, platform) };
}

/** Reads the owner and the DACL of a path; throws an Error naming the failed Windows call. */
export type SecurityReader = (path: string) => SecurityFacts;

/** The reader this process has: Windows under Bun (the standalone executable) only; Node cannot read ACLs. */
export function securityReader(
  runtime: { platform: Platform; bun: boolean } = { platform: process.platform, bun: process.versions.bun !== undefined },
): SecurityReader | undefined {
  if (runtime.platform !== 'win32' || !runtime.bun) return undefined;
  return (path) => (require('./owner-win32-bun.js') as typeof import('./owner-win32-bun.js')).windowsSids().securityOf(path);
}

/** A login name from /etc/passwd text, for messages. */
export function passwdName(passwd: string, uid: number): string | undefined {
  for (const line of passwd.split('\n')) {
    const fields = line.split(':');
    if (fields.length > 2 && fields[2] === String(uid)) return fields[0];
  }
  return undefined;
}

/** "uid 65534 (nobody)": read /etc/passwd only here, on the warning path. */
export function describeOwner(owner: Owner): string {
  if ('unknown' in owner) return `an owner that could not be read (${owner.unknown})`;
  if ('sid' in owner) return owner.sid;
  let name: string | undefined;
  try {
    name = passwdName(fs.readFileSync('/etc/passwd', 'utf8'), owner.uid);
  } catch {
    name = undefined;
  }
  return name ? `uid ${owner.uid} (${name})` : `uid ${owner.uid}`;
}

/** What makes a POSIX admin policy file (or its folder) changeable by someone other than root, if anything. */
export function policyFileProblem(what: string, stats: { uid: number; mode: number }): string | undefined {
  const problems: string[] = [];
  if (stats.uid !== 0) problems.push(`owned by uid ${stats.uid}, not root`);
  const writers = [stats.mode & 0o020 ? 'its group' : '', stats.mode & 0o002 ? 'everyone' : ''].filter(Boolean);
  if (writers.length) problems.push(`writable by ${writers.join(' and ')}`);
  return problems.length ? `${what} is ${problems.join(' and ')}` : undefined;
}
