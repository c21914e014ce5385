// The command line of `uvx-safe safe env`: the shell, the hooks, --temp and --persist.

import { UsageError } from '../errors.js';
import { parseShell, SHELLS, type Shell } from '../shell/quote.js';
import { unexpectedArgument } from './help.js';

/** All: the plan, then the hooks; none: the plan alone (--no-hooks); only: the hooks alone (--hooks-only). */
export type HookChoice = 'all' | 'none' | 'only';

export interface EnvOptions {
  shell?: Shell;
  hooks: HookChoice;
  /** TMPDIR, TEMP and TMP into the data root's temp folder. */
  temp: boolean;
  persist: boolean;
  machine: boolean;
  remove: boolean;
}

export const USAGE = `Usage: uvx-safe safe env [--shell ${SHELLS.join('|')}] [--no-hooks | --hooks-only] [--temp] | --persist [--machine] [--temp] [--remove]`;

function shellArgument(value: string | undefined): Shell {
  if (value === undefined || value === '') throw new UsageError(`--shell needs a value`, { hint: USAGE });
  const shell = parseShell(value);
  if (!shell) throw new UsageError(`--shell ${value}: unknown shell`, { hint: `use one of ${SHELLS.join(', ')}` });
  return shell;
}

export function parseEnvArgs(args: readonly string[]): EnvOptions | 'help' {
  const options: EnvOptions = { hooks: 'all', temp: false, persist: false, machine: false, remove: false };
  const choose = (arg: string, hooks: HookChoice) => {
    if (options.hooks !== 'all' && options.hooks !== hooks) throw new UsageError(`safe env: ${arg}: --no-hooks and --hooks-only exclude each other`, { hint: USAGE });
    options.hooks = hooks;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') return 'help';
    else if (arg === '--no-hooks') choose(arg, 'none');
    else if (arg === '--hooks-only') choose(arg, 'only');
    else if (arg === '--temp') options.temp = true;
    else if (arg === '--persist') options.persist = true;
    else if (arg === '--machine') options.machine = true;
    else if (arg === '--remove') options.remove = true;
    else if (arg === '--shell') options.shell = shellArgument(args[++i]);
    else if (arg.startsWith('--shell=')) options.shell = shellArgument(arg.slice('--shell='.length));
    else throw unexpectedArgument('env', arg);
  }
  if ((options.machine || options.remove) && !options.persist)
    throw new UsageError(`safe env: ${options.machine ? '--machine' : '--remove'} goes with --persist`, { hint: USAGE });
  if (options.persist && (options.shell || options.hooks !== 'all'))
    throw new UsageError('safe env --persist writes the relocation, not a shell script or hooks', {
      hint: `leave out ${options.shell ? '--shell' : options.hooks === 'none' ? '--no-hooks' : '--hooks-only'}`,
    });
  return options;
}
