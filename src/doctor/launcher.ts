// Doctor's first line: which uvx-safe runs, on what (the npm package on Node, or the standalone
// executable on Bun), from where.

import { currentFacts, selfIdentity } from '../launch/self.js';
import { VERSION, currentRuntime, describeRuntime, type RuntimeFacts } from '../version.js';
import type { Check } from './types.js';

export interface LauncherFacts extends RuntimeFacts {
  version: string;
  /** The launcher as started (bin/uvx-safe, a shim, the executable). */
  path: string;
}

export function launcherFacts(launcherPath: string): LauncherFacts {
  return { version: VERSION, ...currentRuntime(selfIdentity(currentFacts()).form), path: launcherPath };
}

export function launcherCheck(l: LauncherFacts): Check {
  return { id: 'uvx-safe.version', label: 'uvx-safe', status: 'ok', message: `${l.version}, ${describeRuntime(l)} (${l.path})` };
}
