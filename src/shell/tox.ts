// What tox needs to pass uvx-safe's policy on to the commands it runs. tox starts every command of
// an environment (and tox-uv starts uv itself) with only the variables of that environment's
// `pass_env`: by default not UVX_SAFE_*, not XDG_* (where the user config lives), not UV, and, with
// plain tox (no tox-uv), not UV_*. TOX_OVERRIDE appends them to `pass_env` for every tox run. Pure.

/** The variables the launcher (or plain uv after `safe env`) reads, as tox `pass_env` globs. */
export const TOX_PASS_ENV = ['UVX_SAFE_*', 'UV_*', 'UV', 'TOX_UV_PATH', 'HATCH_ENV_TYPE_VIRTUAL_UV_PATH', 'XDG_*'] as const;

/**
 * Where the environments' common `pass_env` lives, per config format: `[testenv]` (tox.ini,
 * setup.cfg), `[env_run_base]` (tox.toml), `[tool.tox.env_run_base]` (pyproject.toml). tox ignores
 * an override for a section the project does not have. An environment that sets its own `pass_env`
 * is not reached (docs/clients.md, tox, says what to do then).
 */
const TOX_SECTIONS = ['testenv', 'env_run_base', 'tool.tox.env_run_base'] as const;

/** Our `;`-separated TOX_OVERRIDE entries. */
export const TOX_OVERRIDE_ENTRIES: readonly string[] = TOX_SECTIONS.map((s) => `${s}.pass_env+=${TOX_PASS_ENV.join(',')}`);

/**
 * The TOX_OVERRIDE value: the one already set, minus our entries, then ours. Evaluating `safe env`
 * again (every new shell) leaves the value as it was; the user's own overrides are kept in front.
 */
export function toxOverride(existing: string | undefined): string {
  const ours = new Set(TOX_OVERRIDE_ENTRIES);
  const kept = (existing ?? '').split(';').filter((entry) => entry !== '' && !ours.has(entry));
  return [...kept, ...TOX_OVERRIDE_ENTRIES].join(';');
}
