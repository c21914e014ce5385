// argv + env + cwd -> policy -> relocation plan -> the real uv and its environment.
// Everything up to the spawn, shared by the launcher and by `safe doctor` / `safe env`.

import fs = require('node:fs');
import { RecursionError } from '../errors.js';
import { warn, type Debug } from '../log.js';
import { loadLayers, type AdminOverride, type Layer } from '../config/layers.js';
import { adminOverrides, judgeOverrides, overrideRule, overrideWarning } from '../config/override.js';
import type { EffectiveConfig } from '../config/merge.js';
import { isSafeDirectory, safeDirectoriesFrom } from '../config/trust.js';
import { copyEnv, getEnv, pathFor, setEnv } from '../platform/env.js';
import { exampleUvPath } from '../platform/os-words.js';
import { planRelocation, type RelocationPlan } from '../relocate/plan.js';
import { parseUvArgs, type ParsedUvArgs } from '../uv/argv.js';
import { truthy, withVariableFlags } from '../uv/env-flags.js';
import { userUvConfigDir, type UvConfigSource } from '../uv/config-sources.js';
import type { LaunchContext } from '../context.js';
import { fileFacts, located, mergePolicy } from './judge.js';
import { projectFacts, settingOrigin, type ProjectFactsOptions } from './project-facts.js';
import { pythonProgramRequests } from './python-requests.js';
import { runSearchFrom } from './run-target.js';

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
  /** Variables that tried to replace or loosen the admin's file (config/override.ts); the admin's values apply. */
  overrides: AdminOverride[];
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

/**
 * The layers, merged. An override of the admin's file is refused in enforce, a warning otherwise;
 * `diagnose` (doctor, config show) only reports it (policy.overrides), so that they can say why.
 */
export function loadPolicy(ctx: LaunchContext, projectStart: string, diagnose = false): Policy {
  const loaded = loadLayers(ctx.host, ctx.cwd, projectStart);
  const config = mergePolicy(loaded.layers);
  const overrides = adminOverrides(loaded.adminOverrides, config, loaded.adminFile);
  const said = diagnose ? [] : judgeOverrides(overrides, config);
  return {
    layers: loaded.layers,
    config,
    adminFile: loaded.adminFile,
    userFile: loaded.userFile,
    warnings: [...said, ...loaded.warnings, ...config.warnings],
    ignored: loaded.ignored,
    overrides,
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

export interface PrepareOptions extends ProjectFactsOptions {
  /** Report overrides of the admin's file instead of refusing them (`safe doctor`: loadPolicy). */
  diagnose?: boolean;
}

export function prepare(ctx: LaunchContext, debug: Debug, options: PrepareOptions = {}): Prepared {
  const uvArgs = ctx.invokedAs === 'uvx' ? ['tool', 'uvx', ...ctx.args] : ctx.args;
  const inherited = (name: string) => getEnv(ctx.env, name, ctx.host.platform);
  // UV_WORKING_DIR, UV_PROJECT, ... count as their flags: first as inherited, for the project search.
  const parsedArgs = parseUvArgs(uvArgs);
  const start = projectStart(ctx, withVariableFlags(parsedArgs, inherited));
  const policy = loadPolicy(ctx, start, options.diagnose);
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
  const interpreterFiles = interpreterFacts(ctx, parsed, policy, uvSees, options);
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

/** Programs named by path (python-requests.ts), and `uv python pin --global`'s file: read only when a policy checks. */
function interpreterFacts(ctx: LaunchContext, parsed: ParsedUvArgs, policy: Policy, uvSees: (name: string) => string | undefined, options: ProjectFactsOptions) {
  const { config } = policy;
  if ((config.allowedRoots?.value.length ?? 0) === 0 || config.mode.value === 'off' || parsed.helpOrVersion) return {};
  const p = pathFor(ctx.host.platform);
  const directory = parsed.locations.filter((flag) => flag.kind === 'directory').pop()?.value;
  const safe = safeDirectoriesFrom(policy.layers, ctx.host);
  const answer = options.uvSettings;
  // A project's uv.toml or pyproject.toml may have set pip's python: a repository's file (fail closed).
  const project = answer?.sources.find((source) => source.kind === 'project');
  const projectSource = project && p.dirname(project.file);
  return pythonProgramRequests({
    parsed,
    lookup: uvSees,
    noConfig: (parsed.options ?? []).includes('--no-config') || truthy(uvSees('UV_NO_CONFIG')),
    uvCwd: directory ? p.resolve(ctx.cwd, directory) : ctx.cwd,
    userUvConfigDir: userUvConfigDir(ctx.host.platform, uvSees, ctx.host.home),
    platform: ctx.host.platform,
    isSafe: (dir) => isSafeDirectory(dir, safe, ctx.host.platform),
    pipSetting: answer?.settings.python === undefined ? undefined : { value: answer.settings.python, origin: settingOrigin('python', answer.sources), repository: projectSource && !isSafeDirectory(projectSource, safe, ctx.host.platform) ? projectSource : undefined },
  });
}

/**
 * Says the policy's and the plan's warnings, and throws the first refusal (the others go to debug).
 * `earlier`: a pass whose warnings were already said.
 */
export function enforcePlan({ policy, plan }: Prepared, debug: Debug, earlier?: Prepared): void {
  const said = new Set(earlier ? [...earlier.policy.warnings, ...earlier.plan.warnings] : []);
  // The report's ids (src/report/): the plan's own, an override of the admin's file, a project file
  // another user owns, else a key a layer may not set.
  const overridden = new Map(policy.overrides.map((o) => [overrideWarning(o), overrideRule(o)]));
  const ruleOf = (message: string) =>
    plan.warningRules[message] ?? overridden.get(message) ?? (policy.ignored.includes(message) ? 'untrusted-project-file' : 'config-ignored');
  for (const message of [...policy.warnings, ...plan.warnings]) if (!said.has(message)) warn(message, { rule: ruleOf(message) });
  const [first, ...others] = plan.refusals;
  for (const extra of others) debug(`also refused: ${extra.message}`);
  if (first) throw first;
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
