// The real file system behind the shim folder's two checks before anything is placed there: is it
// the installer's alone (./folder.ts; a refusal otherwise), and can programs run from it (the
// execution probe; a warning otherwise, since the installer may be preparing another machine).

import fs = require('node:fs');
import { pathFor, type Platform } from '../platform/env.js';
import { ownerLookup, securityReader } from '../platform/owner.js';
import { nodeProbeHost, probeFolder } from '../platform/probe.js';
import { folderChain, folderRefusal, posixFolderProblem, windowsFolderProblem, type FolderProblem } from './folder.js';
import { ShimRefusal, type ShimSource } from './plan.js';

/** The folder's realpath; a folder not made yet is resolved through its nearest existing parent. */
function realFolder(dir: string, platform: Platform): string {
  const p = pathFor(platform);
  const missing: string[] = [];
  for (let at = dir; ; at = p.dirname(at)) {
    try {
      return p.join(fs.realpathSync.native(at), ...missing);
    } catch {
      if (p.dirname(at) === at) return dir;
      missing.unshift(p.basename(at));
    }
  }
}

function posixStat(path: string): { uid: number; mode: number } | undefined {
  return fs.statSync(path, { throwIfNoEntry: false });
}

/**
 * Refuses (exit 2, nothing written) a shim folder someone else could change. Windows under Node
 * cannot read ACLs: the returned warning says so.
 */
export function checkShimFolder(dir: string, platform: Platform): string | undefined {
  const real = realFolder(dir, platform);
  let problem: FolderProblem | undefined;
  if (platform === 'win32') {
    const security = securityReader();
    if (!security) {
      return `the npm form cannot read Windows ACLs, so who else may write ${dir} was not checked; check it with icacls, or install from the standalone executable`;
    }
    // A folder not made yet inherits its parent's rights: judge the nearest one that exists.
    let target = real;
    while (!fs.existsSync(target) && pathFor(platform).dirname(target) !== target) target = pathFor(platform).dirname(target);
    const me = ownerLookup(platform).me().sid;
    try {
      problem = windowsFolderProblem(target, security(target), me);
    } catch (error) {
      problem = { path: target, why: `the permissions of ${target} cannot be read (${(error as Error).message})` };
    }
  } else {
    problem = posixFolderProblem(folderChain(real, platform), process.getuid?.() ?? 0, posixStat);
  }
  if (problem) {
    const { message, hint } = folderRefusal(problem, platform);
    throw new ShimRefusal(message, { hint });
  }
  return undefined;
}

/** Starts a small program in `dir` (the doctor's probe); a warning line when programs cannot run there. */
export function probeShimFolder(dir: string, platform: Platform, source: ShimSource): string | undefined {
  const program =
    platform === 'win32' && source.kind === 'program'
      ? { file: source.file, args: ['safe', 'version'], expect: /^uvx-safe \d/m }
      : undefined;
  const result = probeFolder(dir, nodeProbeHost(platform, program));
  if (result.canRun !== false) return undefined;
  return (
    `programs cannot run from ${dir} (${result.error}), so the shims there will not start ` +
    `(a noexec mount, or an AppLocker/WDAC rule); install them into a folder where programs may run`
  );
}
