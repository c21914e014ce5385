// The policy as doctor reports it: mode, allowed-roots, data-root, layers, warnings, refusals.

import type { Policy } from '../launch/prepare.js';
import type { RelocationPlan } from '../relocate/plan.js';
import { layerFiles } from './fleet.js';
import { settingSource } from './source.js';
import type { PolicyFacts } from './types.js';

export function policyFacts(policy: Policy, plan: RelocationPlan): PolicyFacts {
  const { config } = policy;
  return {
    mode: { value: config.mode.value, source: settingSource(config.mode, 'mode') },
    allowedRoots: config.allowedRoots ? { value: plan.roots, source: settingSource(config.allowedRoots, 'allowed-roots') } : null,
    skippedRoots: plan.skippedRoots,
    dataRoot: config.dataRoot && plan.dataRoot ? { value: plan.dataRoot, source: settingSource(config.dataRoot, 'data-root') } : null,
    layers: layerFiles(policy.layers, policy.adminFile, policy.userFile),
    locked: config.locked,
    adminFile: policy.adminFile,
    userFile: policy.userFile,
    overrides: policy.overrides.map(({ variable, adminFile, attempt, undo }) => ({ variable, adminFile, attempt, undo })),
    warnings: [...policy.warnings, ...plan.warnings],
    refusals: plan.refusals.map((r) => r.message),
  };
}
