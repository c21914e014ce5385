// The relocation plan: from the effective config, uv's arguments and the inherited environment,
// which variables uv gets, which folders must exist, and what is refused or warned about.
// Pure: the file system is reached only through `canonical` (realpath of the existing prefix).

import { ConfigError, PolicyRefusal } from '../errors.js';
import type { Setting } from '../config/merge.js';
import { LOCATION_KEYS, rootIsOptional, rootPath, type LocationKey } from '../config/schema.js';
import { getEnv, pathFor } from '../platform/env.js';
import { userCacheDir, uvDefaultLocations } from '../platform/dirs.js';
import type { LocationFlagKind } from '../uv/argv.js';
import { fromVariable } from '../uv/env-flags.js';
import { insideAny } from './contain.js';
import type { DecisionSource, LocationDecision, PlanInput, RelocationPlan } from './plan-types.js';
import { planProjectEnv } from './plan-project-env.js';
import { describeRoot, resolvesNote } from './path-words.js';
import { installTargetsInProgramFolders, programFolders } from './program-folders.js';
import { mayRunProgram, programRefusal } from './program-location.js';
import { expandPath } from '../config/templates.js';

export { projectEnvName } from './plan-project-env.js';

export type { DecisionSource, LocationDecision, PlanInput, RelocationPlan };

interface LocationSpec {
  name: Exclude<LocationKey, 'project-env'>;
  /** uv's own variable, which is an explicit choice when inherited. */
  uvVariable?: string;
  subdir: string;
}

const LOCATIONS: LocationSpec[] = [
  { name: 'cache', uvVariable: 'UV_CACHE_DIR', subdir: 'cache' },
  // Temp has no uv variable: TMPDIR/TMP/TEMP are everyone's, so inheriting them is no choice of the user's.
  { name: 'temp', subdir: 'tmp' },
  { name: 'python', uvVariable: 'UV_PYTHON_INSTALL_DIR', subdir: 'python' },
  { name: 'python-bin', uvVariable: 'UV_PYTHON_BIN_DIR', subdir: 'bin' },
  { name: 'tool', uvVariable: 'UV_TOOL_DIR', subdir: 'tools' },
  { name: 'tool-bin', uvVariable: 'UV_TOOL_BIN_DIR', subdir: 'bin' },
  { name: 'credentials', uvVariable: 'UV_CREDENTIALS_DIR', subdir: 'credentials' },
];

export function tempVariables(platform: NodeJS.Platform): string[] {
  return platform === 'win32' ? ['TMP', 'TEMP'] : ['TMPDIR'];
}

/** Flags for folders uvx-safe places anyway: leaving them out is a fix. */
const RELOCATED: Record<string, string> = { cache: 'cache', 'python-install': 'Python installations' };

/**
 * Command-line paths that uv or the user later runs programs from, and `--config-file`: not run, but it
 * chooses indexes and find-links, so one from outside allowed-roots is refused in enforce like a location.
 */
const CHECKED_FLAGS: ReadonlySet<LocationFlagKind> = new Set(['cache', 'python-install', 'venv', 'target', 'prefix', 'config-file']);

/**
 * Whether `text` shows `path` as a whole value (`UV_CACHE_DIR=/x`, `(/x, ...)`), not as the tail of
 * another spelling: `--cache-dir ../../home/me/t` holds `/home/me/t` but does not say where it is.
 */
function namesWhole(text: string, path: string): boolean {
  for (let at = text.indexOf(path); at >= 0; at = text.indexOf(path, at + 1)) {
    const before = at === 0 ? ' ' : text[at - 1]!;
    const after = at + path.length === text.length ? ' ' : text[at + path.length]!;
    if (' =('.includes(before) && ' ),'.includes(after)) return true;
  }
  return false;
}

