// The file system behind admin-only.ts for a program outside allowed-roots: is it a machine program,
// one only root (Administrators, SYSTEM, TrustedInstaller) could have put there or could change?
// Read only when a request names a program by path and the policy checks locations.

import fs = require('node:fs');
import { pathChain, posixChainProblem, windowsChainProblem } from './admin-only.js';
import type { Platform } from './env.js';
import { securityReader } from './owner.js';

function writableByMe(path: string): boolean {
  try {
    fs.accessSync(path, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Why someone other than an administrator could change `real` (a canonical path: links already
 * followed) or a folder above it; undefined when only administrators can. Root counts as one: the
 * user who is root may write anything, and a program only root could place is the machine's.
 */
export function adminOnlyProblem(real: string, platform: Platform): string | undefined {
  const chain = pathChain(real, platform);
  if (platform === 'win32') {
    const security = securityReader();
    if (!security) return `the npm form cannot read Windows permissions, so whether only administrators can change ${real} is unknown (the standalone executable can tell)`;
    return windowsChainProblem(chain, security)?.why;
  }
  const uid = process.getuid?.() ?? 0;
  const stat = (path: string) => fs.statSync(path, { throwIfNoEntry: false });
  if (!stat(real)) return `${real} does not exist`;
  return posixChainProblem(chain, { owners: [0], ownersWords: 'root', stickyParents: false }, stat, uid === 0 ? undefined : writableByMe)?.why;
}
