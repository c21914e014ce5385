// The command line of `uvx-safe safe shims install|uninstall --dir D | --venv P [--exe PATH]`.

import { UsageError } from '../errors.js';
import { unexpectedArgument } from './help.js';

export const USAGE = 'Usage: uvx-safe safe shims install|uninstall --dir D | --venv P [--exe PATH]';

export interface ShimArgs {
  action: 'install' | 'uninstall';
  /** --dir D, or --venv P (then `dir` is P). */
  target: 'dir' | 'venv';
  dir: string;
  exe?: string;
}

export function parseArgs(args: string[]): ShimArgs | 'help' {
  let action: ShimArgs['action'] | undefined;
  const values: { dir?: string; venv?: string; exe?: string } = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') return 'help';
    const option = /^--(dir|venv|exe)(?:=(.*))?$/s.exec(arg);
    if (option) {
      const name = option[1] as 'dir' | 'venv' | 'exe';
      const value = option[2] ?? args[++i];
      if (value === undefined || value === '') throw new UsageError(`shims: --${name} needs a value`, { hint: USAGE });
      values[name] = value;
    } else if ((arg === 'install' || arg === 'uninstall') && action === undefined) {
      action = arg;
    } else {
      throw unexpectedArgument('shims', arg);
    }
  }
  if (action === undefined) throw new UsageError(`shims: say install or uninstall`, { hint: USAGE });
  if (values.dir !== undefined && values.venv !== undefined) throw new UsageError(`shims: give --dir or --venv, not both`, { hint: USAGE });
  const target = values.venv !== undefined ? 'venv' : 'dir';
  const dir = values.venv ?? values.dir;
  if (dir === undefined) throw new UsageError(`shims ${action}: --dir D or --venv P is required`, { hint: USAGE });
  if (values.exe !== undefined && action === 'uninstall') throw new UsageError(`shims uninstall: --exe is for install only`, { hint: USAGE });
  return { action, target, dir, exe: values.exe };
}

