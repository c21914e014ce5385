// The admin's file wins (issue 18): UVX_SAFE_SYSTEM_CONFIG naming another file while the admin's exists,
// a UVX_SAFE_* variable for a key the admin locked, and on Windows a %ProgramData% moved away from
// the admin's file, are overrides. The admin's values apply either
// way; in enforce the call is refused, otherwise each is a warning. Doctor reports them (policy.overridden).

import { PolicyRefusal } from '../errors.js';
import { envVariableFor } from './layer.js';
import type { AdminOverride } from './layers.js';
import type { EffectiveConfig } from './merge.js';

/** Every override of the admin's policy: the file named by UVX_SAFE_SYSTEM_CONFIG, then locked keys set by variables. */
export function adminOverrides(fileOverrides: readonly AdminOverride[], config: EffectiveConfig, adminFile: string): AdminOverride[] {
  const locked = config.lockedOverrides.map((key) => ({
    variable: envVariableFor(key),
    adminFile: config.lockSource ?? adminFile,
    attempt: `sets ${key}, which the admin locked`,
    undo: `unset ${envVariableFor(key)}`,
  }));
  return [...fileOverrides, ...locked];
}

export function overrideWarning(o: AdminOverride): string {
  return `${o.variable} ${o.attempt}, but the admin's policy at ${o.adminFile} applies; ignored`;
}

/** The admin's report's id of an override (src/report/): which variable tried. */
export function overrideRule(o: AdminOverride): string {
  return `admin-policy-overridden:${o.variable}`;
}

export function overrideHint(o: AdminOverride): string {
  return `${o.undo}; the admin's policy at ${o.adminFile} applies`;
}

/** In enforce the first override stops the call (exit 2, nothing created); otherwise their warnings. */
export function judgeOverrides(overrides: readonly AdminOverride[], config: EffectiveConfig): string[] {
  const [first] = overrides;
  if (first && config.mode.value === 'enforce')
    throw new PolicyRefusal(
      `${first.variable} ${first.attempt}: the admin's policy at ${first.adminFile} cannot be replaced or loosened; refused (mode = enforce, from ${config.mode.origin.source})`,
      { hint: overrideHint(first), rule: overrideRule(first) },
    );
  return overrides.map(overrideWarning);
}
