// Whether someone other than an admin could change the admin policy. POSIX: a policy file or folder
// that root does not own, or that its group or everyone may write. Windows: an owner other than
// Administrators, SYSTEM or TrustedInstaller, or a write right any other SID has in the DACL, read
// by the standalone executable (Bun's FFI); Node cannot read ACLs and says so in one line.

import fs = require('node:fs');
import path = require('node:path');
import type { Platform } from '../platform/env.js';
import { policyFileProblem, securityReader, type SecurityReader } from '../platform/owner.js';
import { windowsWriteProblems } from '../platform/windows-acl.js';
import type { Check } from './types.js';

type StatFn = (file: string) => { uid: number; mode: number } | undefined;

const nodeStat: StatFn = (file) => fs.statSync(file, { throwIfNoEntry: false });

const warning = (message: string): Check[] => [{ id: 'policy.admin-file', label: 'admin file', status: 'warn', message }];

/** `security`: how owners and DACLs are read on Windows; undefined where they cannot be (Node). */
export function adminFileChecks(file: string, platform: Platform, stat: StatFn = nodeStat, security: SecurityReader | undefined = securityReader()): Check[] {
  const fileStats = stat(file);
  if (!fileStats) return [];
  if (platform === 'win32') return windowsChecks(file, security);
  const dir = path.posix.dirname(file);
  const dirStats = stat(dir);
  const problems = [policyFileProblem('the file', fileStats), dirStats && policyFileProblem(`its folder ${dir}`, dirStats)].filter(
    (problem): problem is string => typeof problem === 'string',
  );
  if (problems.length === 0) return [];
  return warning(
    `${file}: ${problems.join('; ')}: users other than root could change the policy (install it root-owned, mode 0644, in a root-owned 0755 folder)`,
  );
}

function windowsChecks(file: string, security: SecurityReader | undefined): Check[] {
  if (!security) {
    return warning(
      `${file}: the npm form cannot read Windows ACLs; run \`safe doctor\` with the standalone executable, or check the file and its folder with icacls (admin guide)`,
    );
  }
  const problems: string[] = [];
  for (const [target, kind] of [[file, 'file'], [path.win32.dirname(file), 'folder']] as const) {
    try {
      problems.push(...windowsWriteProblems(target, kind, security(target)));
    } catch (error) {
      problems.push(`cannot read the permissions of ${target} (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  if (problems.length === 0) return [];
  return warning(`${problems.join('; ')}: users other than Administrators could change the policy (set its owner and ACL with the admin guide's icacls lines)`);
}
