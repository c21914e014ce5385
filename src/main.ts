// Entry of the launcher bundle. The hot path (every uv call) is: context -> prepare -> find uv -> spawn.
// The launcher's own `safe` commands are a bundle of their own, required only for `uvx-safe safe`.

import fs = require('node:fs');
import path = require('node:path');
import { ManagedUvMissing, reportError } from './errors.js';
import { isDebug, listenTo, makeDebug, setListener } from './log.js';
import type { EffectiveConfig } from './config/merge.js';
import { reportListener } from './launch/report-listener.js';
import { VERSION } from './version.js';
import { hostInfo, invokedAsFromPath, type LaunchContext } from './context.js';
import { createFolders } from './launch/folders.js';
import { checkRecursion, childEnv, enforcePlan, prepare, type Prepared } from './launch/prepare.js';
import { checkSelfUpdate, checkVersion, chooseUv } from './launch/uv-choice.js';
import { withUvSettings } from './launch/uv-settings.js';
import type { Debug } from './log.js';
import type { UvChoice } from './uv/find.js';
import { runChild } from './launch/run-child.js';
import { currentFacts, selfIdentity } from './launch/self.js';

/** Realpaths of the launcher's own files; one that cannot be resolved cannot be mistaken for uv either. */
function realpaths(files: readonly string[]): string[] {
  const paths = new Set<string>();
  for (const file of files) {
    try {
      paths.add(fs.realpathSync.native(file));
    } catch {
      // Not there (a virtual or moved file): nothing to skip.
    }
  }
  return [...paths];
}

function context(): LaunchContext {
  const env = process.env;
  const self = selfIdentity(currentFacts());
  return {
    invokedAs: invokedAsFromPath(self.namePath, process.platform),
    args: process.argv.slice(2),
    env,
    cwd: process.cwd(),
    host: hostInfo(env),
    self: realpaths(self.files),
    launcherPath: path.resolve(self.launcherPath),
  };
}

/** For debug: the runtime, and for the npm form whether the start-up saved the compile. */
function startedHow(): string {
  if (process.versions.bun !== undefined) return `standalone, Bun ${process.versions.bun}`;
  const codeCache = (globalThis as { uvxSafeCodeCache?: string }).uvxSafeCodeCache ?? 'not loaded by bin/uvx-safe';
  return `npm form, Node ${process.version}, code cache ${codeCache}`;
}

/** chooseUv, and on the first use of a managed uv, its install (the installer is a bundle of its own). */
async function chooseOrInstallUv(ctx: LaunchContext, prepared: Prepared, debug: Debug): Promise<UvChoice> {
  const { policy, plan } = prepared;
  try {
    return chooseUv(ctx, policy.config, plan, debug);
  } catch (err) {
    if (!(err instanceof ManagedUvMissing)) throw err;
    // `uv self update` of a managed uv is refused anyway: no install for it.
    checkSelfUpdate(prepared.parsed, { path: '', source: 'managed', origin: '', skipped: [] }, policy.config);
    debug(`${err.message}: installing it now`);
  }
  // Only a machine's first run with uv-source reads this bundle (proxy, zip, index client).
  const { installManagedUv } = require('./managed-install.cjs') as typeof import('./managed/entry.js');
  await installManagedUv(ctx, policy.config, plan, debug);
  return chooseUv(ctx, policy.config, plan, debug);
}

/** `uvx-safe --help` (by that name, not as uv): one line that the launcher has commands of its own, then uv's help. */
function pointAtSafeHelp(ctx: LaunchContext): void {
  if (ctx.invokedAs === 'uvx-safe' && ctx.args.length === 1 && ['--help', '-h', 'help'].includes(ctx.args[0]!))
    process.stdout.write("uvx-safe runs uv under your organisation's policy; its own commands: `uvx-safe safe --help`. uv's help follows.\n\n");
}

async function launch(ctx: LaunchContext): Promise<void> {
  const debug = makeDebug(ctx.env);
  debug(`uvx-safe started as ${ctx.invokedAs} (${ctx.launcherPath}; ${startedHow()})`);
  // The admin's `report` hears every error and warning of this call (src/report/); until the policy is
  // merged it reads the admin policy itself, and only when something is said.
  let merged: EffectiveConfig | undefined;
  setListener(reportListener(ctx, VERSION, () => merged));
  checkRecursion(ctx, process.ppid);
  const first = prepare(ctx, debug);
  merged = first.policy.config;
  enforcePlan(first, debug);
  const uv = await chooseOrInstallUv(ctx, first, debug);
  const prepared = withUvSettings(ctx, first, uv.path, debug);
  const { policy, plan, uvArgs } = prepared;
  debug(`uv: ${uv.path} (${uv.origin})`);
  checkSelfUpdate(prepared.parsed, uv, policy.config);
  for (const skipped of uv.skipped) debug(`passed over ${skipped.path}: ${skipped.reason}`);
  checkVersion(policy.config, plan, uv, debug);
  createFolders(plan);
  const env = childEnv(ctx, plan, process.pid);
  debug(`argv: ${JSON.stringify([uv.path, ...uvArgs])}`);
  for (const [name, value] of Object.entries(plan.env)) debug(`env: ${name}=${value}`);
  // Only once uv's help will really follow: a refused call prints nothing on stdout.
  pointAtSafeHelp(ctx);
  runChild({ file: uv.path, args: uvArgs, env }, debug);
  debug('uv started');
}

async function main(): Promise<void> {
  const ctx = context();
  try {
    // Only stored: the colour of our messages is decided when one is said (never on a quiet call).
    if (ctx.args[0] !== 'safe' || ctx.invokedAs === 'uvx') listenTo(ctx.args, ctx.env);
    if (ctx.invokedAs !== 'uvx' && ctx.args[0] === 'safe') {
      // The `safe` commands are a bundle of their own (dist/safe-commands.cjs), loaded only here:
      // every uv call would otherwise pay for reading and compiling them.
      const { runSafeCommand } = require('./safe-commands.cjs') as typeof import('./commands/safe.js');
      process.exitCode = await runSafeCommand(ctx, ctx.args.slice(1));
      return;
    }
    await launch(ctx);
  } catch (err) {
    process.exitCode = reportError(err, isDebug(ctx.env));
  }
}

void main();
