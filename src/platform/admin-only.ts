// Who besides the administrators could change a path: its owner and write rights, and those of every
// folder above it. Two callers, one rule set: the shim folder must be the installer's alone
// (src/shims/folder.ts), and a program outside allowed-roots is a machine program only when nobody
// but root / Administrators could have put it there or could change it (the reason AppLocker's default
// rules allow Program Files and Windows). Pure: the facts come in (admin-only-node.ts reads them).

import { pathFor, type Platform } from './env.js';
import { windowsWriteProblems, type SecurityFacts } from './windows-acl.js';

export interface PosixFacts {
  uid: number;
  mode: number;
}

/** What lets someone else change a path: the path at fault, why, and the command that closes it when one does. */
export interface ChainProblem {
  path: string;
  why: string;
  fix?: string;
}

const STICKY = 0o1000;

/** The path, then each folder above it up to the root: the paths whose owners decide who controls it. */
export function pathChain(path: string, platform: Platform): string[] {
  const p = pathFor(platform);
  const chain = [path];
  for (let at = path; p.dirname(at) !== at; ) {
    at = p.dirname(at);
    chain.push(at);
  }
  return chain;
}

function groupOtherWriters(mode: number): string | undefined {
  const who = [mode & 0o020 ? 'its group' : '', mode & 0o002 ? 'everyone' : ''].filter(Boolean);
  return who.length ? who.join(' and ') : undefined;
}

export interface PosixRule {
  /** The uids that may own each path (root; for shims also the installer). */
  owners: readonly number[];
  /** "root or you (uid 1000)": for the message. */
  ownersWords: string;
  /**
   * A sticky parent (/tmp) lets nobody rename what is not theirs, so it may be open (shims); a
   * program's folders may not (anyone could add a pyvenv.cfg or a module beside it).
   */
  stickyParents: boolean;
}

/**
 * Why someone not in `rule.owners` could change `chain[0]`, or undefined. `stat` gives a path's owner
 * and mode (undefined: absent, e.g. a folder not made yet); `writable`, when given, says whether the
 * current user may write a path anyway (a POSIX ACL).
 */
export function posixChainProblem(
  chain: readonly string[],
  rule: PosixRule,
  stat: (path: string) => PosixFacts | undefined,
  writable?: (path: string) => boolean,
): ChainProblem | undefined {
  for (const [i, path] of chain.entries()) {
    const facts = stat(path);
    if (!facts) continue;
    const what = i === 0 ? path : `its parent ${path}`;
    if (!rule.owners.includes(facts.uid)) return { path, why: `${what} is owned by uid ${facts.uid}, not by ${rule.ownersWords}` };
    const who = groupOtherWriters(facts.mode);
    if (who && (i === 0 || !rule.stickyParents || !(facts.mode & STICKY))) return { path, why: `${what} is writable by ${who}`, fix: `chmod go-w ${path}` };
    if (writable?.(path)) return { path, why: `${what} is writable by you` };
  }
  return undefined;
}

/**
 * Why someone other than Administrators, SYSTEM or TrustedInstaller could change the program
 * `chain[0]` (Windows), or undefined. The program itself: any write right; its folder: any (a DLL or
 * a `python._pth` beside it changes what runs); the folder above: adding files too (CPython reads a
 * `pyvenv.cfg` there); further up: only rights that replace what is below (delete, change rights or
 * owner): C:\ lets every user create folders, which changes nothing below Program Files.
 */
export function windowsChainProblem(chain: readonly string[], security: (path: string) => SecurityFacts): ChainProblem | undefined {
  const kinds = ['file', 'folder', 'near-parent'] as const;
  for (const [i, path] of chain.entries()) {
    let facts: SecurityFacts;
    try {
      facts = security(path);
    } catch (error) {
      return { path, why: `the permissions of ${path} cannot be read (${(error as Error).message})` };
    }
    const [problem] = windowsWriteProblems(path, kinds[i] ?? 'parent', facts);
    if (problem) return { path, why: problem };
  }
  return undefined;
}
