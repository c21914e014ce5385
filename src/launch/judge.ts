// The launcher's judgement of a policy, shared by every uv call and `safe config validate` (one
// judgement, two doors): merge the layers, refuse enforce without roots, plan the relocation (missing
// or relative roots, a data root or uv's default folders outside the roots). Same functions, same words.

import fs = require('node:fs');
import { ConfigError, type UvxSafeError } from '../errors.js';
import type { Layer } from '../config/layers.js';
import { checkEnforceHasRoots, mergeLayers, type EffectiveConfig } from '../config/merge.js';
import { locate } from '../config/parse.js';
import type { HostInfo } from '../platform/dirs.js';
import { adminOnlyProblem } from '../platform/admin-only-node.js';
import { canonicalPath } from '../relocate/contain.js';
import { planRelocation, type PlanInput, type RelocationPlan } from '../relocate/plan.js';
import { parseUvArgs } from '../uv/argv.js';
import { reportFile } from '../relocate/report-target.js';

/** Runs `fn`; a config error it throws gets the line and column of its key (config errors are always file:line:col). */
export function located<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw err instanceof ConfigError ? locate(err) : err;
  }
}

function realpathOrUndefined(file: string): string | undefined {
  try {
    return fs.realpathSync.native(file);
  } catch {
    return undefined;
  }
}

/** The file-system facts the plan asks for, as the launcher answers them. */
export function fileFacts(host: HostInfo): Pick<PlanInput, 'canonical' | 'isDirectory' | 'adminOnlyProblem'> {
  return {
    canonical: (p) => canonicalPath(p, host.platform, realpathOrUndefined),
    isDirectory: (p) => fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false,
    adminOnlyProblem: (real) => adminOnlyProblem(real, host.platform),
  };
}

/** The merged config of `layers`, refused when enforce has nothing to enforce against. */
export function mergePolicy(layers: Layer[]): EffectiveConfig {
  const config = located(() => mergeLayers(layers));
  located(() => checkEnforceHasRoots(config));
  return config;
}

export interface Judgement {
  config?: EffectiveConfig;
  plan?: RelocationPlan;
  warnings: string[];
  /** What every uv call under this policy would stop on: a config error, or the plan's refusals. */
  errors: UvxSafeError[];
}

/** What the launcher says of `layers` for a uv call with no arguments (every location judged). */
export function judgeLayers(layers: Layer[], host: HostInfo, cwd: string): Judgement {
  try {
    const config = mergePolicy(layers);
    const plan = located(() => planRelocation({ config, args: parseUvArgs([]), host, cwd, ...fileFacts(host) }));
    return { config, plan, warnings: [...config.warnings, ...plan.warnings, ...reportProblems(config, host)], errors: plan.refusals };
  } catch (err) {
    if (err instanceof ConfigError) return { warnings: [], errors: [err] };
    throw err;
  }
}

/**
 * The report file a uv call here would append to, when it cannot be named (`{env:NAME}` unset,
 * `{data-root}` without a data root): the launcher says so only when it has something to report, and
 * never stops for it, so this is a warning.
 */
function reportProblems(config: EffectiveConfig, host: HostInfo): string[] {
  try {
    reportFile(config, host);
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return [`${locate(err).message}; refusals and warnings would not be reported`];
  }
}
