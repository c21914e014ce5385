// Whether someone other than an admin could change the admin policy: on POSIX, a policy file or
// folder that root does not own, or that its group or everyone may write. Windows ACLs are not read
// (Node cannot without a native call); the admin guide gives the icacls lines instead.

import fs = require('node:fs');
import path = require('node:path');
import type { Platform } from '../platform/env.js';
import { policyFileProblem } from '../platform/owner.js';
import type { Check } from './types.js';

type StatFn = (file: string) => { uid: number; mode: number } | undefined;

const nodeStat: StatFn = (file) => fs.statSync(file, { throwIfNoEntry: false });

export function adminFileChecks(file: string, platform: Platform, stat: StatFn = nodeStat): Check[] {
  if (platform === 'win32') return [];
  const fileStats = stat(file);
  if (!fileStats) return [];
  const dir = path.posix.dirname(file);
  const dirStats = stat(dir);
  const problems = [policyFileProblem('the file', fileStats), dirStats && policyFileProblem(`its folder ${dir}`, dirStats)].filter(
    (problem): problem is string => typeof problem === 'string',
  );
  if (problems.length === 0) return [];
  return [
    {
      id: 'policy.admin-file',
      label: 'admin file',
      status: 'warn',
      message: `${file}: ${problems.join('; ')}: users other than root could change the policy (install it root-owned, mode 0644, in a root-owned 0755 folder)`,
    },
  ];
}
