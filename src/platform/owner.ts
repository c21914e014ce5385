// Who owns a file, and whose files we trust: git's `safe.directory` rule (CVE-2022-24765) for
// project config files, and the admin policy's own permissions for `safe doctor`. The rules are
// pure functions of an owner and the current user, so Windows' rule is tested on any machine.
//
// Windows: Node's fs.stat reports uid 0 for every file, and reading a file's owner SID needs a native
// call or a PowerShell start (far too slow for every uv call). So the Node lookup returns "unknown"
// there and the file is trusted, as before; the SID rule (you, Administrators, SYSTEM) is ready for an
// owner lookup that can answer (design.md, "Changes made while building it").

import fs = require('node:fs');
import type { Platform } from './env.js';

export type Owner = { uid: number } | { sid: string };

export interface CurrentUser {
  uid?: number;
  sid?: string;
}

/** Administrators and SYSTEM: the owners git for Windows accepts besides the user. */
export const WINDOWS_TRUSTED_SIDS: readonly string[] = ['S-1-5-32-544', 'S-1-5-18'];

/** Whether files of this owner may configure us: ours, root's, or (Windows) Administrators' or SYSTEM's. */
export function isTrustedOwner(owner: Owner | undefined, me: CurrentUser): boolean {
  if (owner === undefined) return true; // cannot tell (Windows under Node): see the header
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
