// argv + env + cwd -> policy -> relocation plan -> the real uv and its environment.
// Everything up to the spawn, shared by the launcher and by `safe doctor` / `safe env`.

import fs = require('node:fs');
import path = require('node:path');
import { PolicyRefusal, RecursionError, UvVersionError } from '../errors.js';
import { warn, type Debug } from '../log.js';
import { loadLayers, type Layer } from '../config/layers.js';
import type { EffectiveConfig } from '../config/merge.js';
import { fileFacts, located, mergePolicy } from './judge.js';
import { managedPolicy, managedStep, type ManagedPolicy } from '../managed/choose.js';
import { copyEnv, getEnv, pathFor, setEnv } from '../platform/env.js';
import { exampleUvPath } from '../platform/os-words.js';
import { canonicalPath } from '../relocate/contain.js';
import { planRelocation, type PlanInput, type RelocationPlan } from '../relocate/plan.js';
import { pipInterpreter } from '../relocate/pip-target.js';
import { activeEnvUse, pipWritesFoundEnv, projectEnvUse } from '../relocate/project-env.js';
import { expandPath } from '../config/templates.js';
import { parseUvArgs, type ParsedUvArgs } from '../uv/argv.js';
import { truthy, withVariableFlags } from '../uv/env-flags.js';
import { findUv, type UvChoice } from '../uv/find.js';
import { nodeFindHost } from '../uv/find-host.js';
import { cachedUvVersion, checkUvVersion } from '../uv/version.js';
import type { LaunchContext } from '../context.js';
import { makeFolder } from './folders.js';
import { userUvConfigDir, uvConfigSources, type UvConfigSource } from '../uv/config-sources.js';
import { isSafeDirectory, safeDirectoriesFrom } from '../config/trust.js';
import { interpreterFileFacts } from './python-version-file.js';
import type { UvPipSettings } from '../uv/show-settings.js';
import { runSearchFrom, runsPep723 } from './run-target.js';
import { workspaceRoots } from './workspace.js';
import { pipFoundEnvironments, pipInterpreterEnvironment } from './python-environments.js';

export { findProjectRoot } from './project.js';

/** Legitimate nesting (uv run tox -> tox-uv -> uvx-safe) is shallow; a wrapper loop is not. */
const MAX_DEPTH = 8;

export interface Policy {
  layers: Layer[];
  config: EffectiveConfig;
  adminFile: string;
  userFile: string;
  warnings: string[];
  /** Project config files not read because another user owns them (their warnings). */
  ignored: string[];
}

export interface Prepared {
  policy: Policy;
  parsed: ParsedUvArgs;
  /** The arguments uv receives (for `uvx`: "tool", "uvx", then the user's). */
  uvArgs: string[];
  plan: RelocationPlan;
  /** Where uv looks for the project: --project/--directory or their variables, else the working folder. */
  projectStart: string;
  /**
   * Set when uv's config files (or --config-file) could choose where a `uv pip` write lands: the
   * files. The launcher then asks uv (show-settings.ts) and prepares again with its answer.
   */
  askUvSettings?: UvConfigSource[];
}

/** How many launchers started this one; a garbled value counts as none rather than breaking uv. */
function nestingDepth(ctx: LaunchContext): number {
  const depth = Number.parseInt(getEnv(ctx.env, 'UVX_SAFE_DEPTH', ctx.host.platform) ?? '', 10);
  return Number.isFinite(depth) && depth > 0 ? depth : 0;
}

export function checkRecursion(ctx: LaunchContext, ppid: number): void {
  const parent = getEnv(ctx.env, 'UVX_SAFE_PARENT_PID', ctx.host.platform);
  if (parent !== undefined && parent === String(ppid))
    throw new RecursionError('the real uv was not found: the "uv" this launcher started is uvx-safe again (a loop)', {
      hint: `point at the real uv with UVX_SAFE_UV=${exampleUvPath(ctx.host.platform)} or \`uv-path\` in the uvx-safe config`,
    });
  const depth = nestingDepth(ctx);
  if (depth >= MAX_DEPTH)
    throw new RecursionError(`uvx-safe is nested ${depth} deep: a wrapper named uv seems to loop back to it`, {
      hint: 'point at the real uv with UVX_SAFE_UV=/path/to/uv or `uv-path` in the uvx-safe config',
    });
}

