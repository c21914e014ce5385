/**
 * A pure, read-only parser of uv's command line.
 *
 * The launcher forwards argv to the real uv untouched; this module only *reads* it to find the
 * arguments that name a location (cache dir, project dir, install dirs, ...), so they can be
 * checked against an allowlist.
 *
 * Approach: uv parses its command line with clap, so we mimic clap's rules with small tables and
 * one loop:
 *  - `SUBCOMMANDS`: the subcommand names (and aliases) of each command node;
 *  - `VALUE_OPTIONS`: for each command, the options that TAKE A VALUE. uv's global options
 *    (`GLOBAL_VALUE_OPTIONS`, clap `global = true`) are accepted before or after the subcommand.
 *    Everything else is read as a boolean flag;
 *  - `LOCATION_OPTIONS`: which of those options name a location, and of which kind.
 * The tables were derived from uv 0.13's CLI (the clap definitions in uv's `uv-cli` crate,
 * including hidden options and aliases) and every entry was cross-checked against the pinned
 * uv 0.13.9 binary. src/uv/argv-check.ts holds them against any uv's `--help` (every command node,
 * hidden table entries asked of uv itself): `npm run argv:check -- /path/to/uv`, and
 * test/unit/argv.test.ts on every run for OLDEST_CHECKED_UV, the pinned uv and NEWEST_CHECKED_UV.
 * An option that takes a value in any of those releases is read as taking one. The test also
 * compares the parser's cache dir with the one the real uv uses.
 *
 * clap rules honoured: `--opt value`, `--opt=value`, `-o value`, `-ovalue`, `-o=value`; combined
 * short flags (`-qn`); a value is never taken from a token that starts with `-` (other than `-`
 * itself) because clap reads such a token as the next option and rejects the command line;
 * `--` ends option parsing; a subcommand name is only recognised before any `--`.
 *
 * `uv run`, `uv tool run` and `uvx` (= `uv tool uvx`) start a program: their first positional
 * argument (or the token after `--`) is the program, and nothing from there on is read.
 *
 * Unknown options: an option not in the tables is assumed NOT to take a value. In `run`/`tool run`
 * that makes us stop at the next positional (the would-be program) instead of reading the
 * program's own arguments as uv's: reading a program's `--cache-dir` as uv's is the worse error.
 * (No uv from OLDEST_CHECKED_UV to NEWEST_CHECKED_UV accepts a value-taking option that is missing
 * from the tables, hidden ones aside that the tables do not list either: see src/uv/argv-check.ts.)
 */

export type LocationFlagKind =
  | 'cache' // --cache-dir (global)
  | 'no-cache' // --no-cache / -n (global): the cache goes to the temp dir
  | 'directory' // --directory (global): uv changes into this folder first
  | 'project' // --project (global)
  | 'config-file' // --config-file (global)
  | 'python-install' // `uv python install --install-dir/-i X`
  | 'venv' // `uv venv [PATH]` positional path (only for `venv`), default none
  | 'target' // `uv pip install|sync --target X`
  | 'prefix' // `uv pip install|sync --prefix X`
  | 'python' // `--python/-p X` of every command that takes it, and the REQUEST of `uv python find|pin|list`: the interpreter uv runs (a pip write's environment)
  | 'out-dir'; // `uv build --out-dir/-o X`

export interface LocationFlag {
  kind: LocationFlagKind;
  /** The flag as the user wrote it, e.g. "--cache-dir", "-i", "-n"; for the venv positional: "venv PATH" */
  flag: string;
  /** The value (undefined for no-cache) */
  value?: string;
  /** Index in args of the token holding the flag */
  index: number;
}

export interface ParsedUvArgs {
  /** Subcommand path as typed canonical names, e.g. ["python","install"], ["tool","run"] for `tool run`/`tool uvx`/uvx, ["pip","install"], [] when none (e.g. `uv --version`). Aliases mapped to canonical names. */
  command: string[];
  /** Location-naming flags given to uv itself, in order. If a flag appears twice, both are listed (last wins for uv). */
  locations: LocationFlag[];
  /** Index of the first token that belongs to the program that run/tool run starts (its name), or -1. */
  programIndex: number;
  /** True when --help/-h or --version/-V (for uv itself) appears before programIndex, or the command is `uv help` */
  helpOrVersion: boolean;
  /** Every option given to uv itself (before programIndex), as written: "--no-sync", "-p", "--script" ... */
  options?: string[];
  /** The program `run`/`tool run` starts (the token at programIndex), when there is one. */
  program?: string;
}

// ---------------------------------------------------------------------------------------------
// Tables (derived from uv 0.13's CLI; see the comment at the top).

