// `uvx-safe safe env --persist [--machine] [--temp] [--remove]`: the relocation (and `[env]`, the tool
// bin folder on PATH, with --temp the temp folder) where every new process of the user, or with
// --machine of every user, inherits it, not only shells: so a uv that bypasses the launcher (a GUI
// program, an IDE, a client's own uv) still writes into the data root. Per-user parts of the policy's
// paths are written as references (%USERPROFILE%, %USERNAME%, ${HOME}, ${USER}, {env:NAME}'s variable).

import type { EffectiveConfig } from '../config/merge.js';
import type { LaunchContext } from '../context.js';
import { UsageError } from '../errors.js';
import { createFolders } from '../launch/folders.js';
import { getEnv } from '../platform/env.js';
import { linuxFiles, linuxPaths, removeLinuxFiles, writeLinuxFiles } from '../persist/linux.js';
import { perUserSubstitutions, registryText, splitValue, type Substitution } from '../persist/values.js';
import { persistWindows, regExe, removeWindows } from '../persist/windows.js';
import type { RelocationPlan } from '../relocate/plan-types.js';
import { toolBinOf } from '../shell/session.js';
import type { EnvOptions } from './env-args.js';

function substitutions(ctx: LaunchContext, config: EffectiveConfig): Substitution[] {
  const raws = [config.dataRoot?.value, ...Object.values(config.locations).map((s) => s?.value)].filter((v): v is string => v !== undefined);
  let user: string | undefined;
  try {
    user = ctx.host.user;
  } catch {
    user = undefined;
  }
  return perUserSubstitutions(raws, { home: ctx.host.home, user, env: (name) => getEnv(ctx.env, name, ctx.host.platform) }, ctx.host.platform);
}

function configHome(ctx: LaunchContext): string {
  const xdg = getEnv(ctx.env, 'XDG_CONFIG_HOME', ctx.host.platform);
  return xdg && xdg.startsWith('/') ? xdg : `${ctx.host.home}/.config`;
}

/** WM_SETTINGCHANGE "Environment" to every top-level window (Explorer reloads it), when Bun's FFI is there. */
async function broadcast(): Promise<string | undefined> {
  try {
    const { broadcastEnvironmentChange } = await import('../platform/broadcast-win32-bun.js');
    broadcastEnvironmentChange();
    return undefined;
  } catch (err) {
    return `programs already running (Explorer) see the change after you sign in again (${(err as Error).message})`;
  }
}

export async function persistEnv(ctx: LaunchContext, config: EffectiveConfig, plan: RelocationPlan, variables: Record<string, string>, options: EnvOptions): Promise<number> {
  const platform = ctx.host.platform;
  const scope = options.machine ? 'machine' : 'user';
  if (platform !== 'win32' && platform !== 'linux') throw new UsageError(`safe env --persist: not available on ${platform}`, { hint: 'use `safe env --shell` in your profile' });
  const lines: string[] = [];
  if (options.remove) {
    if (platform === 'win32') lines.push(...removeWindows(regExe(), scope));
    else lines.push(...removeLinuxFiles(linuxPaths(scope, configHome(ctx))).map((file) => `removed ${file}`));
    if (lines.length === 0) lines.push(`nothing to remove: \`safe env --persist${options.machine ? ' --machine' : ''}\` wrote nothing here`);
  } else {
    const subs = substitutions(ctx, config);
    const names = Object.keys(variables).sort();
    const toolBin = toolBinOf(plan);
    if (names.length === 0 && !toolBin)
      throw new UsageError('safe env --persist: the policy relocates nothing (no data-root, no [locations], no [env]), so there is nothing to write', { hint: 'set data-root in the admin policy first: docs/config-reference.md#data-root' });
    if (platform === 'win32') {
      const entries = names.map((name): [string, string] => [name, registryText(name, splitValue(variables[name]!, subs, platform))]);
      const bin = toolBin && registryText('the tool bin folder', splitValue(toolBin, subs, platform));
      lines.push(...persistWindows(regExe(), scope, entries, bin));
      const note = await broadcast();
      if (note) lines.push(`note: ${note}`);
    } else {
      const files = linuxFiles(scope, configHome(ctx), {
        variables: names.map((name) => [name, splitValue(variables[name]!, subs, platform)]),
        toolBin: toolBin ? splitValue(toolBin, subs, platform) : undefined,
      });
      lines.push(...writeLinuxFiles(files).map((file) => `wrote ${file}`));
    }
    // Programs that bypass the launcher expect the folders (temp above all) to exist.
    createFolders(plan);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
