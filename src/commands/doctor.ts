// `uvx-safe safe doctor [--json]`: every location, the real uv and the policy, checked for real
// (docs/doctor.md). Exit 0 when nothing would fail, 1 when something would; a config error is
// thrown like everywhere else (exit 2).

import fs = require('node:fs');
import type { LaunchContext } from '../context.js';
import { prepare } from '../launch/prepare.js';
import { makeDebug } from '../log.js';
import { getEnv, pathFor } from '../platform/env.js';
import type { ShimHost } from '../shims/host.js';
import { nodeShimHost } from '../shims/node-host.js';
import type { ShimSource } from '../shims/plan.js';
import { chooseSource } from './shims-source.js';
import { canonicalPath } from '../relocate/contain.js';
import { adminFileChecks } from '../doctor/admin-file.js';
import { argvTablesCheck } from '../doctor/argv-tables.js';
import { launcherCheck, launcherFacts } from '../doctor/launcher.js';
import { folderHygiene, inspectLocations } from '../doctor/locations.js';
import { callerChecks, findCallerUvs } from '../doctor/callers.js';
import { findShims, shimChecks } from '../doctor/shims.js';
import { nodeCallersHost } from '../doctor/callers-host.js';
import { persistCheck, persistedPlaces } from '../doctor/persisted.js';
import { sessionVariables } from '../shell/session.js';
import { filesystemCheck, overlapChecks } from '../doctor/overlap.js';
import { reportChecks } from '../doctor/report-file.js';
import { policyFacts } from '../doctor/policy.js';
import { whoWhereWhen } from '../doctor/fleet.js';
import { nodeProbeHost } from '../platform/probe.js';
import { findProjectRoot, sameFilesystem } from '../doctor/project.js';
import {
  exitCodeFor,
  locationCheck,
  overallStatus,
  policyChecks,
  projectCheck,
  renderHuman,
  renderJson,
  uvChecks,
} from '../doctor/report.js';
import type { DoctorReport, ProjectFacts } from '../doctor/types.js';
import { inspectUv } from '../doctor/uv.js';
import { addManaged, inspectManaged } from '../doctor/managed.js';
import { uvWritesChecks } from '../doctor/uv-writes.js';
import { unexpectedArgument } from './help.js';

const USAGE = 'Usage: uvx-safe safe doctor [--json]';

function parseArgs(args: string[]): { json: boolean; help: boolean } {
  let json = false;
  let help = false;
  for (const arg of args) {
    if (arg === '--json') json = true;
    else if (arg === '--help' || arg === '-h') help = true;
    else throw unexpectedArgument('doctor', arg);
  }
  return { json, help };
}

/** What `safe shims install` would write now; undefined where that needs --exe (npm form on Windows). */
function currentSource(ctx: LaunchContext, host: ShimHost): ShimSource | undefined {
  try {
    return chooseSource(ctx, undefined, host);
  } catch {
    return undefined;
  }
}

function realpathOrUndefined(file: string): string | undefined {
  try {
    return fs.realpathSync.native(file);
  } catch {
    return undefined;
  }
}