const words = (s: string): string[] => s.split(/\s+/).filter(Boolean);

/** Subcommands of each command node, keyed by the node's canonical path; `alias=canonical`. */
const SUBCOMMANDS: Record<string, string> = {
  '':
    'auth run init add remove version sync lock upgrade export tree format check audit tool python ' +
    'pip venv virtualenv=venv v=venv build publish workspace build-backend cache self clean ' +
    'generate-shell-completion help',
  auth: 'login logout token dir helper',
  'auth helper': 'get',
  // `uvx` is a hidden twin of `tool run` (it only adds `-V/--version`).
  tool: 'run uvx=run install upgrade update=upgrade list ls=list audit uninstall update-shell ensurepath=update-shell dir',
  python: 'list ls=list install upgrade find pin dir uninstall update-shell ensurepath=update-shell',
  pip: 'compile sync install uninstall freeze list ls=list show tree check debug',
  workspace: 'metadata dir list',
  cache: 'clean clear=clean prune dir size',
  self: 'update version',
  'build-backend':
    'build-sdist build-wheel build-editable get-requires-for-build-sdist get-requires-for-build-wheel ' +
    'prepare-metadata-for-build-wheel get-requires-for-build-editable prepare-metadata-for-build-editable',
};

/** Commands whose first positional argument is a program to start; its arguments are not uv's. */
const RUNNERS = new Set(['run', 'tool run']);

/** uv's global options that take a value (accepted before or after the subcommand). */
const GLOBAL_VALUE_OPTIONS = new Set(
  words(
    '--cache-dir --directory --project --config-file --color --allow-insecure-host --trusted-host ' +
      '--python-preference --python-fetch --preview-features --preview-feature',
  ),
);

// Option groups shared by many commands.
const INDEX =
  '--index --default-index --index-url -i --extra-index-url --find-links -f --index-strategy --keyring-provider';
const RESOLVER =
  `${INDEX} --config-setting --config-settings -C --config-settings-package --exclude-newer ` +
  '--exclude-newer-package --fork-strategy --link-mode --no-build-isolation-package ' +
  '--no-sources-package --prerelease --prerelease-package --resolution --upgrade-group --upgrade-package -P';
const PROJECT = `${RESOLVER} --no-binary-package --no-build-package`;
const PY = '--python -p';
const GROUPS = '--extra --no-extra --group --no-group --only-group';
const TOOL_RUN =
  `${PROJECT} ${PY} --python-platform --from --with -w --with-editable --with-requirements ` +
  '--constraints --constraint -c --overrides --override --build-constraints --build-constraint -b ' +
  '--refresh-package --reinstall-package --torch-backend --env-file --generate-shell-completion';
const PIP_ENV = `--cert ${PY} --target -t --prefix`;
const PIP_INSTALL =
  `--cert ${PY} --target -t --prefix --python-version --python-platform --torch-backend ` +
  '--constraints --constraint -c --build-constraints --build-constraint -b --extra --group ' +
  '--no-binary --only-binary --output-format --refresh-package --reinstall-package';
const PY_INSTALL =
  '--install-dir -i --mirror --pypy-mirror --graalpy-mirror --pyodide-mirror --python-downloads-json-url';

