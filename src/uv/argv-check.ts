/**
 * Holds the argv tables of src/uv/argv.ts against a uv binary's command line.
 *
 * Not on the launcher's path: scripts/check-argv.mjs (`npm run argv:check -- /path/to/uv`) and
 * test/unit/argv.test.ts use it. It reads `uv <command> --help` for every command node (the
 * listed subcommands, and the hidden ones the tables know), and asks uv itself about every table
 * entry that `--help` does not list (hidden options, aliases): `uv <command> <option>=x --help`
 * prints the help when the option takes a value, and clap's "unexpected value"/"unexpected
 * argument" error when it is a flag or unknown.
 *
 * What it cannot see: a hidden option that the tables do not list either. Read the `hide = true`
 * options in uv's `uv-cli` crate for those when a new uv minor comes out.
 */
import { argvTables, optionTakesValue } from './argv.js';
import { satisfies } from './version.js';

export { NEWEST_CHECKED_UV, OLDEST_CHECKED_UV } from './argv.js';

/** Whether uv `version` is a later release than `than` ("0.14.0" > "0.13.9"). */
export const isNewerUv = (version: string, than: string): boolean => satisfies(version, `>${than}`);

export interface UvRunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}
/** Runs the uv under test with these arguments (with COLUMNS wide and colour off). */
export type RunUvCli = (args: readonly string[]) => Promise<UvRunResult>;

/** What one uv binary says about one command node. */
export interface CliNode {
  /** Canonical command path, e.g. ["pip", "install"]; [] for uv itself. */
  command: string[];
  /** Subcommands that `--help` lists ("help" left out) or that answer `--help` although hidden. */
  subcommands: string[];
  /** Options `--help` lists: name -> the value name (e.g. "CACHE_DIR") or undefined for a flag. */
  options: Map<string, string | undefined>;
  /** Table entries that `--help` does not list, as uv answered them. */
  probed: Map<string, 'value' | 'flag' | 'unknown' | string>;
}

export interface UvCli {
  version: string;
  nodes: Map<string, CliNode>;
}

export type ArgvDifference =
  /** uv lists a subcommand the tables lack: its command line would not be followed. */
  | { kind: 'subcommand-missing'; node: string; name: string }
  /** The tables list a subcommand this uv does not know (harmless: uv refuses it). */
  | { kind: 'subcommand-unknown'; node: string; name: string }
  /** The option takes a value, the tables read it as a flag (its value would be read as a positional). */
  | { kind: 'value-missing'; node: string; option: string; valueName: string }
  /** The tables read a value this uv's option does not take (the next token would be skipped). */
  | { kind: 'value-extra'; node: string; option: string }
  /** The tables list a value option this uv does not know (harmless: uv refuses it). */
  | { kind: 'option-unknown'; node: string; option: string }
  /** A location option of the tables that this uv reads as a flag. */
  | { kind: 'location-flag'; node: string; option: string }
  /** An option whose value names a folder, not in the location tables: review whether it is a location. */
  | { kind: 'folder-option'; node: string; option: string; valueName: string }
  /** uv's answer to a probe was not understood. */
  | { kind: 'unclear'; node: string; option: string; message: string };

/** Differences that make the tables wrong for that uv; the others are notes. */
export const BLOCKING: ReadonlySet<ArgvDifference['kind']> = new Set([
  'subcommand-missing',
  'value-missing',
  'value-extra',
  'location-flag',
  'folder-option',
  'unclear',
]);

/** Value names that say "a folder": such an option may be a location uv writes to. */
const FOLDER_VALUE = /(^|_)(DIR|DIRECTORY|PREFIX|TARGET|ROOT)$/;
/** Options with a folder value that were reviewed: they name no location uv writes to or runs from. */
const NOT_LOCATIONS: Readonly<Record<string, readonly string[]>> = {
  // They only read the environment at the target/prefix.
  'pip freeze': ['--target', '-t', '--prefix'],
  'pip list': ['--target', '-t', '--prefix'],
  'pip show': ['--target', '-t', '--prefix'],
  // PEP 517 hooks called by a build frontend; the folder holds metadata the frontend prepared.
  'build-backend build-wheel': ['--metadata-directory'],
  'build-backend build-editable': ['--metadata-directory'],
};
const reviewed = (node: string, option: string) => NOT_LOCATIONS[node]?.includes(option) ?? false;

const nodeKey = (command: readonly string[]): string => command.join(' ');

