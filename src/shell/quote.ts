// Environment assignments as source text for each supported shell. Pure: no process, no file system.
// Every value is quoted so the shell reads back exactly the same string, whatever it holds
// (spaces, quotes, `$`, `%`, `!`, backticks, non-ASCII, and newlines where the shell allows them).

import { UvxSafeError } from '../errors.js';

export const SHELLS = ['bash', 'zsh', 'fish', 'sh', 'powershell', 'cmd'] as const;
export type Shell = (typeof SHELLS)[number];

/** A name or value that the chosen shell cannot hold, named in the message. */
export class ShellQuoteError extends UvxSafeError {}

/** Names every shell here accepts unquoted in an assignment (and the only ones uvx-safe sets). */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Other shells that read POSIX `export NAME='value'` the same way sh does. */
const POSIX_LIKE = new Set(['sh', 'dash', 'ash', 'ksh', 'mksh', 'pdksh', 'oksh', 'yash', 'posh', 'busybox']);

/** The shell a login-shell path names (`/usr/bin/zsh` -> zsh), or undefined when it is none of ours. */
export function shellFromPath(shellPath: string): Shell | undefined {
  const base = shellPath.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? '';
  const name = base.toLowerCase().replace(/\.exe$/, '');
  if (name === 'pwsh' || name === 'powershell') return 'powershell';
  if (name === 'bash' || name === 'zsh' || name === 'fish' || name === 'cmd') return name;
  if (POSIX_LIKE.has(name)) return 'sh';
  return undefined;
}

/** `--shell` values: the six names, plus `pwsh` for PowerShell 7. */
export function parseShell(value: string): Shell | undefined {
  if (value === 'pwsh') return 'powershell';
  return (SHELLS as readonly string[]).includes(value) ? (value as Shell) : undefined;
}

function describe(name: string): string {
  return `the value of ${name}`;
}

function refuseNul(shell: Shell, name: string, value: string): void {
  // No environment on any OS can hold NUL, so no shell syntax can express it.
  if (value.includes('\0')) throw new ShellQuoteError(`${describe(name)} contains a NUL character, which no ${shell} variable can hold`, { hint: 'remove the NUL character from that value' });
}

