// `uvx-safe safe env --shell S [--no-hooks | --hooks-only]`: the relocation (and `[env]`) as shell
// statements, so that a dotfile gives plain uv the launcher's environment at no per-call cost, and the
// hooks through which tools find uv (and tox passes the policy on). The launcher is not in the loop for
// plain uv, so this command creates the plan's folders itself (plain uv expects TMPDIR to exist).

import { UsageError } from '../errors.js';
import type { LaunchContext } from '../context.js';
import { createFolders } from '../launch/folders.js';
import { enforcePlan, prepare } from '../launch/prepare.js';
import { makeDebug } from '../log.js';
import { getEnv } from '../platform/env.js';
import { parseShell, renderScript, shellFromPath, SHELLS, type Shell } from '../shell/quote.js';
import { toxOverride } from '../shell/tox.js';

/** Variables through which tools find uv without PATH; they point at the launcher so it stays in the loop. */
export const HOOK_VARIABLES = ['UV', 'TOX_UV_PATH', 'HATCH_ENV_TYPE_VIRTUAL_UV_PATH'] as const;

/** All: the plan, then the hooks; none: the plan alone (--no-hooks); only: the hooks alone (--hooks-only). */
export type HookChoice = 'all' | 'none' | 'only';

interface EnvOptions {
  shell?: Shell;
  hooks: HookChoice;
}

const USAGE = `usage: uvx-safe safe env [--shell ${SHELLS.join('|')}] [--no-hooks | --hooks-only]`;

function shellArgument(value: string | undefined): Shell {
  if (value === undefined || value === '') throw new UsageError(`--shell needs a value; ${USAGE}`);
  const shell = parseShell(value);
  if (!shell) throw new UsageError(`--shell ${value}: unknown shell; expected one of ${SHELLS.join(', ')}`);
  return shell;
}

export function parseEnvArgs(args: readonly string[]): EnvOptions | 'help' {
  const options: EnvOptions = { hooks: 'all' };
  const choose = (arg: string, hooks: HookChoice) => {
    if (options.hooks !== 'all' && options.hooks !== hooks) throw new UsageError(`safe env: ${arg}: --no-hooks and --hooks-only exclude each other; ${USAGE}`);
    options.hooks = hooks;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') return 'help';
    else if (arg === '--no-hooks') choose(arg, 'none');
    else if (arg === '--hooks-only') choose(arg, 'only');
    else if (arg === '--shell') options.shell = shellArgument(args[++i]);
    else if (arg.startsWith('--shell=')) options.shell = shellArgument(arg.slice('--shell='.length));
    else throw new UsageError(`safe env: unexpected argument "${arg}"; ${USAGE}`);
  }
  return options;
}

/** Without --shell: the login shell ($SHELL) on POSIX, PowerShell on Windows. */
export function defaultShell(ctx: LaunchContext): Shell {
  if (ctx.host.platform === 'win32') return 'powershell';
  const login = getEnv(ctx.env, 'SHELL', ctx.host.platform);
  if (!login) throw new UsageError(`safe env: $SHELL is not set, so name the shell with --shell; ${USAGE}`);
  const shell = shellFromPath(login);
  if (!shell) throw new UsageError(`safe env: SHELL=${login} is not a shell this command knows; name one with --shell (${SHELLS.join(', ')})`);
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
  const shell = options.shell ?? defaultShell(ctx);
  const debug = makeDebug(ctx.env);
  // No uv arguments: the plan a bare `uv` call in this folder would get. The `safe env` words are
  // the launcher's, not uv's, so they are kept out of the parse.
  const prepared = prepare({ ...ctx, invokedAs: 'uvx-safe', args: [] }, debug);
  enforcePlan(prepared, debug);
  const { plan } = prepared;
  // Render before touching the disk, so a value the shell cannot hold fails without side effects.
  const inherited = getEnv(ctx.env, 'TOX_OVERRIDE', ctx.host.platform);
  const script = renderScript(shell, envVariables(plan.env, ctx.launcherPath, options.hooks, inherited));
  // The hooks alone name no folder: the launcher they point at makes its folders at each call.
  if (options.hooks !== 'only') createFolders(plan);
  process.stdout.write(script);
  return 0;
}
