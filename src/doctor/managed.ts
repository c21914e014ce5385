// The managed uv in doctor: which versions are installed under {data-root}/uv, which one the
// launcher runs, where they come from (uv-source), and whether the index has a newer version that
// uv-version allows. Asking the index is the only network doctor does, and only with uv-source set.

import type { EffectiveConfig } from '../config/merge.js';
import { isUvxSafeError } from '../errors.js';
import type { LaunchContext } from '../context.js';
import type { Debug } from '../log.js';
import { managedPolicy } from '../managed/choose.js';
import { installedVersions } from '../managed/store.js';
import type { RelocationPlan } from '../relocate/plan.js';
import { compareVersions } from '../uv/version.js';
import { overallStatus, exitCodeFor } from './report.js';
import type { Check, DoctorReport, ManagedUvFacts, Status } from './types.js';

export type { ManagedUvFacts };


type Installer = typeof import('../managed/entry.js');

/** Null when uv-source is not set. */
export async function inspectManaged(
  ctx: LaunchContext,
  config: EffectiveConfig,
  plan: RelocationPlan,
  usedPath: string | null,
  foundBy: string | null,
  debug: Debug,
  installer: () => Installer,
): Promise<ManagedUvFacts | null> {
  if (!config.uvSource) return null;
  const facts: ManagedUvFacts = {
    source: config.uvSource.value,
    sourceOrigin: config.uvSource.origin.source,
    store: '',
    installed: [],
    used: null,
    overriddenBy: foundBy === 'uv-path' || foundBy === 'UVX_SAFE_UV' ? foundBy : null,
    newestAllowed: null,
    newerAvailable: null,
    error: null,
    status: 'ok',
  };
  try {
    const policy = managedPolicy(config, plan, ctx.host)!;
    facts.store = policy.store;
    const installed = installedVersions(policy.store, ctx.host.platform);
    facts.installed = installed.map((uv) => uv.version);
    facts.used = foundBy === 'managed' ? (installed.find((uv) => uv.path === usedPath)?.version ?? null) : null;
    facts.newestAllowed = await installer().newestAllowed(ctx, config, plan, debug);
    facts.newerAvailable = facts.used === null || compareVersions(facts.newestAllowed, facts.used) > 0;
  } catch (err) {
    if (!isUvxSafeError(err)) throw err;
    facts.error = err.message;
    facts.status = 'warn';
  }
  if (facts.newerAvailable && facts.overriddenBy === null) facts.status = 'warn';
  return facts;
}

export function managedCheck(m: ManagedUvFacts): Check {
  const from = `uv-source ${m.source} (from ${m.sourceOrigin})`;
  const installed = m.installed.length ? `installed: ${m.installed.join(', ')}` : 'none installed';
  let message: string;
  if (m.overriddenBy) message = `not used: ${m.overriddenBy} comes first; ${installed} in ${m.store}; ${from}`;
  else if (m.error) message = `${m.used ? `uv ${m.used} in use` : installed}; cannot ask the index: ${m.error}`;
  else if (m.used === null) message = `not installed yet: the next uv call installs uv ${m.newestAllowed} from ${from} (or run \`uvx-safe safe uv install\`)`;
  else if (m.newerAvailable) message = `uv ${m.used} in use; uv ${m.newestAllowed} is allowed and on the index: \`uvx-safe safe uv install\`; ${from}`;
  else message = `uv ${m.used} in use, the newest the policy allows; ${installed} in ${m.store}; ${from}`;
  return { id: 'uv.managed', label: 'managed uv', status: m.status, message };
}

/**
 * Adds the managed uv to a report: its facts, its check after the uv lines, and, when uv is only
 * missing because the managed uv is not installed yet but the index has it, that line as a warning
 * (the next uv call installs it).
 */
export function addManaged(report: DoctorReport & { managedUv?: ManagedUvFacts | null }, facts: ManagedUvFacts | null): void {
  report.managedUv = facts;
  if (!facts) return;
  const at = report.checks.findIndex((c) => c.id.startsWith('uv.'));
  const uvLines = report.checks.filter((c) => c.id === 'uv.path' || c.id === 'uv.version').length;
  report.checks.splice(at < 0 ? report.checks.length : at + uvLines, 0, managedCheck(facts));
  const uvPath = report.checks.find((c) => c.id === 'uv.path');
  if (uvPath && report.uv.path === null && facts.used === null && facts.newestAllowed !== null && facts.overriddenBy === null)
    uvPath.status = 'warn';
  report.status = overallStatus(report.checks);
  report.exitCode = exitCodeFor(report.status);
}