export function loadPolicy(ctx: LaunchContext, projectStart: string): Policy {
  const loaded = loadLayers(ctx.host, ctx.cwd, projectStart);
  const config = mergePolicy(loaded.layers);
  return {
    layers: loaded.layers,
    config,
    adminFile: loaded.adminFile,
    userFile: loaded.userFile,
    warnings: [...loaded.warnings, ...config.warnings],
    ignored: loaded.ignored,
  };
}

/**
 * Where uv will look for the project (crates/uv/src/lib.rs, "Determine the project directory"):
 * `--project` (its pyproject.toml's folder when it names that file), else the folder of the script
 * `uv run` starts (run-target.ts), else the working folder; all after `--directory` (or their variables).
 */
function projectStart(ctx: LaunchContext, parsed: ParsedUvArgs): string {
  const p = pathFor(ctx.host.platform);
  const last = (kind: string) => parsed.locations.filter((flag) => flag.kind === kind).pop()?.value;
  const directory = last('directory');
  const base = directory ? p.resolve(ctx.cwd, directory) : ctx.cwd;
  const project = last('project');
  if (!project) return runSearchFrom(parsed, base) ?? base;
  const resolved = p.resolve(base, project);
  const isFile = p.basename(resolved) === 'pyproject.toml' && (fs.statSync(resolved, { throwIfNoEntry: false })?.isFile() ?? false);
  return isFile ? p.dirname(resolved) : resolved;
}

export interface PrepareOptions {
  /** Find the project and judge its environment whatever the command (`safe doctor`). */
  inspectProject?: boolean;
  /** uv's merged pip settings (`uv --show-settings`), asked because `askUvSettings` said so. */
  uvSettings?: { settings: UvPipSettings; sources: UvConfigSource[] };
}

export function prepare(ctx: LaunchContext, debug: Debug, options: PrepareOptions = {}): Prepared {
  const uvArgs = ctx.invokedAs === 'uvx' ? ['tool', 'uvx', ...ctx.args] : ctx.args;
  const inherited = (name: string) => getEnv(ctx.env, name, ctx.host.platform);
  // UV_WORKING_DIR, UV_PROJECT, ... count as their flags: first as inherited, for the project search.
  const parsedArgs = parseUvArgs(uvArgs);
  const start = projectStart(ctx, withVariableFlags(parsedArgs, inherited));
  const policy = loadPolicy(ctx, start);
  const { config } = policy;
  // Then as uv will see them, [env] included (an inherited value wins unless the admin locked it).
  const uvSees = (name: string) => {
    const setting = config.env[name];
    return setting && (setting.locked || inherited(name) === undefined) ? setting.value : inherited(name);
  };
  const parsed = withVariableFlags(parsedArgs, uvSees);
  for (const layer of policy.layers) debug(`config layer ${layer.name}: ${layer.source}`);
  debug(`mode = ${config.mode.value} (from ${config.mode.origin.source}${config.mode.locked ? ', locked' : ''})`);

  const { askUvSettings, ...project } = projectFacts(ctx, parsed, start, config, uvSees, options);
  const interpreterFiles = interpreterFacts(ctx, parsed, policy, uvSees);
  const plan = located(() => planRelocation({
    ...project,
    ...interpreterFiles,
    config,
    args: parsed,
    host: ctx.host,
    cwd: ctx.cwd,
    ...fileFacts(ctx.host),
  }));
  for (const d of plan.decisions)
    debug(`${d.name}: ${d.path} (${d.source}: ${d.origin}${d.inside === undefined ? '' : d.inside ? ', inside allowed-roots' : ', OUTSIDE allowed-roots'})`);
  return { policy, parsed, uvArgs, plan, projectStart: start, askUvSettings };
}

