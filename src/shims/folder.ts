// Whether the folder shims go into is the installer's alone. A shim is a program every `uv` call
// runs: if another user could write the folder (or rename one of its parents), they could swap it
// for their own program. POSIX: the folder and each parent must be owned by root or the installer,
// and not writable by group or others (a parent with the sticky bit, like /tmp, only lets each owner
// rename their own entries, so it may be). Windows: the folder's owner and every write right in its
// DACL must be the installer's, Administrators', SYSTEM's or TrustedInstaller's (read by the
// standalone executable; Node cannot read ACLs and says so in a warning). Pure: the facts come in.

import type { Platform } from '../platform/env.js';
import { pathChain, posixChainProblem, type ChainProblem, type PosixFacts } from '../platform/admin-only.js';
import { describeSid, nonAdminWriters, WINDOWS_ADMIN_SIDS, type SecurityFacts } from '../platform/windows-acl.js';

export type FolderProblem = ChainProblem;

/** The folder, then each parent up to the root: the paths whose owners decide who controls the shims. */
export const folderChain = pathChain;

/** Why another user could change what is in `chain[0]` (the shim folder, realpath): root or the installer own each. */
export function posixFolderProblem(chain: readonly string[], me: number, stat: (path: string) => PosixFacts | undefined): FolderProblem | undefined {
  return posixChainProblem(chain, { owners: [0, me], ownersWords: `root or you (uid ${me})`, stickyParents: true }, stat);
}

/** Why someone other than the installer and the admins could change the folder (Windows), or undefined. */
export function windowsFolderProblem(dir: string, facts: SecurityFacts, me: string | undefined): FolderProblem | undefined {
  const trusted = (sid: string) => WINDOWS_ADMIN_SIDS.includes(sid.toUpperCase()) || sid.toUpperCase() === me?.toUpperCase();
  if (!trusted(facts.owner)) return { path: dir, why: `${dir} is owned by ${describeSid(facts.owner)}, not by you or Administrators` };
  const others = nonAdminWriters(facts.dacl, 'folder').filter((sid) => !trusted(sid));
  if (others.length) return { path: dir, why: `${others.map(describeSid).join(' and ')} can write ${dir}` };
  return undefined;
}

/** The refusal: what is wrong, and what to do instead. */
export function folderRefusal(problem: FolderProblem, platform: Platform): { message: string; hint: string } {
  const example = platform === 'win32' ? 'C:\\Program Files\\uvx-safe\\bin' : '/opt/uvx-safe/bin';
  const fix = problem.fix ? `, or close it with \`${problem.fix}\`` : '';
  return {
    message: `refusing to install shims there: ${problem.why}, so another user could swap a shim for their own program (nothing was written)`,
    hint: `choose a folder only you or the administrators can change (e.g. ${example})${fix}`,
  };
}