/** Subcommands under "Commands:" and options ("  -w, --with <WITH>", "      --all-extras") of one help text. */
export function parseHelpText(text: string): { subcommands: string[]; options: Map<string, string | undefined> } {
  const subcommands: string[] = [];
  const list = text.replace(/\r\n/g, '\n').split('\nCommands:\n')[1]?.split('\n\n')[0] ?? '';
  for (const line of list.split('\n')) {
    const name = /^ {2}([a-z][\w-]*)/.exec(line)?.[1];
    if (name && name !== 'help') subcommands.push(name);
  }
  const options = new Map<string, string | undefined>();
  for (const line of text.split('\n')) {
    // A value is shown as " <NAME>", "=<NAME>" or " [<NAME>]" (optional value).
    const m = /^ {2,6}((?:-\w, )?--[\w-]+)(?:[ =]\[?<([^>]+)>)?/.exec(line);
    if (!m) continue;
    for (const name of m[1]!.split(', ')) options.set(name, m[2]);
  }
  return { subcommands, options };
}

/** Classify uv's answer to `uv <command> <option>=x --help`. */
export function classifyProbe(option: string, r: UvRunResult): 'value' | 'flag' | 'unknown' | string {
  const err = r.stderr;
  if (err.includes(`unexpected argument '${option}' found`)) return 'unknown';
  if (/unexpected value 'x' for '/.test(err) || err.includes("unexpected argument '-=' found")) return 'flag';
  if (r.exitCode === 0 || /invalid value 'x' for '/.test(err)) return 'value';
  return err.trim().split('\n')[0] ?? `exit ${r.exitCode}`;
}

/** At most `limit` runs of uv at a time. */
function limited(run: RunUvCli, limit: number): RunUvCli {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (args) => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await run(args);
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/** Walk every command node of this uv (listed ones, and the tables' hidden ones that uv knows). */
export async function readUvCli(runUv: RunUvCli, concurrency = 4): Promise<UvCli> {
  const run = limited(runUv, concurrency);
  const tables = argvTables();
  const versionRun = await run(['--version']);
  const version = /^uv\s+(\S+)/.exec(versionRun.stdout.trim())?.[1] ?? 'unknown';

  const readNode = async (command: string[]): Promise<CliNode> => {
    const key = nodeKey(command);
    const r = await run([...command, '--help']);
    if (r.exitCode !== 0) throw new Error(`uv ${[...command, '--help'].join(' ')} exited ${r.exitCode}: ${r.stderr.trim()}`);
    const { subcommands, options } = parseHelpText(r.stdout);
    // The tables' subcommands (and aliases) that --help does not list: hidden ones, or gone.
    const hidden = [...(tables.subcommands.get(key)?.keys() ?? [])].filter((n) => n !== 'help' && !subcommands.includes(n));
    const answers = await Promise.all(hidden.map((name) => run([...command, name, '--help'])));
    subcommands.push(...hidden.filter((_, i) => answers[i]!.exitCode === 0));
    // The tables' value and location options that --help does not list: asked of uv itself.
    const entries = key === '' ? tables.globalValueOptions : (tables.valueOptions.get(key) ?? new Set<string>());
    const unlisted = [...new Set([...entries, ...(tables.locationOptions.get(key)?.keys() ?? [])])].filter((o) => !options.has(o));
    const probes = await Promise.all(unlisted.map((option) => run([...command, `${option}=x`, '--help'])));
    const probed = new Map(unlisted.map((option, i) => [option, classifyProbe(option, probes[i]!)]));
    return { command, subcommands, options, probed };
  };

  const nodes = new Map<string, CliNode>();
  let level: string[][] = [[]];
  while (level.length > 0) {
    const read = await Promise.all(level.map(readNode));
    const next = new Map<string, string[]>();
    for (const node of read) {
      const key = nodeKey(node.command);
      nodes.set(key, node);
      for (const name of node.subcommands) {
        // Aliases (`ls`, `uvx`) are the same node as their canonical name.
        if ((tables.subcommands.get(key)?.get(name) ?? name) !== name) continue;
        const child = [...node.command, name];
        if (!nodes.has(nodeKey(child))) next.set(nodeKey(child), child);
      }
    }
    level = [...next.values()];
  }
  return { version, nodes };
}

/** Every way the tables differ from what this uv says. */
export function compareWithTables(cli: UvCli): ArgvDifference[] {
  const tables = argvTables();
  const diffs: ArgvDifference[] = [];
  const root = cli.nodes.get('');
  /** A value option of uv itself is global: reported once, at the root. */
  const isRootValue = (option: string) => root?.options.get(option) !== undefined;

  for (const [node, cli_] of cli.nodes) {
    const known = tables.subcommands.get(node);
    for (const name of cli_.subcommands) {
      if (!known?.has(name)) diffs.push({ kind: 'subcommand-missing', node, name });
    }
    for (const name of known?.keys() ?? []) {
      if (name !== 'help' && !cli_.subcommands.includes(name)) diffs.push({ kind: 'subcommand-unknown', node, name });
    }

    for (const [option, valueName] of cli_.options) {
      const tablesTake = optionTakesValue(cli_.command, option);
      if (valueName !== undefined && !tablesTake && (node === '' || !isRootValue(option))) {
        diffs.push({ kind: 'value-missing', node, option, valueName });
      } else if (valueName === undefined && tablesTake) {
        diffs.push({ kind: 'value-extra', node, option });
      }
      const isLocation = tables.locationOptions.get('')?.has(option) || tables.locationOptions.get(node)?.has(option);
      if (valueName !== undefined && FOLDER_VALUE.test(valueName) && !isLocation && !reviewed(node, option)) {
        if (node === '' || !isRootValue(option)) diffs.push({ kind: 'folder-option', node, option, valueName });
      }
    }
    for (const [option, answer] of cli_.probed) {
      if (answer === 'unknown') diffs.push({ kind: 'option-unknown', node, option });
      else if (answer === 'flag') diffs.push({ kind: 'value-extra', node, option });
      else if (answer !== 'value') diffs.push({ kind: 'unclear', node, option, message: answer });
    }
    for (const option of tables.locationOptions.get(node)?.keys() ?? []) {
      const listed = cli_.options.has(option) ? cli_.options.get(option) !== undefined : undefined;
      if (listed === false || cli_.probed.get(option) === 'flag') diffs.push({ kind: 'location-flag', node, option });
    }
  }
  return diffs;
}

/**
 * Drops the `value-extra` differences that another checked uv explains: an option that takes a
 * value in any supported uv must be read as taking one (else its value would be read as the
 * subcommand or the program, and the location flags after it missed).
 */
export function explainedAcrossVersions(diffs: ArgvDifference[], others: readonly UvCli[]): ArgvDifference[] {
  return diffs.filter((d) => {
    if (d.kind !== 'value-extra') return true;
    return !others.some((cli) => {
      const node = cli.nodes.get(d.node);
      return (node?.options.get(d.option) ?? undefined) !== undefined || node?.probed.get(d.option) === 'value';
    });
  });
}

const where = (node: string) => (node === '' ? 'uv' : `uv ${node}`);

/** One line per difference, blocking ones first. */
export function describeDifferences(version: string, diffs: readonly ArgvDifference[]): string[] {
  const line = (d: ArgvDifference): string => {
    switch (d.kind) {
      case 'subcommand-missing': return `${where(d.node)} ${d.name}: a subcommand of uv ${version}, missing from SUBCOMMANDS (does it start a program, like RUNNERS, or write a location?)`;
      case 'subcommand-unknown': return `${where(d.node)} ${d.name}: in SUBCOMMANDS, unknown to uv ${version} (harmless: uv refuses it)`;
      case 'value-missing': return `${where(d.node)} ${d.option} <${d.valueName}>: takes a value in uv ${version}, the tables read a flag`;
      case 'value-extra': return `${where(d.node)} ${d.option}: a flag in uv ${version}, the tables read a value`;
      case 'option-unknown': return `${where(d.node)} ${d.option}: in the tables, unknown to uv ${version} (harmless: uv refuses it)`;
      case 'location-flag': return `${where(d.node)} ${d.option}: a location option of the tables, a flag in uv ${version}`;
      case 'folder-option': return `${where(d.node)} ${d.option} <${d.valueName}>: names a folder in uv ${version}; add it to LOCATION_OPTIONS (or to NOT_LOCATIONS in src/uv/argv-check.ts once reviewed)`;
      case 'unclear': return `${where(d.node)} ${d.option}: uv ${version} answered "${d.message}"`;
    }
  };
  const sorted = [...diffs].sort((a, b) => Number(BLOCKING.has(b.kind)) - Number(BLOCKING.has(a.kind)));
  return sorted.map((d) => `${BLOCKING.has(d.kind) ? 'DIFFERS' : 'note'}: ${line(d)}`);
}

/** Table edits that would fix the blocking differences: words to add to each entry of src/uv/argv.ts. */
export function suggestTableEdits(diffs: readonly ArgvDifference[]): string[] {
  const tables = argvTables();
  const add = new Map<string, string[]>();
  const push = (table: string, word: string) => add.set(table, [...(add.get(table) ?? []), word]);
  for (const d of diffs) {
    if (d.kind === 'subcommand-missing') push(`SUBCOMMANDS['${d.node}']`, d.name);
    else if (d.kind === 'value-missing') {
      push(d.node === '' ? 'GLOBAL_VALUE_OPTIONS' : `VALUE_OPTIONS['${d.node}']${tables.valueOptions.has(d.node) ? '' : ' (new entry)'}`, d.option);
    }
  }
  return [...add].map(([table, list]) => `${table}: add '${[...new Set(list)].join(' ')}'`);
}