/** Interpreters named by version files, and `uv python pin --global`'s file: read only when a policy checks. */
function interpreterFacts(ctx: LaunchContext, parsed: ParsedUvArgs, policy: Policy, uvSees: (name: string) => string | undefined) {
  const { config } = policy;
  if ((config.allowedRoots?.value.length ?? 0) === 0 || config.mode.value === 'off' || parsed.helpOrVersion) return {};
  const p = pathFor(ctx.host.platform);
  const directory = parsed.locations.filter((flag) => flag.kind === 'directory').pop()?.value;
  const safe = safeDirectoriesFrom(policy.layers, ctx.host);
  return interpreterFileFacts({
    command: parsed.command,
    options: parsed.options ?? [],
    noConfig: (parsed.options ?? []).includes('--no-config') || truthy(uvSees('UV_NO_CONFIG')),
    uvCwd: directory ? p.resolve(ctx.cwd, directory) : ctx.cwd,
    userUvConfigDir: userUvConfigDir(ctx.host.platform, uvSees, ctx.host.home),
    home: ctx.host.home,
    platform: ctx.host.platform,
    isSafe: (dir) => isSafeDirectory(dir, safe, ctx.host.platform),
  });
}

/** "target from uv's settings (/repo/pyproject.toml, ~/.config/uv/uv.toml)": where uv could have read it. */
function settingOrigin(key: string, sources: readonly UvConfigSource[]): string {
  return `pip setting ${key} (uv's settings: ${sources.map((s) => s.file).join(', ')})`;
}

/**
 * The project's workspace roots, whether the command uses its environment, and the environment `uv pip`
 * (or `--active`) writes to: read from disk only when a check or `project-env` needs them.
 */
