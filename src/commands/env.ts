// `uvx-safe safe env --shell S [--no-hooks]`: the relocation (and `[env]`) as shell statements, so that
// a dotfile gives plain uv the launcher's environment at no per-call cost. The launcher is not in the
// loop then, so this command creates the plan's folders itself (plain uv expects TMPDIR to exist).

import { UsageError } from '../errors.js';
import type { LaunchContext } from '../launch/context.js';
import { createFolders } from '../launch/folders.js';
import { enforcePlan, prepare } from '../launch/prepare.js';
import { makeDebug } from '../log.js';
import { getEnv } from '../platform/env.js';
import { parseShell, renderScript, shellFromPath, SHELLS, type Shell } from '../shell/quote.js';

/** Variables through which tools find uv without PATH; they point at the launcher so it stays in the loop. */
export const HOOK_VARIABLES = ['UV', 'TOX_UV_PATH', 'HATCH_ENV_TYPE_VIRTUAL_UV_PATH'] as const;

interface EnvOptions {
  shell?: Shell;
  hooks: boolean;
}

const USAGE = `usage: uvx-safe safe env [--shell ${SHELLS.join('|')}] [--no-hooks]`;

function shellArgument(value: string | undefined): Shell {
  if (value === undefined || value === '') throw new UsageError(`--shell needs a value; ${USAGE}`);
  const shell = parseShell(value);
  if (!shell) throw new UsageError(`--shell ${value}: unknown shell; expected one of ${SHELLS.join(', ')}`);
  return shell;
}

export function parseEnvArgs(args: readonly string[]): EnvOptions | 'help' {
  const options: EnvOptions = { hooks: true };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') return 'help';
    else if (arg === '--no-hooks') options.hooks = false;
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
 * the hooks. An explicit `[env]` value for a hook variable (admin or user config) wins over the hook.
 */
export function envVariables(planEnv: Record<string, string>, launcherPath: string, hooks: boolean): [string, string][] {
  const sorted = Object.entries(planEnv).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const out: [string, string][] = [...sorted];
  if (hooks) for (const name of HOOK_VARIABLES) if (!(name in planEnv)) out.push([name, launcherPath]);
  return out;
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
  const script = renderScript(shell, envVariables(plan.env, ctx.launcherPath, options.hooks));
  createFolders(plan);
  process.stdout.write(script);
  return 0;
}