/** sh, bash, zsh: inside single quotes nothing is special, so only `'` itself needs `'\''`. */
export function quotePosix(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** fish: inside single quotes only `\\` and `\'` are escapes (a lone backslash is kept, but `\\` is safer). */
export function quoteFish(value: string): string {
  return `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

/**
 * PowerShell: inside single quotes only the quote is special, and it is escaped by doubling.
 * Control and non-ASCII characters are written as `[char]0xHHHH` terms joined with `+` (the
 * expression starts with a quoted string, so `+` concatenates): Windows PowerShell decodes a
 * program's output in the console code page and splits it into lines, so the script stays ASCII
 * and one line per variable. That also covers the typographic quotes U+2018..U+201B, which
 * PowerShell would otherwise read as single quotes.
 */
export function quotePowerShell(value: string): string {
  const terms: string[] = [];
  let run = '';
  let open = true; // a quoted run is in progress; the expression starts with one, even if empty
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit >= 0x20 && unit < 0x7f) {
      run += value[i] === "'" ? "''" : value[i];
      open = true;
      continue;
    }
    if (open) terms.push(`'${run}'`);
    run = '';
    open = false;
    terms.push(`[char]0x${unit.toString(16).toUpperCase().padStart(4, '0')}`);
  }
  if (open) terms.push(`'${run}'`);
  return terms.join(' + ');
}

/**
 * cmd: the text after `set "` up to the closing quote. The output is meant to be saved as a .cmd
 * file and CALLed, so:
 * - `%` becomes `%%` (percent expansion happens before quotes are seen, in batch files `%%` is `%`);
 * - a `"` inside the value toggles cmd's quote state; while outside quotes, `^ & | < > ( )` get a
 *   caret so they stay text (`set "A=..."` keeps everything up to the LAST quote, i.e. ours);
 * - with `delayed` (for a caller under `cmd /v:on` or `setlocal EnableDelayedExpansion`): cmd's
 *   delayed phase, run on an argument that holds a `!`, takes a caret as an escape and `!NAME!` as a
 *   variable, so `^` becomes `^^` and `!` becomes `^!` (inside quotes; outside, phase 2 eats one caret
 *   level first). Without a `!` in the value that phase leaves the text alone: one form serves both;
 * - CR and LF cannot be written (a batch line ends there), so such values are refused.
 * Windows paths cannot hold `"`, so the quote rule matters only for `[env]` values.
 */
export function quoteCmdValue(value: string, name = 'a variable', delayed = false): string {
  if (/[\r\n]/.test(value)) throw new ShellQuoteError(`${describe(name)} contains a line break, which cmd cannot set`, { hint: 'remove the line break, or use --shell powershell' });
  let out = '';
  let quoted = true;
  for (const c of value) {
    if (c === '"') {
      quoted = !quoted;
      out += c;
    } else if (c === '%') {
      out += '%%';
    } else if (delayed && (c === '^' || c === '!')) {
      const forPhase5 = `^${c}`;
      out += quoted ? forPhase5 : forPhase5.replace(/[\^!]/g, '^$&');
    } else if (!quoted && '^&|<>()'.includes(c)) {
      out += `^${c}`;
    } else {
      out += c;
    }
  }
  return out;
}

/**
 * cmd's SET for `value`. A value with a `!` reads differently with delayed expansion on, which the
 * script cannot switch off for its caller (a SETLOCAL would drop the variables at its end), so one
 * IF picks the quoting: `!!` is empty only under delayed expansion.
 */
function cmdSet(name: string, value: string): string {
  const plain = `set "${name}=${quoteCmdValue(value, name)}"`;
  if (!value.includes('!')) return `@${plain}`;
  return `@if "!!"=="" (set "${name}=${quoteCmdValue(value, name, true)}") else ${plain}`;
}

/** One statement that sets and exports `name` to `value` in `shell`. */
export function assignment(shell: Shell, name: string, value: string): string {
  if (!NAME.test(name)) throw new ShellQuoteError(`"${name}" is not a variable name every shell accepts`, { hint: 'use letters, digits and _ only' });
  refuseNul(shell, name, value);
  switch (shell) {
    case 'sh':
    case 'bash':
    case 'zsh':
      return `export ${name}=${quotePosix(value)}`;
    case 'fish':
      return `set -gx ${name} ${quoteFish(value)}`;
    case 'powershell':
      return `$env:${name} = ${quotePowerShell(value)}`;
    case 'cmd':
      // `@` keeps a batch file with echo on from printing the line; it leaves the echo state alone.
      return cmdSet(name, value);
  }
}

/** How the output is meant to be used, as the one comment line heading it. */
const HEADER: Record<Shell, string> = {
  sh: '# uvx-safe environment for sh: eval "$(uvx-safe safe env --shell sh)"',
  bash: '# uvx-safe environment for bash: eval "$(uvx-safe safe env --shell bash)"',
  zsh: '# uvx-safe environment for zsh: eval "$(uvx-safe safe env --shell zsh)"',
  fish: '# uvx-safe environment for fish: uvx-safe safe env --shell fish | source',
  powershell: '# uvx-safe environment for PowerShell: uvx-safe safe env --shell powershell | Out-String | Invoke-Expression',
  cmd: '@rem uvx-safe environment for cmd: save as a .cmd file and CALL it',
};

/**
 * The whole script: one header comment, then one assignment per variable in the given order.
 * cmd reads batch files in the console code page, so when a value is not ASCII the script switches
 * the console to UTF-8 (65001) first, and back to the code page it found at the end (what chcp says
 * after the colon: "Active code page: 850", "Aktive Codepage: 850."); otherwise it leaves the code
 * page alone.
 */
export function renderScript(shell: Shell, variables: ReadonlyArray<readonly [string, string]>): string {
  const lines = [HEADER[shell]];
  // eslint-disable-next-line no-control-regex
  const utf8 = shell === 'cmd' && variables.some(([, value]) => /[^\x00-\x7f]/.test(value));
  if (utf8) {
    lines.push(`@for /f "tokens=2 delims=:" %%c in ('chcp') do @set "${CODEPAGE_VARIABLE}=%%c"`);
    lines.push('@chcp 65001 >nul');
  }
  for (const [name, value] of variables) lines.push(assignment(shell, name, value));
  if (utf8) lines.push(`@chcp %${CODEPAGE_VARIABLE}:.=% >nul`, `@set "${CODEPAGE_VARIABLE}="`);
  const eol = shell === 'cmd' ? '\r\n' : '\n';
  return lines.join(eol) + eol;
}

/** Holds the caller's code page while a cmd script runs in UTF-8; removed at its end. */
const CODEPAGE_VARIABLE = 'UVX_SAFE_CODEPAGE';