function projectFacts(
  ctx: LaunchContext,
  parsed: ParsedUvArgs,
  start: string,
  config: EffectiveConfig,
  uvSees: (name: string) => string | undefined,
  options: PrepareOptions,
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
  // uv's config files can set pip's target, prefix, python and system: when any of them exists, uv
  // is asked what it merged (a second pass of prepare, after the real uv is found).
  const sources = pipWrites && !options.uvSettings ? uvConfigSources({ args: parsed, lookup: uvSees, projectStart: start, uvCwd, platform: ctx.host.platform, home: ctx.host.home }) : [];
  if (sources.length > 0) return { ...project, askUvSettings: sources };
  const answer = options.uvSettings;
  // A flag on the command line beats uv's config files.
  const flagged = (kind: string) => parsed.locations.some((flag) => flag.kind === kind && flag.index >= 0);
  if (answer) {
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
    const named = pipInterpreter(parsed, uvSees, ctx.host.platform, settings);
    const find = { lookup: uvSees, env: ctx.env, uvCwd, cwd: ctx.cwd, platform: ctx.host.platform };
    if (named) {
      const found = pipInterpreterEnvironment(named, { ...find, home: ctx.host.home });
      if (found) pipEnvironments = [found];
    } else if (pipWritesFoundEnv(parsed, uvSees)) {
      const request = parsed.locations.filter((f) => f.kind === 'pip-python').pop()?.value ?? uvSees('UV_PYTHON') ?? settings?.python?.value;
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

/**
 * Says the policy's and the plan's warnings, and throws the first refusal (the others go to debug).
 * `earlier`: a pass whose warnings were already said.
 */
export function enforcePlan({ policy, plan }: Prepared, debug: Debug, earlier?: Prepared): void {
  const said = new Set(earlier ? [...earlier.policy.warnings, ...earlier.plan.warnings] : []);
  for (const message of [...policy.warnings, ...plan.warnings]) if (!said.has(message)) warn(message);
  const [first, ...others] = plan.refusals;
  for (const extra of others) debug(`also refused: ${extra.message}`);
  if (first) throw first;
}

/**
 * The uv to run: `uv-path`, `UVX_SAFE_UV`, the managed uv (when `uv-source` is set), PATH.
 * Throws ManagedUvMissing when the managed uv is wanted and none is installed yet.
 */
export function chooseUv(ctx: LaunchContext, config: EffectiveConfig, plan: RelocationPlan, debug: Debug = () => {}): UvChoice {
  const configured = config.uvPath
    ? {
        value: expandPath(
          { raw: config.uvPath.value, key: 'uv-path', source: config.uvPath.origin.source, baseDir: config.uvPath.baseDir },
          ctx.host,
        ),
        origin: `uv-path (from ${config.uvPath.origin.source})`,
      }
    : undefined;
  let managed: ManagedPolicy | undefined;
  if (config.uvSource) {
    const overridden = configured ? 'uv-path' : getEnv(ctx.env, 'UVX_SAFE_UV', ctx.host.platform) ? 'UVX_SAFE_UV' : undefined;
    if (overridden) debug(`uv-source (from ${config.uvSource.origin.source}) is set, but ${overridden} comes first: the managed uv is not used`);
    else managed = managedPolicy(config, plan, ctx.host);
  }
  const shim = ctx.invokedAs === 'uvx-safe' ? undefined : ctx.launcherPath;
  return findUv(
    { configured, self: ctx.self, managed: managed && managedStep(managed, ctx.host), shim },
    nodeFindHost(ctx.env, ctx.host.platform),
  );
}

/** `uv self update` would replace a uv the policy manages: refused, the policy decides its version. */
export function checkSelfUpdate(parsed: ParsedUvArgs, uv: UvChoice, config: EffectiveConfig): void {
  if (uv.source !== 'managed' || parsed.helpOrVersion || parsed.command.join(' ') !== 'self update') return;
  const range = config.uvVersion ? `uv-version "${config.uvVersion.value}" (from ${config.uvVersion.origin.source})` : 'uv-version (not set: the newest)';
  throw new PolicyRefusal(
    `uv self update: this uv is managed by uvx-safe; the policy decides its version: ${range} from uv-source ${config.uvSource!.value} (from ${config.uvSource!.origin.source})`,
    { hint: 'ask the admin for a new uv-version, then run `uvx-safe safe uv install`' },
  );
}

export function checkVersion(config: EffectiveConfig, plan: RelocationPlan, uv: UvChoice, debug: Debug): void {
  if (!config.uvVersion) return;
  let version: string;
  try {
    // A managed uv's version is its folder's name, checked by running it when it was installed.
    version = uv.version ?? cachedUvVersion(uv.path, usableStateDir(plan, debug));
  } catch (err) {
    if (err instanceof UvVersionError) throw err;
    throw new UvVersionError(`cannot read the version of ${uv.path}: ${(err as Error).message}`, { hint: 'run `uvx-safe safe doctor`: it checks the real uv' });
  }
  debug(`uv version ${version}; uv-version "${config.uvVersion.value}" from ${config.uvVersion.origin.source}`);
  checkUvVersion(version, config.uvVersion.value, config.uvVersion.origin.source, uv.path);
}

/** The state folder, made through the gate; undefined (no cache, one more `uv --version`) when it cannot be. */
function usableStateDir(plan: RelocationPlan, debug: Debug): string | undefined {
  if (!plan.stateDir) return undefined;
  try {
    makeFolder(plan, plan.stateDir, "uvx-safe's state folder");
    return plan.stateDir;
  } catch (err) {
    debug(`uv version not cached: ${(err as Error).message}`);
    return undefined;
  }
}

/** The environment uv starts with: inherited, plus the plan, plus the recursion guard. */
export function childEnv(ctx: LaunchContext, plan: RelocationPlan, ownPid: number): Record<string, string> {
  const platform = ctx.host.platform;
  const env = copyEnv(ctx.env, platform);
  const set = (name: string, value: string) => setEnv(env, name, value, platform);
  for (const [name, value] of Object.entries(plan.env)) set(name, value);
  set('UVX_SAFE_PARENT_PID', String(ownPid));
  set('UVX_SAFE_DEPTH', String(nestingDepth(ctx) + 1));
  return env;
}
