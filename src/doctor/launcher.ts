// Doctor's first line: which uvx-safe runs, on what (the npm package on Node, or the standalone
// executable on Bun), from where.

import { currentFacts, selfIdentity } from '../launch/self.js';
import { VERSION, currentRuntime, describeRuntime } from '../version.js';
import { runningLauncherFile, sha256File } from './fleet.js';
import type { Check, LauncherFacts } from './types.js';

export type { LauncherFacts };


export function launcherFacts(launcherPath: string): LauncherFacts {
  const runtime = currentRuntime(selfIdentity(currentFacts()).form);
  const file = runningLauncherFile(runtime.form, process.execPath, __dirname);
  return { version: VERSION, ...runtime, path: launcherPath, file, sha256: sha256File(file) };
}

export function launcherCheck(l: LauncherFacts): Check {
  return { id: 'uvx-safe.version', label: 'uvx-safe', status: 'ok', message: `${l.version}, ${describeRuntime(l)} (${l.path})` };
}
