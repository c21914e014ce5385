// What the plan needs to know of the project before it can judge it: the workspace roots, whether the
// command uses the project's environment, where `uv venv` or `uv pip` would write, and whether uv
// must be asked for its merged settings first. Read from disk only when a check needs it.

import path = require('node:path');
import type { EffectiveConfig } from '../config/merge.js';
import { pathFor } from '../platform/env.js';
import type { PlanInput } from '../relocate/plan.js';
import { pipInterpreter } from '../relocate/pip-target.js';
import { activeEnvUse, pipWritesFoundEnv, projectEnvUse } from '../relocate/project-env.js';
import { optionTakesValue, type ParsedUvArgs } from '../uv/argv.js';
import { readsUvPython } from '../uv/python-request.js';
import { truthy } from '../uv/env-flags.js';
import { uvConfigSources, type UvConfigSource } from '../uv/config-sources.js';
import type { UvPipSettings } from '../uv/show-settings.js';
import type { LaunchContext } from '../context.js';
import { runsPep723 } from './run-target.js';
import { workspaceRoots } from './workspace.js';
import { pipFoundEnvironments, pipInterpreterEnvironment } from './python-environments.js';
import { entryAt } from './python-version-file.js';

export interface ProjectFactsOptions {
  /** Find the project and judge its environment whatever the command (`safe doctor`). */
  inspectProject?: boolean;
  /** uv's merged pip settings (`uv --show-settings`), asked because `askUvSettings` said so. */
  uvSettings?: { settings: UvPipSettings; sources: UvConfigSource[] };
}

/** "target from uv's settings (/repo/pyproject.toml, ~/.config/uv/uv.toml)": where uv could have read it. */
export function settingOrigin(key: string, sources: readonly UvConfigSource[]): string {
  return `pip setting ${key} (uv's settings: ${sources.map((s) => s.file).join(', ')})`;
}

/**
 * The project's workspace roots, whether the command uses its environment, and the environment `uv pip`
 * (or `--active`) writes to: read from disk only when a check or `project-env` needs them.
 */
