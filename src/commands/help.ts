// Help of every `safe` command, in one style (uv's: what it does, `Usage:`, then the options), printed
// by src/commands/safe.ts for `--help`/`-h` before the command is loaded: help never reads the policy.

import { UsageError } from '../errors.js';
import { didYouMean } from '../text/suggest.js';

interface Help {
  about: string;
  usage: string[];
  /** [option or subcommand, what it does]; continuation lines start with a space. */
  options: [string, string][];
  more?: string;
}

const SHELLS = 'bash|zsh|fish|sh|powershell|cmd';

export const HELPS: Record<string, Help> = {
  doctor: {
    about: 'Check every location, the real uv and the policy, for real; exit 0 when all is well, 1 when uv would fail',
    usage: ['uvx-safe safe doctor [--json]'],
    options: [['--json', 'the report as JSON, for a fleet (fields and exit codes: docs/doctor.md)']],
  },
  env: {
    about: "Print the relocation, the tool bin folder on PATH and the uv hooks as shell statements, so plain uv gets the launcher's environment",
    usage: [`uvx-safe safe env [--shell ${SHELLS}] [--no-hooks | --hooks-only] [--temp]`, 'uvx-safe safe env --persist [--machine] [--temp] [--remove]'],
    options: [
      ['--shell SHELL', 'the shell to write for (default: $SHELL; PowerShell on Windows)'],
      ['--no-hooks', 'the relocation only'],
      ['--hooks-only', 'the hooks only (UV, TOX_UV_PATH, HATCH_ENV_TYPE_VIRTUAL_UV_PATH point at the launcher)'],
      ['--temp', 'the temp folder too'],
      ['--persist', 'write the relocation where every new process inherits it (Windows registry, Linux environment.d)'],
      ['--machine', 'with --persist: for every user (an administrator)'],
      ['--remove', 'with --persist: undo it'],
    ],
  },
  shims: {
    about: 'Put `uv` and `uvx` shims that run uvx-safe into a folder, or into a Python environment',
    usage: ['uvx-safe safe shims install|uninstall --dir D [--exe PATH]', 'uvx-safe safe shims install|uninstall --venv P'],
    options: [
      ['install', 'put the shims into D (again: no change); D should come before the real uv on PATH'],
      ['uninstall', 'remove them; any other file in D is left alone'],
      ['--dir D', 'the shim folder (Windows: uv.exe and uvx.exe, links to or copies of the standalone executable)'],
      ['--venv P', "make the environment P's own uv a shim, for clients that run it directly (docs/clients.md)"],
      ['--exe PATH', 'the standalone executable the shims are made from (the npm form on Windows)'],
    ],
    more: 'See docs/windows-shims.md.',
  },
  config: {
    about: 'The merged policy with origins, a check of a policy file, its JSON Schema',
    usage: ['uvx-safe safe config show [--json]', 'uvx-safe safe config validate [FILE] [--layer admin|user|project]', 'uvx-safe safe config schema'],
    options: [
      ['show', 'every key with its value, origin (layer and file or variable) and lock; the layers searched'],
      ['validate', "the launcher's judgement of FILE, or of every layer found from here; exit 1 on any error"],
      ['schema', 'the JSON Schema of a config file, for editors'],
      ['--json', 'show: as JSON'],
      ['--layer LAYER', 'validate: check FILE as the admin, user or project layer (default: project for'],
      ['', '  uvx-safe.toml, .uvx-safe.toml and pyproject.toml, else admin)'],
    ],
    more: 'Every error is `file:line:col: key: problem`, with the same words as the launcher (docs/design.md, "Messages").',
  },
  version: {
    about: "uvx-safe's version and the runtime it runs on",
    usage: ['uvx-safe safe version [--json]'],
    options: [['--json', 'as JSON']],
  },
  uv: {
    about: 'The managed uv, installed from uv-source into {data-root}/uv',
    usage: ['uvx-safe safe uv install | list | remove VERSION'],
    options: [
      ['install', 'install the newest uv on uv-source that satisfies uv-version (if not installed yet)'],
      ['list', 'the uvs installed under {data-root}/uv, and which one the launcher runs'],
      ['remove VERSION', 'remove one installed version'],
    ],
  },
  wheel: {
    about: "Build the governed uv wheel (X.Y.Z+uvxsafe.N): its uv, uvx and find_uv_bin() run uvx-safe; the real uv travels inside",
    usage: ['uvx-safe safe wheel --exe EXE --out DIR [--from WHEEL|INDEX] [--uv-version RANGE] [--revision N]'],
    options: [
      ['--exe EXE', "the uvx-safe standalone executable for the wheel's platform (win-x64 or linux-x64)"],
      ['--out DIR', 'the folder the wheel is written to'],
      ['--from WHEEL|INDEX', "a real uv wheel file, or an index/folder of wheels (default: the policy's uv-source)"],
      ['--uv-version RANGE', "with an index: the uv versions allowed (default: the policy's uv-version)"],
      ['--revision N', 'the N of +uvxsafe.N (default 1): raise it to publish a new launcher with the same uv'],
    ],
  },
};

function table(rows: [string, string][]): string {
  const width = Math.max(...rows.map(([name]) => name.length)) + 2;
  return rows.map(([name, text]) => `  ${name.padEnd(width)}${text}`).join('\n');
}

export function helpText(name: string): string {
  const help = HELPS[name]!;
  const usage = help.usage.map((line, i) => `${i === 0 ? 'Usage: ' : '       '}${line}`).join('\n');
  const options = table([...help.options, ['-h, --help', 'print this help']]);
  return `${help.about}\n\n${usage}\n\nOptions:\n${options}\n${help.more ? `\n${help.more}\n` : ''}`;
}

/** `uvx-safe safe --help`: every command, one line each. */
export function safeHelpText(): string {
  const rows: [string, string][] = Object.entries(HELPS).map(([name, help]) => [name, help.about.split('; ')[0]!]);
  return (
    'uvx-safe: a launcher for uv that keeps every folder uv writes to or runs programs from inside an allowlist\n\n' +
    'Usage: uvx-safe [UV ARGUMENTS]       run uv under the organisation\'s policy\n' +
    '       uvx-safe safe <COMMAND>       the launcher\'s own commands\n\n' +
    `Commands:\n${table(rows)}\n\n` +
    'Each command has --help. UVX_SAFE_DEBUG=1 shows every decision. Docs: docs/admin-guide.md, docs/design.md\n'
  );
}

/** Whether `args` ask for help (before any `--`). */
export function asksForHelp(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

/** The options and subcommands a command knows, for "did you mean". */
function known(name: string): string[] {
  return (HELPS[name]?.options ?? []).map(([option]) => option.split(' ')[0]!).filter(Boolean).concat(['--help']);
}

/** An argument `safe NAME` does not take, with the closest it does and where its help is. */
export function unexpectedArgument(name: string, arg: string): UsageError {
  const option = arg.split('=')[0]!;
  return new UsageError(`safe ${name}: unexpected argument "${arg}"${didYouMean(option, known(name))}`, {
    hint: `Usage: ${HELPS[name]?.usage[0] ?? `uvx-safe safe ${name}`} (more: \`uvx-safe safe ${name} --help\`)`,
  });
}
