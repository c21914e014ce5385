// Which uv runs, and whether the policy lets it: `uv-path`, UVX_SAFE_UV, the managed uv, PATH; its
// version against `uv-version`; `uv self update` of a managed uv.

import { PolicyRefusal, UvVersionError } from '../errors.js';
import type { Debug } from '../log.js';
import type { EffectiveConfig } from '../config/merge.js';
import { expandPath } from '../config/templates.js';
import { managedPolicy, managedStep, type ManagedPolicy } from '../managed/choose.js';
import { getEnv } from '../platform/env.js';
import type { RelocationPlan } from '../relocate/plan.js';
import type { ParsedUvArgs } from '../uv/argv.js';
import { findUv, type UvChoice } from '../uv/find.js';
import { nodeFindHost } from '../uv/find-host.js';
import { cachedUvVersion, checkUvVersion } from '../uv/version.js';
import type { LaunchContext } from '../context.js';
import { makeFolder } from './folders.js';

/**
 * The uv to run: `uv-path`, `UVX_SAFE_UV`, the managed uv (when `uv-source` is set), PATH.
 * Throws ManagedUvMissing when the managed uv is wanted and none is installed yet.
 */
export function chooseUv(ctx: LaunchContext, config: EffectiveConfig, plan: RelocationPlan, debug: Debug = () => {}): UvChoice {
  const configured = config.uvPath
    ? {
        value: expandPath(
          { raw: config.uvPath.value, key: 'uv-path', source: config.uvPath.origin.source, baseDir: config.uvPath.baseDir },
          ctx.host,
        ),
        origin: `uv-path (from ${config.uvPath.origin.source})`,
      }
    : undefined;
  let managed: ManagedPolicy | undefined;
  if (config.uvSource) {
    const overridden = configured ? 'uv-path' : getEnv(ctx.env, 'UVX_SAFE_UV', ctx.host.platform) ? 'UVX_SAFE_UV' : undefined;
    if (overridden) debug(`uv-source (from ${config.uvSource.origin.source}) is set, but ${overridden} comes first: the managed uv is not used`);
    else managed = managedPolicy(config, plan, ctx.host);
  }
  const shim = ctx.invokedAs === 'uvx-safe' ? undefined : ctx.launcherPath;
  return findUv(
    { configured, self: ctx.self, managed: managed && managedStep(managed, ctx.host), shim },
    nodeFindHost(ctx.env, ctx.host.platform),
  );
}

/** `uv self update` would replace a uv the policy manages: refused, the policy decides its version. */
export function checkSelfUpdate(parsed: ParsedUvArgs, uv: UvChoice, config: EffectiveConfig): void {
  if (uv.source !== 'managed' || parsed.helpOrVersion || parsed.command.join(' ') !== 'self update') return;
  const range = config.uvVersion ? `uv-version "${config.uvVersion.value}" (from ${config.uvVersion.origin.source})` : 'uv-version (not set: the newest)';
  throw new PolicyRefusal(
    `uv self update: this uv is managed by uvx-safe; the policy decides its version: ${range} from uv-source ${config.uvSource!.value} (from ${config.uvSource!.origin.source})`,
    { hint: 'ask the admin for a new uv-version, then run `uvx-safe safe uv install`' },
  );
}

export function checkVersion(config: EffectiveConfig, plan: RelocationPlan, uv: UvChoice, debug: Debug): void {
  if (!config.uvVersion) return;
  let version: string;
  try {
    // A managed uv's version is its folder's name, checked by running it when it was installed.
    version = uv.version ?? cachedUvVersion(uv.path, usableStateDir(plan, debug));
  } catch (err) {
    if (err instanceof UvVersionError) throw err;
    throw new UvVersionError(`cannot read the version of ${uv.path}: ${(err as Error).message}`, { hint: 'run `uvx-safe safe doctor`: it checks the real uv' });
  }
  debug(`uv version ${version}; uv-version "${config.uvVersion.value}" from ${config.uvVersion.origin.source}`);
  checkUvVersion(version, config.uvVersion.value, config.uvVersion.origin.source, uv.path);
}

/** The state folder, made through the gate; undefined (no cache, one more `uv --version`) when it cannot be. */
function usableStateDir(plan: RelocationPlan, debug: Debug): string | undefined {
  if (!plan.stateDir) return undefined;
  try {
    makeFolder(plan, plan.stateDir, "uvx-safe's state folder");
    return plan.stateDir;
  } catch (err) {
    debug(`uv version not cached: ${(err as Error).message}`);
    return undefined;
  }
}

