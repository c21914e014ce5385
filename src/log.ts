// The launcher's only voice, spoken as uv speaks (design.md, "Messages"): on stderr,
//
//   error: uvx-safe: <what is wrong>
//     Caused by: <why>
//
//   hint: <what to do instead>
//
// and `warning: uvx-safe: <message>`. The layout and colours are uv's (uv-errors
// write_error_chain_with_options, uv-warnings warn_user!, owo-colors escapes); the `uvx-safe:` name
// tells our lines from uv's own on the same stream. Silent when all is well: nothing here runs
// until something is said, so colour detection costs a uv call that says nothing nothing.

export const NAME = 'uvx-safe';

export type Level = 'error' | 'warning';

export interface Said {
  /** What to do instead: the folder to use, the key to set, the doc section. */
  hint?: string;
  /** Lower-level reasons, printed as uv's `  Caused by:` lines. */
  causes?: readonly string[];
  /** A stable id of what fired, for the admin's report (listed in src/report/line.ts); never printed. */
  rule?: string;
}

/** Told of every error and warning said (the admin's `report`, src/report/): never throws. */
export type Listener = (level: Level, message: string, said: Said) => void;

let uvArgs: readonly string[] = [];
let env: NodeJS.ProcessEnv = process.env;
let colour: boolean | undefined;
let listener: Listener | undefined;

/**
 * Where the colour choice comes from: uv's own `--color`/`--no-color` in the arguments of the uv
 * call (empty for the `safe` commands) and the environment. Only stored: decided on first use.
 */
export function listenTo(args: readonly string[], from: NodeJS.ProcessEnv): void {
  uvArgs = args;
  env = from;
  colour = undefined;
}

export function setListener(next: Listener | undefined): void {
  listener = next;
}

/** uv's `--color` (last one wins, as clap's overrides do) or `--no-color`, before `--`. */
function colourFlag(args: readonly string[]): 'auto' | 'always' | 'never' | undefined {
  let choice: 'auto' | 'always' | 'never' | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') break;
    if (arg === '--no-color') choice = 'never';
    else if (arg === '--color' || arg.startsWith('--color=')) {
      const value = arg === '--color' ? args[++i] : arg.slice('--color='.length);
      if (value === 'auto' || value === 'always' || value === 'never') choice = value;
    }
  }
  return choice;
}

const set = (value: string | undefined): boolean => value !== undefined && value !== '';

/**
 * Whether our lines on stderr are coloured, decided as uv decides: uv's resolve_color
 * (crates/uv/src/settings.rs: --color, --no-color, NO_COLOR, FORCE_COLOR, CLICOLOR_FORCE), then for
 * `auto` anstream's choice (NO_COLOR, CLICOLOR_FORCE, CLICOLOR=0, a terminal with TERM not dumb,
 * CLICOLOR or CI).
 */
export function colourChoice(args: readonly string[], e: NodeJS.ProcessEnv, isTerminal: boolean, platform: NodeJS.Platform): boolean {
  const flag = colourFlag(args);
  if (flag === 'always') return true;
  if (flag === 'never') return false;
  if (flag === undefined) {
    if (set(e.NO_COLOR)) return false;
    if (set(e.FORCE_COLOR) || set(e.CLICOLOR_FORCE)) return true;
  }
  // anstream::AutoStream's auto choice (anstyle-query's clicolor, clicolor_force, term_supports_color, is_ci).
  if (set(e.NO_COLOR)) return false;
  if (e.CLICOLOR_FORCE !== undefined && e.CLICOLOR_FORCE !== '0') return true;
  if (e.CLICOLOR === '0') return false;
  const termSaysColour = platform === 'win32' ? e.TERM !== 'dumb' : e.TERM !== undefined && e.TERM !== 'dumb';
  return isTerminal && (termSaysColour || e.CLICOLOR !== undefined || e.CI !== undefined);
}

function useColour(): boolean {
  colour ??= colourChoice(uvArgs, env, (require('node:tty') as typeof import('node:tty')).isatty(2), process.platform);
  return colour;
}

// owo-colors' escapes as uv writes them: "error".red().bold(), "warning".yellow().bold(),
// "hint".bold().cyan(), ":".bold(), a warning's message .bold().
const paint = {
  error: (s: string) => `\x1b[1m\x1b[31m${s}\x1b[39m\x1b[0m`,
  warning: (s: string) => `\x1b[1m\x1b[33m${s}\x1b[39m\x1b[0m`,
  hint: (s: string) => `\x1b[36m\x1b[1m${s}\x1b[0m\x1b[39m`,
  bold: (s: string) => `\x1b[1m${s}\x1b[0m`,
};
const plain = (s: string) => s;

/** The lines of one message, as one string (written with one write, so parallel calls never interleave within it). */
export function formatMessage(level: Level, message: string, said: Said, coloured: boolean): string {
  const label = coloured ? paint[level] : plain;
  const bold = coloured ? paint.bold : plain;
  const text = level === 'warning' ? bold(`${NAME}: ${message}`) : `${NAME}: ${message}`;
  let out = `${label(level)}${bold(':')} ${text}\n`;
  for (const cause of said.causes ?? []) out += `  ${label('Caused by')}: ${cause}\n`;
  if (said.hint) out += `\n${coloured ? paint.hint('hint') : 'hint'}${bold(':')} ${said.hint}\n`;
  return out;
}

function say(level: Level, message: string, said: Said): void {
  process.stderr.write(formatMessage(level, message, said, useColour()));
  if (listener) listener(level, message, said);
}

export function error(message: string, said: Said = {}): void {
  say('error', message, said);
}

export function warn(message: string, said: Said = {}): void {
  say('warning', message, said);
}

/** A plain status line of our own (uv prints its own without a level): `uvx-safe: <message>`. */
export function info(message: string): void {
  process.stderr.write(`${NAME}: ${message}\n`);
}

export function isDebug(e: NodeJS.ProcessEnv): boolean {
  const value = e.UVX_SAFE_DEBUG;
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

export type Debug = (message: string) => void;

export function makeDebug(e: NodeJS.ProcessEnv): Debug {
  // The time since the process started, so that a slow start-up shows where it went.
  return isDebug(e)
    ? (message) => process.stderr.write(`debug: ${NAME}: ${message} [${performance.now().toFixed(1)} ms]\n`)
    : () => {};
}
