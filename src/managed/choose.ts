// The managed step of the finder, on the hot path: where the store is, whether it lies inside
// allowed-roots, and which installed uv the policy wants. Nothing here touches the network;
// when no installed uv fits, the launcher loads the installer bundle (install.ts) instead.

import fs = require('node:fs');
import type { EffectiveConfig } from '../config/merge.js';
import { ConfigError, ManagedUvMissing, PolicyRefusal, UvVersionError } from '../errors.js';
import { warn } from '../log.js';
import type { HostInfo } from '../platform/dirs.js';
import { canonicalPath, insideAny } from '../relocate/contain.js';
import type { RelocationPlan } from '../relocate/plan.js';
import type { ManagedStep } from '../uv/find.js';
import { RANGE_HINT } from '../uv/version.js';
import { pickInstalled, readStore, storeDir } from './store.js';

export interface ManagedPolicy {
  /** `{data-root}/uv`. */
  store: string;
  /** The `uv-source` value, and the file that set it. */
  source: string;
  sourceOrigin: string;
  range?: string;
  rangeOrigin?: string;
}

function realpathOrUndefined(file: string): string | undefined {
  try {
    return fs.realpathSync.native(file);
  } catch {
    return undefined;
  }
}

/** Undefined when `uv-source` is not set. Checks that the store is under data-root and allowed-roots. */
export function managedPolicy(config: EffectiveConfig, plan: RelocationPlan, host: HostInfo): ManagedPolicy | undefined {
  const source = config.uvSource;
  if (!source) return undefined;
  // data-root never comes from a project file (config/merge.ts), so a repository cannot bring
  // `{its data-root}/uv/<version>/uv` along and have it run as uv.
  if (!plan.dataRoot)
    throw new ConfigError(source.origin.source, 'needs data-root in the admin or user config: the managed uv is installed under {data-root}/uv', {
      key: 'uv-source',
      hint: 'set data-root in the admin policy: docs/config-reference.md#data-root',
    });
  const store = storeDir(plan.dataRoot, host.platform);
  if (plan.rootsConfigured && plan.mode !== 'off') {
    const real = canonicalPath(store, host.platform, realpathOrUndefined);
    if (!insideAny(real, plan.roots, host.platform)) {
      const message = `the managed uv folder ${store} (${real}) lies outside allowed-roots (${plan.roots.join(', ') || 'none present'})`;
      if (plan.mode === 'enforce')
        throw new PolicyRefusal(`${message}; refused (mode = enforce, from ${config.mode.origin.source})`, { hint: `set data-root to a folder inside ${plan.roots.join(', ') || 'an allowed root'}`, rule: 'outside-allowed-roots:managed-uv' });
      warn(`${message}; running anyway (mode = warn)`, { rule: 'outside-allowed-roots:managed-uv' });
    }
  }
  return {
    store,
    source: source.value,
    sourceOrigin: source.origin.source,
    range: config.uvVersion?.value,
    rangeOrigin: config.uvVersion?.origin.source,
  };
}

/**
 * The newest installed uv that satisfies uv-version; a malformed range is the usual uv-version error.
 * A version folder that `safe uv install` did not make (no install record, another size) is passed
 * over with a warning: a uv planted in the store is never run.
 */
export function findInstalled(policy: ManagedPolicy, host: HostInfo) {
  const { installed, ignored } = readStore(policy.store, host.platform);
  for (const planted of ignored)
    warn(`ignoring ${planted.dir}: not installed by \`uvx-safe safe uv install\` (${planted.reason}); remove it (\`uvx-safe safe uv remove ${planted.version}\`) and install again`, { rule: 'managed-uv-not-installed-by-uvx-safe' });
  try {
    return pickInstalled(installed, policy.range);
  } catch (err) {
    throw new UvVersionError(`${policy.rangeOrigin}: uv-version "${policy.range}" is not a valid range: ${(err as Error).message}`, { hint: RANGE_HINT });
  }
}

export function wanted(policy: ManagedPolicy): string {
  return policy.range ? `uv-version "${policy.range}" (from ${policy.rangeOrigin})` : 'the newest uv (no uv-version)';
}

export function managedStep(policy: ManagedPolicy, host: HostInfo): ManagedStep {
  return {
    find() {
      const found = findInstalled(policy, host);
      if (!found) return undefined;
      return {
        ...found,
        origin: `managed uv ${found.version}: the newest installed in ${policy.store} for ${wanted(policy)}; uv-source from ${policy.sourceOrigin}`,
      };
    },
    missing: () =>
      new ManagedUvMissing(`no installed uv in ${policy.store} satisfies ${wanted(policy)}`, {
        hint: `\`uvx-safe safe uv install\` installs it from uv-source (${policy.sourceOrigin})`,
      }),
  };
}