/** Options that take a value, per command (in addition to GLOBAL_VALUE_OPTIONS). */
const VALUE_OPTIONS: Record<string, string> = {
  run:
    `${PROJECT} ${PY} ${GROUPS} --python-platform --package --with -w --with-editable ` +
    '--with-requirements --env-file --no-editable-package --refresh-package --reinstall-package ' +
    '--max-recursion-depth',
  init: `${PY} --name --description --vcs --build-backend --author-from`,
  add:
    `${PROJECT} ${PY} --package --script --extra --group --optional --marker -m --bounds --rev --tag ` +
    '--branch --requirements --requirement -r --constraints --constraint -c --no-editable-package ' +
    '--no-install-package --only-install-package --refresh-package --reinstall-package',
  remove: `${PROJECT} ${PY} --package --script --group --optional --refresh-package --reinstall-package`,
  version: `${PROJECT} ${PY} --package --bump --output-format --refresh-package --reinstall-package`,
  sync:
    `${PROJECT} ${PY} ${GROUPS} --python-platform --package --script --output-format ` +
    '--no-editable-package --no-install-package --only-install-package --refresh-package --reinstall-package',
  lock: `${PROJECT} ${PY} --script --refresh-package`,
  upgrade: `${INDEX} --exclude`,
  export:
    `${PROJECT} ${PY} ${GROUPS} --package --script --format --output-file -o --prune ` +
    '--no-editable-package --no-emit-package --no-install-package --only-emit-package ' +
    '--only-install-package --refresh-package',
  tree:
    `${PROJECT} ${PY} --group --no-group --only-group --package --script --format --depth -d --prune ` +
    '--python-version --python-platform',
  format: '--exclude-newer --version', // `uv format --version` is the Ruff version, not a flag
  check: `${PROJECT} ${PY} ${GROUPS} --package --script --ty-version --refresh-package --reinstall-package`,
  audit:
    `${PROJECT} --no-extra --no-group --only-group --script --python-version --python-platform ` +
    '--output-format --ignore --ignore-until-fixed --service-format --service-url',
  'auth login': '--username -u --password --token -t --keyring-provider',
  'auth logout': '--username -u --keyring-provider',
  'auth token': '--username -u --keyring-provider',
  'auth helper': '--protocol',
  'tool run': TOOL_RUN,
  'tool install':
    `${PROJECT} ${PY} --python-platform --from --with -w --with-editable --with-requirements ` +
    '--with-executables-from --constraints --constraint -c --overrides --override --excludes --exclude ' +
    '--build-constraints --build-constraint -b --refresh-package --reinstall-package --torch-backend',
  'tool upgrade': `${PROJECT} ${PY} --python-platform --config-setting-package --reinstall-package`,
  'tool list': '--exclude-newer --exclude-newer-package',
  'tool audit': '--output-format --ignore --ignore-until-fixed --service-format --service-url',
  'python list': '--output-format --python-downloads-json-url',
  'python install': PY_INSTALL,
  'python upgrade': PY_INSTALL,
  'python find': '--script --python-downloads-json-url',
  'python pin': '--python-downloads-json-url',
  'python uninstall': '--install-dir -i',
  pip: '--cert',
  'pip compile':
    `${RESOLVER} ${PY} --cert --python-version --python-platform --torch-backend --output-file -o ` +
    '--constraints --constraint -c --overrides --override --build-constraints --build-constraint -b ' +
    '--excludes --exclude --extra --group --format --no-binary --only-binary --no-emit-package ' +
    '--unsafe-package --annotation-style --custom-compile-command --refresh-package ' +
    '--client-cert --config --max-rounds --pip-args --resolver',
  'pip sync':
    `${INDEX} ${PIP_INSTALL} --config-setting --config-settings -C --config-settings-package ` +
    '--exclude-newer --exclude-newer-package --link-mode --no-sources-package ' +
    '--client-cert --config --pip-args --python-executable',
  'pip install':
    `${RESOLVER} ${PIP_INSTALL} --requirements --requirement -r --editable -e --overrides --override ` +
    '--excludes --exclude --no-build-isolation-package --no-editable-package',
  'pip uninstall': `${PIP_ENV} --requirements --requirement -r --keyring-provider`,
  'pip freeze': `${PIP_ENV} --exclude --path`,
  'pip list': `${INDEX} ${PIP_ENV} --exclude --format --exclude-newer --exclude-newer-package`,
  'pip show': PIP_ENV,
  'pip tree': `${INDEX} --cert ${PY} --depth -d --package --prune --exclude-newer --exclude-newer-package`,
  'pip check': `--cert ${PY} --python-version --python-platform`,
  'pip debug': '--cert --platform --python-version --implementation --abi',
  venv: `${INDEX} ${PY} --prompt --link-mode --exclude-newer --exclude-newer-package --refresh-package`,
  build:
    `${PROJECT} ${PY} --package --out-dir -o --build-constraints --build-constraint -b --refresh-package`,
  publish:
    '--index --publish-url --check-url --username -u --password -p --token -t --trusted-publishing ' +
    '--keyring-provider',
  'workspace metadata': `${PROJECT} ${PY} --script --output-version --refresh-package`,
  'workspace dir': '--package',
  'cache size': '--output-format',
  'self update': '--token',
  'self version': '--output-format',
  'build-backend build-wheel': '--metadata-directory',
  'build-backend build-editable': '--metadata-directory',
};

const PYTHON_INSTALL_DIR = { '--install-dir': 'python-install', '-i': 'python-install' } as const;
const PIP_TARGET = { '--target': 'target', '-t': 'target', '--prefix': 'prefix' } as const;