export function buildReport(ctx: LaunchContext): DoctorReport {
  const platform = ctx.host.platform;
  // Doctor looks at what a plain `uv <command>` in this folder would get: no uv arguments.
  const { policy, plan, projectStart } = prepare({ ...ctx, invokedAs: 'uvx-safe', args: [] }, makeDebug(ctx.env), { inspectProject: true, diagnose: true });
  const policyInfo = policyFacts(policy, plan);
  const uv = inspectUv(ctx, policy.config, plan);
  const probeHost = nodeProbeHost(platform, uv.path ?? undefined);
  const locations = inspectLocations(plan, policy.config, platform, probeHost);

  const canonical = (p: string) => canonicalPath(p, platform, realpathOrUndefined);
  // UV_PROJECT / UV_WORKING_DIR move the project as for the launcher.
  const root = findProjectRoot(projectStart);
  const cache = locations.find((l) => l.name === 'cache')?.path;
  const linkMode = getEnv(ctx.env, 'UV_LINK_MODE', platform) ?? plan.env.UV_LINK_MODE;
  const project: ProjectFacts = {
    root: root ?? null,
    sameFilesystemAsCache: root && cache ? sameFilesystem(cache, root) : null,
    linkMode: linkMode ?? null,
  };

  const launcher = launcherFacts(ctx.launcherPath);
  const checks = [
    launcherCheck(launcher),
    ...policyChecks(policyInfo),
    ...(policy.layers.some((l) => l.name === 'admin') ? adminFileChecks(policy.adminFile, platform) : []),
    ...uvChecks(uv),
    ...[argvTablesCheck(uv.version, uv.path)].filter((c) => c !== undefined),
    ...locations.map(locationCheck),
    projectCheck(project),
    ...overlapChecks({
      platform,
      project: root ? canonical(root) : undefined,
      cache: cache ? canonical(cache) : undefined,
      dataRoot: plan.dataRoot ? canonical(plan.dataRoot) : undefined,
    }),
  ];
  const dataRootProblem = plan.dataRoot ? folderHygiene(plan.dataRoot) : undefined;
  if (dataRootProblem)
    checks.push({ id: 'data-root.hygiene', label: 'data-root', status: 'fail', message: `${plan.dataRoot}: ${dataRootProblem}` });
  checks.push(...reportChecks(policy.config, ctx.host));
  checks.push(...uvWritesChecks({ installDir: getEnv(ctx.env, 'UV_INSTALL_DIR', platform), managed: uv.foundBy === 'managed' }));
  const fsCheck = filesystemCheck(project.sameFilesystemAsCache, linkMode);
  if (fsCheck) checks.push(fsCheck);
  const toolDir = plan.decisions.find((d) => d.name === 'tool')?.path;
  const callers = findCallerUvs(nodeCallersHost(ctx.env, platform, ctx.host.home), { self: ctx.self, toolDir });
  checks.push(...callerChecks(callers));
  const xdgConfig = getEnv(ctx.env, 'XDG_CONFIG_HOME', platform);
  const relocation = persistCheck(
    {
      wanted: relocationWithoutInherited(ctx),
      env: ctx.env,
      platform,
      persistedIn: persistedPlaces(platform, xdgConfig && xdgConfig.startsWith('/') ? xdgConfig : pathFor(platform).join(ctx.host.home, '.config')),
    },
    callers.some((c) => !c.throughUvxSafe),
  );
  if (relocation) checks.push(relocation);
  const shimHost = nodeShimHost(ctx.env, platform);
  const shims = findShims(shimHost, {
    source: currentSource(ctx, shimHost),
    self: ctx.self,
    venvShims: callers.filter((c) => c.throughUvxSafe).map((c) => pathFor(platform).dirname(c.path)),
    command: ctx.invokedAs === 'uvx-safe' ? ctx.launcherPath : 'uvx-safe',
  });
  checks.push(...shimChecks(shims));
  const status = overallStatus(checks);
  return {
    schemaVersion: 2,
    schema: 2,
    status,
    exitCode: exitCodeFor(status),
    ...whoWhereWhen(() => ctx.host.user),
    platform,
    cwd: ctx.cwd,
    launcher,
    policy: policyInfo,
    uv,
    locations,
    project,
    callers,
    shims,
    checks,
  };
}

/** The managed uv's line (src/doctor/managed.ts); asks the index, so it is kept out of buildReport. */
async function addManagedUv(ctx: LaunchContext, report: DoctorReport): Promise<void> {
  const debug = makeDebug(ctx.env);
  const { policy, plan } = prepare({ ...ctx, invokedAs: 'uvx-safe', args: [] }, () => {}, { diagnose: true });
  const installer = () => require('./managed-install.cjs') as typeof import('../managed/entry.js');
  addManaged(report, await inspectManaged(ctx, policy.config, plan, report.uv.path, report.uv.foundBy, debug, installer));
}

export async function doctorCommand(ctx: LaunchContext, args: string[]): Promise<number> {
  const { json, help } = parseArgs(args);
  if (help) {
    process.stdout.write(`${USAGE}\n\nChecks every location, the real uv and the policy; exit 0 when all is well, 1 when uv would fail.\n`);
    return 0;
  }
  const report = buildReport(ctx);
  await addManagedUv(ctx, report);
  process.stdout.write(json ? renderJson(report) : renderHuman(report));
  return report.exitCode;
}

/** uv's location variables: an inherited one is kept by the plan, so the policy's own values come from a plan without them. */
const LOCATION_VARIABLES = ['UV_CACHE_DIR', 'UV_PYTHON_INSTALL_DIR', 'UV_PYTHON_BIN_DIR', 'UV_PYTHON_CACHE_DIR', 'UV_TOOL_DIR', 'UV_TOOL_BIN_DIR', 'UV_CREDENTIALS_DIR', 'PYX_CREDENTIALS_DIR'];

/** What the policy itself sets for a session (what `safe env --persist` writes), whatever this session inherited. */
function relocationWithoutInherited(ctx: LaunchContext): Record<string, string> {
  const platform = ctx.host.platform;
  const env = { ...ctx.env };
  for (const key of Object.keys(env)) if (LOCATION_VARIABLES.includes(platform === 'win32' ? key.toUpperCase() : key)) delete env[key];
  try {
    // (The host's `user` getter runs here too, inside the try.)
    return sessionVariables(prepare({ ...ctx, env, host: { ...ctx.host, env }, invokedAs: 'uvx-safe', args: [] }, () => {}, { diagnose: true }).plan, false);
  } catch {
    return {};
  }
}