export function planRelocation(given: PlanInput): RelocationPlan {
  // The same folders are judged more than once (a location, then as a program folder): one realpath each.
  const seen = new Map<string, string>();
  const canonical = (path: string) => {
    let real = seen.get(path);
    if (real === undefined) seen.set(path, (real = given.canonical(path)));
    return real;
  };
  const input: PlanInput = { ...given, canonical };
  const { config, args, host, cwd } = input;
  const p = pathFor(host.platform);
  const mode = config.mode.value;
  const env: Record<string, string> = {};
  const mkdirs: string[] = [];
  const mkdirReasons: Record<string, string> = {};
  const decisions: LocationDecision[] = [];
  const warnings: string[] = [];
  const refusals: PolicyRefusal[] = [];

  const expand = (setting: Setting<string>, key: string, dataRoot?: string) =>
    expandPath({ raw: setting.value, key, source: setting.origin.source, baseDir: setting.baseDir }, host, dataRoot);

  const roots: string[] = [];
  /** The present roots for messages: as the admin wrote them, then where they are if that differs. */
  const shownRoots: string[] = [];
  /** Optional roots absent on this machine (skipped; `safe doctor` warns). */
  const skippedRoots: string[] = [];
  (config.allowedRoots?.value ?? []).forEach((entry, i) => {
    const key = `allowed-roots.${i}`;
    const source = config.allowedRoots!.origin.source;
    const root = expandPath({ raw: rootPath(entry), key, source, baseDir: config.allowedRoots!.baseDir }, host);
    // A missing root would be created, with everything under it, by the first mkdir -p: an admin's typo
    // must not quietly become a new allowlisted folder. One the admin marked optional is left out.
    if (mode !== 'off' && input.isDirectory && !input.isDirectory(root)) {
      if (rootIsOptional(entry)) return void skippedRoots.push(root);
      // A relative root resolves against the file's folder: say so, or the path named is one nobody wrote.
      const raw = rootPath(entry);
      const relative = !/^(~|\{)/.test(raw) && !p.isAbsolute(raw);
      const spelled = relative ? `"${raw}" (relative to ${config.allowedRoots!.baseDir}, so ${root})` : root;
      throw new ConfigError(source, `${spelled} does not exist (or is not a folder)`, {
        key,
        value: raw,
        hint: relative
          ? 'write the root as an absolute path (docs/config-reference.md#allowed-roots)'
          : `create it, remove it from allowed-roots, or write it { path = ${JSON.stringify(raw)}, optional = true } where machines may lack it`,
      });
    }
    const real = canonical(root);
    roots.push(real);
    shownRoots.push(describeRoot(rootPath(entry), real, host.platform));
  });
  // Configured roots, present or not: with every one absent nothing is inside, so enforce refuses all.
  const checking = (config.allowedRoots?.value.length ?? 0) > 0 && mode !== 'off';
  // `--help`/`--version` use no folder, so only what the policy itself would create is judged then:
  // an outside data-root is refused even for `--version`, an inherited UV_CACHE_DIR is not.
  const judgedForHelp: ReadonlySet<DecisionSource> = new Set(['config', 'data-root']);
  const rootList = `${shownRoots.join(', ') || 'none present'}${skippedRoots.length ? `; skipped: ${skippedRoots.join(', ')}` : ''}`;
  const modeOrigin = config.mode.origin.source;
  /** The report's id of each warning (refusals carry theirs): src/report/. */
  const warningRules: Record<string, string> = {};
  const report = (message: string, hint: string, rule: string) => {
    if (mode === 'enforce') refusals.push(new PolicyRefusal(`${message}; refused (mode = enforce, from ${modeOrigin})`, { hint, rule }));
    else {
      const warning = `${message}; running anyway (mode = warn)`;
      warnings.push(warning);
      warningRules[warning] = rule;
    }
  };
  const inside = `a folder inside ${rootList}`;
  /** What to do instead, by where the location came from. */
  const fix = (decision: LocationDecision): string => {
    switch (decision.source) {
      case 'flag':
        return `use ${inside}${RELOCATED[decision.name] ? `, or leave ${decision.origin} out (uvx-safe places uv's ${RELOCATED[decision.name]} itself)` : ''}`;
      case 'env':
        return `unset ${decision.origin}, or set it to ${inside}`;
      case 'config':
        return `set it in ${decision.origin} to ${inside}`;
      case 'data-root':
        return `set data-root (from ${decision.origin}) to ${inside}`;
      case 'uv-default':
        return `set data-root in the admin policy to ${inside}, so that uvx-safe moves uv's ${decision.name} folder there (docs/config-reference.md#data-root)`;
    }
  };

  const judge = (decision: LocationDecision, what: string) => {
    decisions.push(decision);
    if (!checking || (args.helpOrVersion && !judgedForHelp.has(decision.source))) return;
    const real = canonical(decision.path);
    decision.inside = insideAny(real, roots, host.platform);
    if (decision.inside) return;
    const shown = namesWhole(what, decision.path) ? what : `${what} (${decision.path})`;
    report(`${shown}${resolvesNote(decision.path, real, host.platform)} lies outside allowed-roots (${rootList})`, fix(decision), outsideRule(decision));
  };

  let dataRoot: string | undefined;
  if (config.dataRoot) {
    dataRoot = expand(config.dataRoot, 'data-root');
    const real = canonical(dataRoot);
    if (checking && !insideAny(real, roots, host.platform))
      report(`data-root (${dataRoot}${resolvesNote(dataRoot, real, host.platform)}, from ${config.dataRoot.origin.source}) lies outside allowed-roots (${rootList})`, `set data-root to ${inside}, or add its folder to allowed-roots`, 'outside-allowed-roots:data-root');
  }

  // uv changes into `--directory` before it reads any path, so relative ones resolve from there.
  const directoryFlag = args.locations.filter((flag) => flag.kind === 'directory').pop();
  const directory = directoryFlag?.value;
  const uvCwd = directory ? p.resolve(cwd, directory) : cwd;
  const movedBy = directoryFlag
    ? ` in ${fromVariable(directoryFlag) ? `${directoryFlag.flag}=` : `${directoryFlag.flag} `}${directoryFlag.value}`
    : '';

  // Flags given to uv itself come first: uv lets them beat every variable.
  const flagged = new Set<string>();
  for (const flag of args.locations) {
    if (!CHECKED_FLAGS.has(flag.kind) || flag.value === undefined) continue;
    if (flag.kind === 'cache') flagged.add('cache');
    const value = p.resolve(uvCwd, flag.value);
    const variable = fromVariable(flag);
    judge(
      { name: flag.kind, path: value, source: variable ? 'env' : 'flag', origin: flag.flag, variables: [] },
      `${variable ? `${flag.flag}=${flag.value}` : `${flag.flag} ${flag.value}`}${p.isAbsolute(flag.value) ? '' : movedBy}`,
    );
  }

  const defaults = uvDefaultLocations(host);
  for (const spec of LOCATIONS) {
    if (flagged.has(spec.name)) continue;
    const inherited = spec.uvVariable ? getEnv(host.env, spec.uvVariable, host.platform) : undefined;
    if (inherited !== undefined) {
      const value = p.resolve(uvCwd, inherited);
      judge({ name: spec.name, path: value, source: 'env', origin: spec.uvVariable!, variables: [] }, `${spec.uvVariable}=${inherited}`);
      continue;
    }
    const variables = spec.name === 'temp' ? tempVariables(host.platform) : [spec.uvVariable!];
    const configured = config.locations[spec.name];
    let decision: LocationDecision;
    if (configured) {
      const value = expand(configured, `locations.${spec.name}`, dataRoot);
      decision = { name: spec.name, path: value, source: 'config', origin: configured.origin.source, variables };
    } else if (dataRoot) {
      decision = { name: spec.name, path: p.join(dataRoot, spec.subdir), source: 'data-root', origin: config.dataRoot!.origin.source, variables };
    } else {
      // A uv.toml or a repository's [tool.uv] `cache-dir` would move uv's default cache unjudged; in
      // enforce UV_CACHE_DIR pins it to the folder judged here (uv lets the variable beat its config).
      const pin = spec.name === 'cache' && checking && mode === 'enforce' && !args.helpOrVersion;
      if (pin) env.UV_CACHE_DIR = defaults.cache;
      const variablesSet = pin ? ['UV_CACHE_DIR'] : [];
      judge({ name: spec.name, path: defaults[spec.name], source: 'uv-default', origin: "uv's default", variables: variablesSet }, `uv's default ${spec.name} folder`);
      continue;
    }
    for (const variable of variables) env[variable] = decision.path;
    const what = decision.source === 'config' ? `locations.${spec.name} (from ${decision.origin})` : `${spec.name} under data-root`;
    mkdirs.push(decision.path);
    mkdirReasons[decision.path] ??= decision.source === 'config' ? what : `${spec.name} under data-root (from ${decision.origin})`;
    judge(decision, what);
  }

  // The Python download cache follows the cache unless the user moved it.
  const pythonCache = getEnv(host.env, 'UV_PYTHON_CACHE_DIR', host.platform);
  if (pythonCache !== undefined) {
    const value = p.resolve(uvCwd, pythonCache);
    judge({ name: 'python-cache', path: value, source: 'env', origin: 'UV_PYTHON_CACHE_DIR', variables: [] }, `UV_PYTHON_CACHE_DIR=${pythonCache}`);
  }

  // pyx's token store follows the credentials store (uv reads pyx tokens from there too), unless the user
  // moved it; uv's own default for it is under the profile ($XDG_DATA_HOME/pyx).
  const pyx = getEnv(host.env, 'PYX_CREDENTIALS_DIR', host.platform);
  if (pyx !== undefined) {
    const value = p.resolve(uvCwd, pyx);
    judge({ name: 'pyx-credentials', path: value, source: 'env', origin: 'PYX_CREDENTIALS_DIR', variables: [] }, `PYX_CREDENTIALS_DIR=${pyx}`);
  } else if (env.UV_CREDENTIALS_DIR !== undefined) {
    env.PYX_CREDENTIALS_DIR = p.join(env.UV_CREDENTIALS_DIR, 'pyx');
  }

  // `uv venv` without a path makes .venv in the working folder, or the project's environment when run
  // at a workspace root (src/launch/prepare.ts venvWithoutPath; then projectEnvUse is "uv venv").
  if (args.command.join(' ') === 'venv' && !args.helpOrVersion && !args.locations.some((flag) => flag.kind === 'venv'))
    for (const venv of input.venvDefaults ?? [p.join(uvCwd, '.venv')])
      judge({ name: 'venv', path: venv, source: 'flag', origin: 'uv venv', variables: [] }, `uv venv (no path: ${venv})`);
  for (const setting of input.pipSettings ?? [])
    judge({ name: setting.kind, path: p.resolve(uvCwd, setting.value), source: 'config', origin: setting.origin, variables: [] }, `${setting.origin} (${setting.value})`);
  for (const { path: found, origin } of input.pipEnvironments ?? []) {
    judge({ name: 'venv', path: found, source: 'env', origin, variables: [] }, `the environment \`uv ${args.command.join(' ')}\` writes to (${found}, ${origin})`);
  }
  planProjectEnv({ input, dataRoot, roots, rootList, checking, env, mkdirs, mkdirReasons, decisions, judge, report });
  // Programs named by path (--python, UV_PYTHON, version files ...): one predicate (program-location.ts).
  const programFacts = { canonical, roots, platform: host.platform, adminOnlyProblem: input.adminOnlyProblem ?? (() => 'who may change it was not read') };
  for (const request of input.programRequests ?? []) {
    decisions.push({ name: 'python-request', path: request.path, source: 'config', origin: request.origin, variables: [] });
    if (!checking || args.helpOrVersion) continue;
    const verdict = mayRunProgram(request, programFacts);
    decisions[decisions.length - 1]!.inside = verdict.allowed;
    if (!verdict.allowed) {
      const { message, hint } = programRefusal(request, verdict, rootList, host.platform);
      report(message, hint, verdict.why === 'repository' ? 'interpreter-in-repository' : 'interpreter-outside-allowed-roots');
    }
  }
  if (input.globalPin && !args.helpOrVersion)
    judge({ name: 'python-pin', path: input.globalPin, source: 'uv-default', origin: 'uv python pin --global', variables: [] }, `uv python pin --global writes ${input.globalPin}, which`);
  if (checking && !args.helpOrVersion) {
    const folders = programFolders(decisions, dataRoot, canonical, host.platform);
    const directoryWhat = directoryFlag?.value === undefined ? undefined : { path: uvCwd, what: `${fromVariable(directoryFlag) ? `${directoryFlag.flag}=` : `${directoryFlag.flag} `}${directoryFlag.value}` };
    for (const { message, hint } of installTargetsInProgramFolders(decisions, folders, directoryWhat, canonical, host.platform)) report(message, hint, 'install-target-in-program-folder');
  }

  // Organisation-wide variables: an inherited value wins unless the admin locked the key.
  for (const [name, setting] of Object.entries(config.env)) {
    if (!setting.locked && getEnv(host.env, name, host.platform) !== undefined) continue;
    env[name] = setting.value;
  }

  // The state folder is only written to where the policy allows it; otherwise the uv version is not cached.
  const state = dataRoot ? p.join(dataRoot, '.uvx-safe') : userCacheDir(host);
  const stateAllowed = !checking || mode !== 'enforce' || insideAny(canonical(state), roots, host.platform);

  return {
    mode,
    env,
    mkdirs: args.helpOrVersion ? [] : [...new Set(mkdirs)],
    mkdirReasons,
    stateDir: stateAllowed ? state : undefined,
    decisions,
    roots,
    skippedRoots,
    rootsConfigured: (config.allowedRoots?.value.length ?? 0) > 0,
    warnings,
    warningRules,
    refusals,
    dataRoot,
  };
}

/**
 * `outside-allowed-roots:` and what chose the folder, without paths: the flag (`--cache-dir`), the
 * variable (`UV_CACHE_DIR`), the key (`locations.cache`), `data-root.cache` or `uv-default.cache`.
 */
function outsideRule(decision: LocationDecision): string {
  const { name, source, origin } = decision;
  const subject =
    source === 'flag' ? (origin.startsWith('-') ? origin : name)
    : source === 'env' ? (/^[A-Z_][A-Z0-9_]*$/.test(origin) ? origin : name)
    : source === 'config' ? ((LOCATION_KEYS as readonly string[]).includes(name) ? `locations.${name}` : name)
    : `${source}.${name}`;
  return `outside-allowed-roots:${subject}`;
}