/** Options that name a location. The '' entry holds uv's global ones (valid in every command). */
const LOCATION_OPTIONS: Record<string, Readonly<Record<string, LocationFlagKind>>> = {
  '': {
    '--cache-dir': 'cache',
    '--directory': 'directory',
    '--project': 'project',
    '--config-file': 'config-file',
  },
  // Every command that writes to the Python install dir, not only `install`.
  'python install': PYTHON_INSTALL_DIR,
  'python upgrade': PYTHON_INSTALL_DIR,
  'python uninstall': PYTHON_INSTALL_DIR,
  // The pip commands that write into the target/prefix environment.
  'pip install': PIP_TARGET,
  'pip sync': PIP_TARGET,
  'pip uninstall': PIP_TARGET,
  build: { '--out-dir': 'out-dir', '-o': 'out-dir' },
};

/** Boolean flags that name a location (global). */
const NO_CACHE_FLAGS = new Set(['--no-cache', '--no-cache-dir', '-n']);

const SUBCOMMAND_MAP = new Map<string, Map<string, string>>(
  Object.entries(SUBCOMMANDS).map(([node, list]) => [
    node,
    new Map(words(list).map((w) => (w.includes('=') ? (w.split('=') as [string, string]) : [w, w]))),
  ]),
);
/** Built per command on first use: splitting every command's list costs each uv call start-up time. */
const VALUE_SETS = new Map<string, Set<string> | undefined>();
function valueOptions(node: string): Set<string> | undefined {
  if (!VALUE_SETS.has(node)) {
    const list = Object.prototype.hasOwnProperty.call(VALUE_OPTIONS, node) ? VALUE_OPTIONS[node] : undefined;
    VALUE_SETS.set(node, list === undefined ? undefined : new Set(words(list)));
  }
  return VALUE_SETS.get(node);
}
const LOCATION_MAP = new Map<string, Map<string, LocationFlagKind>>(
  Object.entries(LOCATION_OPTIONS).map(([node, opts]) => [node, new Map(Object.entries(opts))]),
);
/** Built per command on first use, like VALUE_SETS: `--python`/`-p` name the interpreter in every command that takes them (`uv publish -p` is its password). */
const LOCATION_SETS = new Map<string, Map<string, LocationFlagKind>>();
function locationKinds(node: string): Map<string, LocationFlagKind> {
  let kinds = LOCATION_SETS.get(node);
  if (kinds === undefined) {
    kinds = new Map(LOCATION_MAP.get(node));
    const values = valueOptions(node);
    for (const flag of ['--python', '-p']) if (values?.has(flag) && values.has('--python')) kinds.set(flag, 'python');
    LOCATION_SETS.set(node, kinds);
  }
  return kinds;
}

/** Commands whose first positional is a Python request (`uv python find ./venv/bin/python`). */
const PYTHON_REQUEST_POSITIONAL = new Set(['python find', 'python pin', 'python list']);

/**
 * Whether uv reads the token after `option` as its value, in the command with this canonical
 * path (e.g. ["pip", "install"]); global options count in every command. Exported so tests can
 * hold the tables against the real uv's `--help`.
 */
export function optionTakesValue(command: readonly string[], option: string): boolean {
  return GLOBAL_VALUE_OPTIONS.has(option) || (valueOptions(command.join(' '))?.has(option) ?? false);
}

/**
 * The newest uv release whose command line the tables were checked against (`npm run argv:check`,
 * and test/unit/argv.test.ts on every run). `safe doctor` warns when the real uv is newer.
 */
export const NEWEST_CHECKED_UV = '0.13.9';

/**
 * The oldest uv release the tables are checked against (test/unit/argv.test.ts): the first of the
 * 0.13 line, which the location map (docs/uv-locations.md) describes. The tables also read 0.11.33
 * and 0.12.x correctly (`npm run argv:check`), but their location variables were never checked.
 */
export const OLDEST_CHECKED_UV = '0.13.0';

/** The tables as data, for the cross-check against a uv binary's `--help` (src/uv/argv-check.ts). */
export function argvTables(): {
  subcommands: ReadonlyMap<string, ReadonlyMap<string, string>>;
  globalValueOptions: ReadonlySet<string>;
  valueOptions: ReadonlyMap<string, ReadonlySet<string>>;
  locationOptions: ReadonlyMap<string, ReadonlyMap<string, LocationFlagKind>>;
} {
  return {
    subcommands: SUBCOMMAND_MAP,
    globalValueOptions: GLOBAL_VALUE_OPTIONS,
    valueOptions: new Map(Object.entries(VALUE_OPTIONS).map(([node, list]) => [node, new Set(words(list))])),
    locationOptions: new Map([...new Set([...LOCATION_MAP.keys(), ...Object.keys(VALUE_OPTIONS)])].map((node) => [node, locationKinds(node)])),
  };
}

