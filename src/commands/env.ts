// `uvx-safe safe env --shell S [--no-hooks | --hooks-only] [--temp]`: the relocation (and `[env]`) as
// shell statements, so that a dotfile gives plain uv the launcher's environment at no per-call cost, the
// tool bin folder on PATH after the shims, and the hooks through which tools find uv (and tox passes the
// policy on). `--temp` moves the session's temp folder too. `--persist [--machine] [--remove]` writes
// the same (without the hooks) where every new process inherits it (src/commands/env-persist.ts). The
// launcher is not in the loop for plain uv, so this command creates the plan's folders itself.

import type { LaunchContext } from '../context.js';
import { createFolders } from '../launch/folders.js';
import { enforcePlan, prepare } from '../launch/prepare.js';
import { makeDebug } from '../log.js';
import { getEnv } from '../platform/env.js';
import { UsageError } from '../errors.js';
import { renderScript, shellFromPath, SHELLS, type Shell } from '../shell/quote.js';
import { USAGE, parseEnvArgs, type EnvOptions, type HookChoice } from './env-args.js';
import { pathWithToolBin, sessionVariables, toolBinOf } from '../shell/session.js';
import { toxOverride } from '../shell/tox.js';
import { nodeFindHost } from '../uv/find-host.js';
import { unexpectedArgument } from './help.js';

/** Variables through which tools find uv without PATH; they point at the launcher so it stays in the loop. */
export const HOOK_VARIABLES = ['UV', 'TOX_UV_PATH', 'HATCH_ENV_TYPE_VIRTUAL_UV_PATH'] as const;

export { parseEnvArgs, type EnvOptions, type HookChoice };

/** Without --shell: the login shell ($SHELL) on POSIX, PowerShell on Windows. */
export function defaultShell(ctx: LaunchContext): Shell {
  if (ctx.host.platform === 'win32') return 'powershell';
  const login = getEnv(ctx.env, 'SHELL', ctx.host.platform);
  if (!login) throw new UsageError('safe env: $SHELL is not set', { hint: `name the shell with --shell (${SHELLS.join(', ')})` });
  const shell = shellFromPath(login);
  if (!shell) throw new UsageError(`safe env: SHELL=${login} is not a shell this command knows`, { hint: `name one with --shell (${SHELLS.join(', ')})` });
  return shell;
}

/**
 * The variables to set, in a stable order: the plan's (relocation and `[env]`) sorted by name, then
 * the hooks (HOOK_VARIABLES pointing at the launcher, and TOX_OVERRIDE, which keeps `toxOverride`'s
 * entries on top of `inheritedToxOverride`). An explicit `[env]` value for a hook variable (admin or
 * user config) wins over the hook, also with --hooks-only.
 */
export function envVariables(
  planEnv: Record<string, string>,
  launcherPath: string,
  hooks: HookChoice,
  inheritedToxOverride?: string,
): [string, string][] {
  const hookValues: [string, string][] = [...HOOK_VARIABLES.map((name): [string, string] => [name, launcherPath])];
  hookValues.push(['TOX_OVERRIDE', toxOverride(inheritedToxOverride)]);
  const hookNames = new Set(hookValues.map(([name]) => name));
  const sorted = Object.entries(planEnv).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (hooks === 'none') return sorted;
  const hooksOut = hookValues.map(([name, value]): [string, string] => [name, planEnv[name] ?? value]);
  if (hooks === 'only') return hooksOut;
  return [...sorted.filter(([name]) => !hookNames.has(name)), ...hooksOut];
}

export async function envCommand(ctx: LaunchContext, args: string[]): Promise<number> {
  const options = parseEnvArgs(args);
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const shell = options.persist ? undefined : (options.shell ?? defaultShell(ctx));
  const debug = makeDebug(ctx.env);
  // No uv arguments: the plan a bare `uv` call in this folder would get. The `safe env` words are
  // the launcher's, not uv's, so they are kept out of the parse.
  const prepared = prepare({ ...ctx, invokedAs: 'uvx-safe', args: [] }, debug);
  enforcePlan(prepared, debug);
  const { plan } = prepared;
  const variables = sessionVariables(plan, options.temp);
  if (options.persist) {
    const { persistEnv } = await import('./env-persist.js');
    return persistEnv(ctx, prepared.policy.config, plan, variables, options);
  }
  const platform = ctx.host.platform;
  const toolBin = toolBinOf(plan);
  const newPath =
    toolBin && options.hooks !== 'only'
      ? pathWithToolBin(getEnv(ctx.env, 'PATH', platform) ?? '', toolBin, nodeFindHost(ctx.env, platform), ctx.self)
      : undefined;
  // Render before touching the disk, so a value the shell cannot hold fails without side effects.
  const inherited = getEnv(ctx.env, 'TOX_OVERRIDE', platform);
  const script = renderScript(shell!, envVariables(newPath ? { ...variables, PATH: newPath } : variables, ctx.launcherPath, options.hooks, inherited));
  // The hooks alone name no folder: the launcher they point at makes its folders at each call.
  if (options.hooks !== 'only') createFolders(plan);
  process.stdout.write(script);
  return 0;
}
