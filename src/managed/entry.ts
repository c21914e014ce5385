// Entry of the installer bundle (dist/managed-install.cjs): required by the launcher only when a
// managed uv must be installed, and by `safe uv` / `safe doctor`. Everything with a network, a zip
// or a lock in it is behind this door, off the hot path.

import type { EffectiveConfig } from '../config/merge.js';
import { ConfigError } from '../errors.js';
import type { LaunchContext } from '../context.js';
import { NAME, type Debug } from '../log.js';
import type { RelocationPlan } from '../relocate/plan.js';
import { managedPolicy, type ManagedPolicy } from './choose.js';
import { downloadUvWheel, ensureManagedUv, removeInstalled, resolveOnIndex, type InstallRequest, type Reporter } from './install.js';
import { resolveUvSource } from './source.js';

export { downloadUvWheel, removeInstalled };
export { resolveUvSource } from './source.js';

const MB = 1024 * 1024;

/** A progress line on a terminal, redrawn at most ten times a second; only the final line otherwise. */
export function stderrReporter(stream: NodeJS.WriteStream = process.stderr): Reporter {
  const tty = stream.isTTY === true;
  let last = 0;
  let drawn = false;
  return {
    progress(version, received, total) {
      if (!tty) return;
      const now = Date.now();
      if (now - last < 100 && received !== total) return;
      last = now;
      const size = total ? `${(received / MB).toFixed(1)}/${(total / MB).toFixed(1)} MB` : `${(received / MB).toFixed(1)} MB`;
      stream.write(`\r\x1b[K${NAME}: downloading uv ${version}: ${size}`);
      drawn = true;
    },
    done(line) {
      stream.write(`${drawn ? '\r\x1b[K' : ''}${NAME}: ${line}\n`);
      drawn = false;
    },
  };
}

export function installRequest(ctx: LaunchContext, config: EffectiveConfig, plan: RelocationPlan, debug: Debug): InstallRequest & { policy: ManagedPolicy } {
  const policy = managedPolicy(config, plan, ctx.host);
  if (!policy || !config.uvSource) throw new ConfigError('the uvx-safe config', 'is not set, so there is no managed uv', { key: 'uv-source' });
  return {
    policy,
    source: resolveUvSource(config.uvSource, ctx.host),
    store: policy.store,
    range: policy.range,
    rangeOrigin: policy.rangeOrigin,
    env: ctx.env,
    home: ctx.host.home,
    debug,
    report: stderrReporter(),
  };
}

/** The launcher's first use: install the uv the policy names. */
export function installManagedUv(ctx: LaunchContext, config: EffectiveConfig, plan: RelocationPlan, debug: Debug, force = false) {
  return ensureManagedUv(installRequest(ctx, config, plan, debug), force);
}

/** The newest version on the index the policy allows (for doctor and `safe uv list`). */
export async function newestAllowed(ctx: LaunchContext, config: EffectiveConfig, plan: RelocationPlan, debug: Debug): Promise<string> {
  return (await resolveOnIndex(installRequest(ctx, config, plan, debug))).choice.version;
}
