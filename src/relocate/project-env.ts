// Which uv commands create or use the project's environment, and which workspace a project belongs
// to. Pure. Read from uv 0.13's commands (`ProjectEnvironment::get_or_init` callers in
// crates/uv/src/commands/project) and checked against the pinned uv 0.13.9: `lock`, `export` and
// `tree` create no environment; `venv` without a path makes `.venv` in the working folder, project or
// not (it is judged as a path of its own, see plan.ts).

import type { ParsedUvArgs } from '../uv/argv.js';
import { truthy } from '../uv/env-flags.js';
import { isVersionRequest } from './pip-target.js';


const has = (args: ParsedUvArgs, ...names: string[]) => names.some((name) => args.options?.includes(name));

/**
 * The command, as words for a message ("uv sync"), when it creates or uses the project's environment;
 * undefined otherwise. `lookup` gives the variables uv sees; `runsPep723` says `uv run` runs a PEP 723
 * script (src/launch/run-target.ts), in a script environment in the cache, not the project's.
 * `--active` does not end the use: without VIRTUAL_ENV uv falls back to the project's environment
 * (uv-workspace `Workspace::environment_selection`; plan-project-env.ts judges which).
 */
export function projectEnvUse(args: ParsedUvArgs, lookup: (name: string) => string | undefined, runsPep723: boolean): string | undefined {
  if (args.helpOrVersion) return undefined;
  const command = args.command.join(' ');
  const words = `uv ${command}`;
  const frozenOrNoSync = has(args, '--frozen', '--no-sync') || truthy(lookup('UV_FROZEN')) || truthy(lookup('UV_NO_SYNC'));
  switch (command) {
    case 'run':
      if (has(args, '--no-project', '--no_workspace', '--isolated')) return undefined;
      if (truthy(lookup('UV_NO_PROJECT')) || truthy(lookup('UV_ISOLATED'))) return undefined;
      return runsPep723 ? undefined : words;
    case 'sync':
    case 'check':
      return has(args, '--script') ? undefined : words;
    case 'add':
    case 'remove':
      return has(args, '--script') || frozenOrNoSync ? undefined : words;
    case 'version':
      // Reading the version touches nothing; `--bump` syncs afterwards (a new version given as a
      // positional argument does too, but is not told apart from a package name here).
      return has(args, '--bump') && !frozenOrNoSync && !has(args, '--dry-run') ? words : undefined;
    default:
      return undefined;
  }
}

/**
 * `sync`, `run`, `add`, `remove`, `check` with `--active` (the last of `--active`/`--no-active`, clap
 * `overrides_with`) use the activated environment (VIRTUAL_ENV) when one is set, for a project or a
 * script alike (`Workspace::environment_selection`, `ScriptInterpreter::root`).
 */
export function activeEnvUse(args: ParsedUvArgs): boolean {
  if (args.helpOrVersion || !['sync', 'run', 'add', 'remove', 'check'].includes(args.command.join(' '))) return false;
  const options = args.options ?? [];
  return options.lastIndexOf('--active') > options.lastIndexOf('--no-active');
}

/** pip commands that write into the environment they find (VIRTUAL_ENV, else a .venv from here up). */
export function pipWritesFoundEnv(args: ParsedUvArgs, lookup: (name: string) => string | undefined): boolean {
  const command = args.command.join(' ');
  if (args.helpOrVersion || !['pip install', 'pip sync', 'pip uninstall'].includes(command)) return false;
  // `--break-system-packages` changes no discovery: uv still writes into the environment it finds.
  if (has(args, '--system', '--target', '-t', '--prefix')) return false;
  if (truthy(lookup('UV_SYSTEM_PYTHON'))) return false;
  // A version request still picks a virtual environment; a path or a name is pip-target.ts's.
  const request = args.locations.filter((f) => f.kind === 'python').pop()?.value ?? lookup('UV_PYTHON');
  return request === undefined || isVersionRequest(request);
}