/** Defensive: the type says string, but never throw on anything else (`String(Object.create(null))` throws). */
function toText(a: unknown): string {
  try {
    return String(a);
  } catch {
    return '';
  }
}

// ---------------------------------------------------------------------------------------------

/** `args` are the arguments AFTER the program name, as given to uv (for a launcher invoked as `uvx`, the caller prepends "tool","uvx"). Never throws on any input. */
export function parseUvArgs(args: readonly string[]): ParsedUvArgs {
  const argv: string[] = Array.isArray(args) ? Array.from(args, toText) : [];
  const command: string[] = [];
  const locations: LocationFlag[] = [];
  let programIndex = -1;
  let helpOrVersion = false;

  let node = ''; // canonical path of the current command, e.g. "pip install"
  let isUvx = false; // `tool uvx` also accepts -V/--version
  let optionsEnded = false; // seen `--`
  let venvSeen = false;
  let requestSeen = false;

  const takesValue = (opt: string): boolean => optionTakesValue(command, opt);
  // clap never takes a value from a token that looks like an option (`-x`, `--x`, `--`).
  const valueAt = (j: number): string | undefined => {
    const t = argv[j];
    return t !== undefined && !(t.length > 1 && t.startsWith('-')) ? t : undefined;
  };
  const options: string[] = [];
  const onValue = (opt: string, value: string, index: number): void => {
    options.push(opt);
    const kind = LOCATION_MAP.get('')!.get(opt) ?? locationKinds(node).get(opt);
    // uv rejects an empty path ("a value is required for '--cache-dir <CACHE_DIR>'"), so an
    // empty value names no location; judging it as the working folder would only mislead.
    if (kind && value !== '') locations.push({ kind, flag: opt, value, index });
  };
  const onFlag = (opt: string, index: number): void => {
    options.push(opt);
    if (NO_CACHE_FLAGS.has(opt)) locations.push({ kind: 'no-cache', flag: opt, index });
    else if (opt === '--help' || opt === '-h') helpOrVersion = true;
    // -V/--version exist only on uv itself and on uvx; elsewhere uv rejects them.
    else if ((opt === '--version' || opt === '-V') && (node === '' || isUvx)) helpOrVersion = true;
  };

  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i] as string;
    const index = i;

    if (!optionsEnded && tok === '--') {
      optionsEnded = true;
    } else if (!optionsEnded && tok.startsWith('--')) {
      // Long option: --opt, --opt=value, --opt value
      const eq = tok.indexOf('=');
      const opt = eq === -1 ? tok : tok.slice(0, eq);
      if (!takesValue(opt)) onFlag(opt, index);
      else if (eq !== -1) onValue(opt, tok.slice(eq + 1), index);
      else {
        const value = valueAt(i + 1);
        if (value !== undefined) {
          i++;
          onValue(opt, value, index);
        }
      }
    } else if (!optionsEnded && tok.length > 1 && tok.startsWith('-')) {
      // Short options, possibly combined: -qn, -p3.12, -p=3.12, -p 3.12
      const chars = Array.from(tok.slice(1));
      for (let j = 0; j < chars.length; j++) {
        const opt = `-${chars[j]}`;
        if (!takesValue(opt)) {
          onFlag(opt, index);
          continue;
        }
        const rest = chars.slice(j + 1).join('');
        if (rest !== '') onValue(opt, rest.startsWith('=') ? rest.slice(1) : rest, index);
        else {
          const value = valueAt(i + 1);
          if (value !== undefined) {
            i++;
            onValue(opt, value, index);
          }
        }
        break;
      }
    } else {
      // Positional argument.
      const sub = optionsEnded ? undefined : SUBCOMMAND_MAP.get(node)?.get(tok);
      if (sub !== undefined) {
        isUvx = tok === 'uvx'; // only `uv tool` has it
        command.push(sub);
        node = command.join(' ');
        // `uv help [COMMAND]` only prints help, like --help: uv then uses no location at all.
        if (node === 'help') helpOrVersion = true;
      } else if (RUNNERS.has(node)) {
        programIndex = i;
        break;
      } else if (PYTHON_REQUEST_POSITIONAL.has(node) && !requestSeen && tok !== '') {
        requestSeen = true;
        locations.push({ kind: 'python', flag: `${node} REQUEST`, value: tok, index });
      } else if (node === 'venv' && !venvSeen && tok !== '') {
        // (uv rejects an empty PATH, as for options)
        venvSeen = true;
        locations.push({ kind: 'venv', flag: 'venv PATH', value: tok, index });
      }
    }
  }

  return { command, locations, programIndex, helpOrVersion, options, program: argv[programIndex] };
}
