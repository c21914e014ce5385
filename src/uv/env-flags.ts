// uv's variables that stand for its global location flags (clap `env = ...` in uv 0.13's uv-cli, and
// uv's own fallback to UV_WORKING_DIRECTORY). They count exactly like the flags: the project search
// starts from them and the plan judges them. A flag on the command line beats its variable, as in clap.

import type { LocationFlag, LocationFlagKind, ParsedUvArgs } from './argv.js';

/**
 * A boolean variable that uv reads as true: one of clap's `BoolishValueParser` true spellings (uv-static
 * `parse_boolish_environment_variable` uses the same list), any case. uv reads `n`, `f`, `off` ... as
 * false and refuses anything else, so anything else counts as unset: a check it would skip is kept.
 */
export function truthy(value: string | undefined): boolean {
  return value !== undefined && ['y', 'yes', 't', 'true', 'on', '1'].includes(value.toLowerCase());
}

/** Flag kind -> the variables uv reads for it, first wins. */
export const FLAG_VARIABLES: readonly { kind: LocationFlagKind; variables: readonly string[] }[] = [
  { kind: 'directory', variables: ['UV_WORKING_DIR', 'UV_WORKING_DIRECTORY'] },
  { kind: 'project', variables: ['UV_PROJECT'] },
  { kind: 'config-file', variables: ['UV_CONFIG_FILE'] },
  { kind: 'no-cache', variables: ['UV_NO_CACHE'] },
];

/** Whether a location flag came from a variable rather than the command line. */
export function fromVariable(flag: LocationFlag): boolean {
  return flag.index < 0;
}

/**
 * `parsed` with the variables' flags added in front (index -1), for each kind the command line does
 * not give. `lookup` returns the value uv will see (inherited, or set by [env]), undefined when unset.
 */
export function withVariableFlags(parsed: ParsedUvArgs, lookup: (name: string) => string | undefined): ParsedUvArgs {
  const given = new Set(parsed.locations.map((flag) => flag.kind));
  const added: LocationFlag[] = [];
  for (const { kind, variables } of FLAG_VARIABLES) {
    if (given.has(kind)) continue;
    for (const variable of variables) {
      const value = lookup(variable);
      // An empty value is uv's error ("a value is required"), not a location.
      if (value === undefined || value === '') continue;
      added.push({ kind, flag: variable, value: kind === 'no-cache' ? undefined : value, index: -1 });
      break;
    }
  }
  return added.length ? { ...parsed, locations: [...added, ...parsed.locations] } : parsed;
}