export function projectFacts(
  ctx: LaunchContext,
  parsed: ParsedUvArgs,
  start: string,
  config: EffectiveConfig,
  uvSees: (name: string) => string | undefined,
  options: ProjectFactsOptions,
): Pick<PlanInput, 'projectRoots' | 'projectEnvUse' | 'pipEnvironments' | 'pipSettings' | 'venvDefaults'> & { askUvSettings?: UvConfigSource[] } {
  const checking = (config.allowedRoots?.value.length ?? 0) > 0 && config.mode.value !== 'off';
  const p = pathFor(ctx.host.platform);
  const directory = parsed.locations.filter((flag) => flag.kind === 'directory').pop()?.value;
  const uvCwd = directory ? p.resolve(ctx.cwd, directory) : ctx.cwd;
  // `--active` with VIRTUAL_ENV set: uv uses that environment instead of the project's (or the
  // script's), resolved from the folder uv runs in (`Workspace::environment_selection`); without
  // VIRTUAL_ENV (or with it empty) the project's environment as usual.
  const virtualEnv = uvSees('VIRTUAL_ENV');
  const active = checking && virtualEnv ? activeEnvUse(parsed) : false;
  let use = checking && !active ? projectEnvUse(parsed, uvSees, runsPep723(parsed, uvCwd)) : undefined;
  const venvDefaults = checking ? venvWithoutPath(parsed, uvSees, start, uvCwd, p) : undefined;
  if (venvDefaults?.project) use = 'uv venv';
  const needRoots = config.locations['project-env'] || use || options.inspectProject;
  const projectRoots = needRoots ? (venvDefaults?.project ? [start] : workspaceRoots(start)) : undefined;
  const project = { projectRoots, projectEnvUse: use, venvDefaults: venvDefaults?.cwd };
  let pipEnvironments: PlanInput['pipEnvironments'];
  let pipSettings: PlanInput['pipSettings'];
  // `--show-settings` makes uv print its settings and stop: it writes nothing.
  const pipWrites =
    checking && ['pip install', 'pip sync', 'pip uninstall'].includes(parsed.command.join(' ')) && !parsed.helpOrVersion && !parsed.options?.includes('--show-settings');
  // The other pip commands that take --python (list, freeze, show, tree, check, compile) run the
  // interpreter uv's `pip.python` setting names when neither the flag nor UV_PYTHON does.
  const pipRunsSetting =
    checking && !pipWrites && parsed.command[0] === 'pip' && optionTakesValue(parsed.command, '--python') && !parsed.helpOrVersion && !parsed.options?.includes('--show-settings') &&
    !parsed.locations.some((flag) => flag.kind === 'python' && flag.index >= 0) && !(readsUvPython(parsed.command) && uvSees('UV_PYTHON'));
  // uv's config files can set pip's target, prefix, python and system: when any of them exists, uv
  // is asked what it merged (a second pass of prepare, after the real uv is found).
  const ask = (pipWrites || pipRunsSetting) && !options.uvSettings;
  const sources = ask ? uvConfigSources({ args: parsed, lookup: uvSees, projectStart: start, uvCwd, platform: ctx.host.platform, home: ctx.host.home }) : [];
  if (sources.length > 0) return { ...project, askUvSettings: sources };
  const answer = options.uvSettings;
  // A flag on the command line beats uv's config files.
  const flagged = (kind: string) => parsed.locations.some((flag) => flag.kind === kind && flag.index >= 0);
  // Only pip's `python` matters to the commands that do not write (python-requests.ts judges it).
  if (answer && pipWrites) {
    pipSettings = [];
    for (const kind of ['target', 'prefix'] as const) {
      const value = answer.settings[kind];
      if (value !== undefined && !flagged(kind)) pipSettings.push({ kind, value, origin: settingOrigin(kind, answer.sources) });
    }
  }
  if (active) {
    // `--active`: the project commands write into the activated environment instead of the project's.
    pipEnvironments = [{ path: p.resolve(uvCwd, virtualEnv!), origin: 'VIRTUAL_ENV, --active' }];
  } else if (checking && !pipSettings?.length) {
    // An interpreter named by a flag, a variable or uv's settings decides where pip writes
    // (pip-target.ts); else the virtual environment uv finds.
    const settings = answer && {
      python: answer.settings.python === undefined ? undefined : { value: answer.settings.python, origin: settingOrigin('python', answer.sources) },
      system: answer.settings.system ? settingOrigin('system', answer.sources) : undefined,
    };
    const named = pipInterpreter(parsed, uvSees, ctx.host.platform, settings, entryAt(uvCwd, ctx.host.platform));
    const find = { lookup: uvSees, env: ctx.env, uvCwd, cwd: ctx.cwd, platform: ctx.host.platform };
    if (named) {
      const found = pipInterpreterEnvironment(named, { ...find, home: ctx.host.home });
      if (found) pipEnvironments = [found];
    } else if (pipWritesFoundEnv(parsed, uvSees)) {
      const request = parsed.locations.filter((f) => f.kind === 'python').pop()?.value ?? uvSees('UV_PYTHON') ?? settings?.python?.value;
      pipEnvironments = pipFoundEnvironments({ ...find, versionRequest: request !== undefined });
    }
  }
  return { ...project, pipEnvironments, pipSettings };
}

/**
 * Where `uv venv` without a path creates the environment (crates/uv/src/commands/venv.rs): the
 * project's environment (UV_PROJECT_ENVIRONMENT, else `.venv` at the root) when the project folder
 * (`--project`, else the working folder) is itself a workspace root, else `.venv` in the working
 * folder. uv also falls back to the working folder when the workspace fails to build (a member
 * without a pyproject.toml, two members of one name ...), which is not re-derived here: at a
 * workspace root both are judged. Undefined for other commands.
 */
function venvWithoutPath(
  parsed: ParsedUvArgs,
  uvSees: (name: string) => string | undefined,
  start: string,
  uvCwd: string,
  p: typeof path,
): { project: boolean; cwd: string[] } | undefined {
  if (parsed.helpOrVersion || parsed.command.join(' ') !== 'venv' || parsed.locations.some((flag) => flag.kind === 'venv')) return undefined;
  const cwd = [p.join(uvCwd, '.venv')];
  const noProject = parsed.options?.some((o) => o === '--no-project' || o === '--no-workspace') || truthy(uvSees('UV_NO_PROJECT'));
  return { project: !noProject && workspaceRoots(start).includes(start), cwd };
}

