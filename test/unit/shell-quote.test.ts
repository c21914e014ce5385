// Quoting for `safe env`: every shell must read back exactly the string it was given.
// sh, bash, zsh and fish are checked by running them (each skips, with the reason, when it is not
// installed); PowerShell and cmd, absent here, against small models of how they read the text.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  assignment,
  parseShell,
  quoteCmdValue,
  quoteFish,
  quotePosix,
  quotePowerShell,
  renderScript,
  shellFromPath,
  ShellQuoteError,
  type Shell,
} from '../../src/shell/quote.js';
import { defaultShell, envVariables, parseEnvArgs } from '../../src/commands/env.js';
import { TOX_OVERRIDE_ENTRIES, toxOverride } from '../../src/shell/tox.js';
import type { LaunchContext } from '../../src/context.js';
import { UsageError } from '../../src/errors.js';
import { skipOrFail, which } from '../helpers/system-tools.js';

/** Values that break naive quoting somewhere. */
const TRICKY: string[] = [
  'plain',
  '',
  'with space',
  "it's",
  "''",
  "'",
  'say "hi"',
  '$HOME and ${HOME} and $(id) and `id`',
  'back\\slash',
  'trailing\\',
  "\\'",
  '\\\\',
  '%PATH% and %%',
  '%',
  '!',
  '!! and !$ and ^!',
  'a^b&c|d<e>f(g)h',
  'semi;colon # hash ~ tilde',
  '* ? [a-z] {a,b}',
  '-n',
  '=leading',
  'tab\there',
  'line\nbreak',
  'trailing newline\n',
  '\n',
  'café Ünïcode 日本語 😀',
  '\u2018curly\u2019 \u201Aquotes\u201B',
  'C:\\Users\\Jane Doe\\AppData\\Local\\uv',
  `/data/it's a "$dir" with \`ticks\` %x% !y! é`,
];

const CMD_SAFE = TRICKY.filter((v) => !/[\r\n]/.test(v));

describe('POSIX quoting (sh, bash, zsh)', () => {
  it('wraps in single quotes and closes, escapes and reopens for a quote', () => {
    expect(quotePosix('a b')).toBe("'a b'");
    expect(quotePosix("it's")).toBe("'it'\\''s'");
    expect(quotePosix('')).toBe("''");
    expect(quotePosix('$x `y` \\ !')).toBe("'$x `y` \\ !'");
    expect(assignment('bash', 'UV_CACHE_DIR', '/a b')).toBe("export UV_CACHE_DIR='/a b'");
    expect(assignment('zsh', 'X', "'")).toBe("export X=''\\'''");
    expect(assignment('sh', 'X', 'a\nb')).toBe("export X='a\nb'");
  });
});

describe('fish quoting', () => {
  it('escapes only backslash and single quote inside single quotes', () => {
    expect(quoteFish("it's")).toBe("'it\\'s'");
    expect(quoteFish('a\\b')).toBe("'a\\\\b'");
    expect(quoteFish('$x (y) {a,b} *')).toBe("'$x (y) {a,b} *'");
    expect(assignment('fish', 'TMPDIR', '/t')).toBe("set -gx TMPDIR '/t'");
  });
});

/**
 * How PowerShell reads `$env:NAME = <expr>` as quotePowerShell writes it: single-quoted strings
 * (where `''` is a quote, and U+2018..U+201B would end the string too) and `[char]0xHHHH`, joined by `+`.
 */
function readPowerShell(line: string): [string, string] {
  const m = /^\$env:([A-Za-z_][A-Za-z0-9_]*) = (.*)$/s.exec(line);
  if (!m) throw new Error(`not an assignment: ${line}`);
  const quotes = "'\u2018\u2019\u201A\u201B";
  const expr = m[2]!;
  let value = '';
  let i = 0;
  let first = true;
  while (i < expr.length) {
    if (!first) {
      if (!expr.startsWith(' + ', i)) throw new Error(`expected + at ${i}: ${expr}`);
      i += 3;
    }
    if (first && expr[i] !== "'") throw new Error(`the expression must start with a string: ${expr}`);
    first = false;
    if (expr[i] === "'") {
      i++;
      for (;;) {
        if (i >= expr.length) throw new Error(`unterminated string: ${expr}`);
        const c = expr[i]!;
        if (quotes.includes(c)) {
          if (i + 1 < expr.length && quotes.includes(expr[i + 1]!)) {
            value += c;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += c;
        i++;
      }
    } else {
      const term = /^\[char\]0x([0-9A-F]{4})/.exec(expr.slice(i));
      if (!term) throw new Error(`unexpected term at ${i}: ${expr}`);
      value += String.fromCharCode(parseInt(term[1]!, 16));
      i += term[0].length;
    }
  }
  return [m[1]!, value];
}

describe('PowerShell quoting', () => {
  it('doubles single quotes and keeps $, backticks and double quotes literal', () => {
    expect(quotePowerShell("it's")).toBe("'it''s'");
    expect(quotePowerShell('$env:X `n "q"')).toBe("'$env:X `n \"q\"'");
    expect(quotePowerShell('')).toBe("''");
    expect(assignment('powershell', 'UV', 'C:\\a b\\uv.exe')).toBe("$env:UV = 'C:\\a b\\uv.exe'");
  });

  it('writes control and non-ASCII characters as [char] terms, so the script is ASCII', () => {
    expect(quotePowerShell('café')).toBe("'caf' + [char]0x00E9");
    expect(quotePowerShell('é')).toBe("'' + [char]0x00E9");
    expect(quotePowerShell('a\nb')).toBe("'a' + [char]0x000A + 'b'");
    expect(quotePowerShell('\u2019')).toBe("'' + [char]0x2019");
    for (const value of TRICKY) expect(assignment('powershell', 'X', value)).toMatch(/^[\x20-\x7e]*$/);
  });

  it.each(TRICKY.map((v) => [JSON.stringify(v), v]))('reads back %s', (_label, value) => {
    expect(readPowerShell(assignment('powershell', 'X_1', value))).toEqual(['X_1', value]);
  });
});

/**
 * How cmd runs one line of the script from a batch file, following the phases of cmd's parser:
 * phase 1 turns `%%` into `%` (any other `%` would expand a variable); phase 2 toggles quoting at
 * `"`, and outside quotes a caret makes the next character literal while `& | < > ( )` would be
 * syntax; phase 5, only with delayed expansion on and only in an argument that holds a `!`, removes
 * a caret before any character and expands `!NAME!` (an unset name, or a lone `!`, to nothing).
 * The one IF form the script uses, `@if "!!"=="" (set ...) else set ...`, picks its branch by
 * delayed expansion (`!!` is empty only then). SET keeps what lies between the first quote and the last.
 */
function readCmd(line: string, delayed = false): [string, string] {
  let text = '';
  for (let i = 0; i < line.length; i++) {
    if (line[i] !== '%') text += line[i];
    else if (line[i + 1] === '%') text += line[++i];
    else throw new Error(`a lone % would expand a variable: ${line}`);
  }
  const branches = /^@if "!!"=="" \((set ".*)\) else (set ".*)$/.exec(text);
  const command = branches ? (delayed ? branches[1]! : branches[2]!) : text.replace(/^@/, '');
  if (branches) expect(phase2(branches[1]!), 'the IF block must end at its own parenthesis').not.toMatch(/\)\s*else/);
  if (!command.startsWith('set "')) throw new Error(`not a set command: ${line}`);
  let arg = phase2(command.slice('set '.length));
  if (delayed && arg.includes('!')) arg = phase5(arg);
  const body = arg.slice(1, arg.lastIndexOf('"'));
  const eq = body.indexOf('=');
  return [body.slice(0, eq), body.slice(eq + 1)];
}

function phase2(text: string): string {
  let out = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '^') {
      out += text[++i] ?? '';
      continue;
    } else if (!quoted && '&|<>()'.includes(c)) throw new Error(`unquoted ${c} is cmd syntax: ${text}`);
    out += c;
  }
  return out;
}

function phase5(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '^') out += text[++i] ?? '';
    else if (c === '!') {
      const end = text.indexOf('!', i + 1);
      if (end >= 0) i = end; // !NAME!: no variable of the test is set
    } else out += c;
  }
  return out;
}

describe('cmd quoting', () => {
  it('doubles % and leaves ^ ! & literal inside the quotes', () => {
    expect(assignment('cmd', 'UV_CACHE_DIR', 'C:\\a b\\cache')).toBe('@set "UV_CACHE_DIR=C:\\a b\\cache"');
    expect(quoteCmdValue('100%')).toBe('100%%');
    expect(quoteCmdValue('a^b!c&d')).toBe('a^b!c&d');
  });

  it('escapes cmd syntax that a quote in the value leaves unquoted', () => {
    expect(quoteCmdValue('a"b&c"d&e')).toBe('a"b^&c"d&e');
    expect(quoteCmdValue('"^|<>()')).toBe('"^^^|^<^>^(^)');
  });

  it('refuses line breaks, naming the variable', () => {
    expect(() => assignment('cmd', 'UV_INDEX', 'a\nb')).toThrow(ShellQuoteError);
    expect(() => assignment('cmd', 'UV_INDEX', 'a\rb')).toThrow(/UV_INDEX.*line break/);
  });

  it.each(CMD_SAFE.map((v) => [JSON.stringify(v), v]))('reads back %s, with delayed expansion off and on', (_label, value) => {
    expect(readCmd(assignment('cmd', 'X_1', value))).toEqual(['X_1', value]);
    expect(readCmd(assignment('cmd', 'X_1', value), true)).toEqual(['X_1', value]);
  });

  it('a value with ! is set by one IF line that picks the quoting for the delayed-expansion state', () => {
    expect(assignment('cmd', 'A', 'x^y!z%&')).toBe('@if "!!"=="" (set "A=x^^y^!z%%&") else set "A=x^y!z%%&"');
    expect(quoteCmdValue('a"b^!c', 'A', true)).toBe('a"b^^^^^^^!c');
    // Without a !, phase 5 leaves carets alone: one line for both states.
    expect(assignment('cmd', 'A', 'x^y&z')).toBe('@set "A=x^y&z"');
  });
});

describe('every shell', () => {
  const shells: Shell[] = ['bash', 'zsh', 'fish', 'sh', 'powershell', 'cmd'];

  it('refuses NUL in a value and names outside [A-Za-z_][A-Za-z0-9_]*', () => {
    for (const shell of shells) {
      expect(() => assignment(shell, 'UV_X', 'a\0b')).toThrow(/UV_X.*NUL/);
      for (const name of ['', '1A', 'A-B', 'A B', 'A=B', 'A;B', '$A', 'É']) expect(() => assignment(shell, name, 'v')).toThrow(ShellQuoteError);
    }
  });

  it('renders a header comment, then the variables in the given order, one per line', () => {
    const vars: [string, string][] = [
      ['B', '1'],
      ['A', '2'],
    ];
    expect(renderScript('bash', vars)).toBe(`# uvx-safe environment for bash: eval "$(uvx-safe safe env --shell bash)"\nexport B='1'\nexport A='2'\n`);
    expect(renderScript('fish', vars).split('\n').slice(1)).toEqual(["set -gx B '1'", "set -gx A '2'", '']);
    expect(renderScript('powershell', vars).split('\n').slice(1)).toEqual(["$env:B = '1'", "$env:A = '2'", '']);
    expect(renderScript('cmd', vars)).toBe('@rem uvx-safe environment for cmd: save as a .cmd file and CALL it\r\n@set "B=1"\r\n@set "A=2"\r\n');
  });

  it('switches cmd to UTF-8 only when a value needs it, and back to the code page it found', () => {
    expect(renderScript('cmd', [['A', 'C:\\é']]).split('\r\n')).toEqual([
      '@rem uvx-safe environment for cmd: save as a .cmd file and CALL it',
      // chcp says "Active code page: 850" (or "Aktive Codepage: 850."): what follows the colon, the dot dropped.
      '@for /f "tokens=2 delims=:" %%c in (\'chcp\') do @set "UVX_SAFE_CODEPAGE=%%c"',
      '@chcp 65001 >nul',
      '@set "A=C:\\é"',
      '@chcp %UVX_SAFE_CODEPAGE:.=% >nul',
      '@set "UVX_SAFE_CODEPAGE="',
      '',
    ]);
    expect(renderScript('cmd', [['A', 'C:\\e']])).not.toContain('chcp');
  });
});

describe('shell names', () => {
  it('maps login shells to the syntax they read', () => {
    expect(shellFromPath('/bin/bash')).toBe('bash');
    expect(shellFromPath('/usr/bin/zsh')).toBe('zsh');
    expect(shellFromPath('/usr/local/bin/fish')).toBe('fish');
    expect(shellFromPath('/bin/dash')).toBe('sh');
    expect(shellFromPath('/bin/sh')).toBe('sh');
    expect(shellFromPath('/bin/ksh')).toBe('sh');
    expect(shellFromPath('C:\\Program Files\\PowerShell\\7\\pwsh.exe')).toBe('powershell');
    expect(shellFromPath('C:\\Windows\\System32\\cmd.exe')).toBe('cmd');
    expect(shellFromPath('/bin/tcsh')).toBeUndefined();
    expect(shellFromPath('/usr/bin/nu')).toBeUndefined();
  });

  it('accepts the six --shell values and pwsh', () => {
    for (const s of ['bash', 'zsh', 'fish', 'sh', 'powershell', 'cmd']) expect(parseShell(s)).toBe(s);
    expect(parseShell('pwsh')).toBe('powershell');
    expect(parseShell('Bash')).toBeUndefined();
    expect(parseShell('csh')).toBeUndefined();
  });
});

describe('safe env arguments and defaults', () => {
  const ctx = (platform: NodeJS.Platform, env: Record<string, string>): LaunchContext => ({
    invokedAs: 'uvx-safe',
    args: [],
    env,
    cwd: '/',
    host: { platform, env, home: '/home/me', user: 'me' },
    self: [],
    launcherPath: '/opt/uvx-safe/bin/uvx-safe',
  });

  it('parses --shell S, --shell=S, --no-hooks and --hooks-only, and names a wrong argument', () => {
    const none = { temp: false, persist: false, machine: false, remove: false };
    expect(parseEnvArgs(['--shell', 'fish'])).toEqual({ shell: 'fish', hooks: 'all', ...none });
    expect(parseEnvArgs(['--shell=cmd', '--no-hooks'])).toEqual({ shell: 'cmd', hooks: 'none', ...none });
    expect(parseEnvArgs(['--hooks-only', '--shell=zsh', '--hooks-only'])).toEqual({ shell: 'zsh', hooks: 'only', ...none });
    expect(parseEnvArgs([])).toEqual({ hooks: 'all', ...none });
    expect(parseEnvArgs(['-h'])).toBe('help');
    expect(() => parseEnvArgs(['--shell'])).toThrow(/--shell needs a value/);
    expect(() => parseEnvArgs(['--shell', 'tcsh'])).toThrow(/--shell tcsh: unknown shell/);
    expect(() => parseEnvArgs(['--hooks'])).toThrow(/unexpected argument "--hooks"/);
    expect(() => parseEnvArgs(['--no-hooks', '--hooks-only'])).toThrow(/--hooks-only: --no-hooks and --hooks-only exclude each other/);
  });

  it('defaults to $SHELL on POSIX and PowerShell on Windows', () => {
    expect(defaultShell(ctx('linux', { SHELL: '/usr/bin/zsh' }))).toBe('zsh');
    expect(defaultShell(ctx('darwin', { SHELL: '/bin/bash' }))).toBe('bash');
    expect(defaultShell(ctx('win32', {}))).toBe('powershell');
    expect(() => defaultShell(ctx('linux', {}))).toThrow(UsageError);
    expect(() => defaultShell(ctx('linux', { SHELL: '/bin/tcsh' }))).toThrow(/SHELL=\/bin\/tcsh/);
  });

  it('orders the plan by name, then the hooks; an explicit [env] hook value wins', () => {
    const plan = { UV_TOOL_DIR: '/d/tools', TMPDIR: '/d/tmp', UV_CACHE_DIR: '/d/cache' };
    const tox = toxOverride(undefined);
    const hooks = [
      ['UV', '/l'],
      ['TOX_UV_PATH', '/l'],
      ['HATCH_ENV_TYPE_VIRTUAL_UV_PATH', '/l'],
      ['TOX_OVERRIDE', tox],
    ];
    expect(envVariables(plan, '/l', 'all')).toEqual([['TMPDIR', '/d/tmp'], ['UV_CACHE_DIR', '/d/cache'], ['UV_TOOL_DIR', '/d/tools'], ...hooks]);
    expect(envVariables(plan, '/l', 'none').map(([n]) => n)).toEqual(['TMPDIR', 'UV_CACHE_DIR', 'UV_TOOL_DIR']);
    expect(envVariables(plan, '/l', 'only')).toEqual(hooks);
    expect(envVariables({ TOX_UV_PATH: '/admin/uv', UV_CACHE_DIR: '/c' }, '/l', 'all')).toEqual([
      ['UV_CACHE_DIR', '/c'],
      ['UV', '/l'],
      ['TOX_UV_PATH', '/admin/uv'],
      ['HATCH_ENV_TYPE_VIRTUAL_UV_PATH', '/l'],
      ['TOX_OVERRIDE', tox],
    ]);
    expect(envVariables({ TOX_UV_PATH: '/admin/uv', UV_CACHE_DIR: '/c' }, '/l', 'only')[1]).toEqual(['TOX_UV_PATH', '/admin/uv']);
    expect(envVariables({ TOX_UV_PATH: '/admin/uv' }, '/l', 'none')).toEqual([['TOX_UV_PATH', '/admin/uv']]);
  });
});

describe('TOX_OVERRIDE for tox', () => {
  it('appends UVX_SAFE_*, UV_*, the hooks and XDG_* to pass_env in every config format', () => {
    expect(TOX_OVERRIDE_ENTRIES).toEqual([
      'testenv.pass_env+=UVX_SAFE_*,UV_*,UV,TOX_UV_PATH,HATCH_ENV_TYPE_VIRTUAL_UV_PATH,XDG_*',
      'env_run_base.pass_env+=UVX_SAFE_*,UV_*,UV,TOX_UV_PATH,HATCH_ENV_TYPE_VIRTUAL_UV_PATH,XDG_*',
      'tool.tox.env_run_base.pass_env+=UVX_SAFE_*,UV_*,UV,TOX_UV_PATH,HATCH_ENV_TYPE_VIRTUAL_UV_PATH,XDG_*',
    ]);
    expect(toxOverride(undefined)).toBe(TOX_OVERRIDE_ENTRIES.join(';'));
    expect(toxOverride('')).toBe(TOX_OVERRIDE_ENTRIES.join(';'));
  });

  it('PowerShell and cmd read the value back unchanged', () => {
    const value = toxOverride('testenv.deps=a b');
    expect(readPowerShell(assignment('powershell', 'TOX_OVERRIDE', value))).toEqual(['TOX_OVERRIDE', value]);
    expect(readCmd(assignment('cmd', 'TOX_OVERRIDE', value))).toEqual(['TOX_OVERRIDE', value]);
  });

  it("keeps the user's own overrides first and never repeats ours", () => {
    const once = toxOverride('testenv.deps=httpx;testenv.base_python=3.12');
    expect(once).toBe(['testenv.deps=httpx', 'testenv.base_python=3.12', ...TOX_OVERRIDE_ENTRIES].join(';'));
    expect(toxOverride(once)).toBe(once);
    expect(toxOverride(`${TOX_OVERRIDE_ENTRIES[0]};a.b=c;`)).toBe(['a.b=c', ...TOX_OVERRIDE_ENTRIES].join(';'));
  });
});

/** The shell's absolute path, or undefined when it is not installed. */
describe('real shells read back every value', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uvx-safe-quote-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const printenv = which('printenv');

  // How a dotfile uses the output (eval of a command substitution, or fish's `| source`), then hand
  // the environment to a program that prints it NUL-separated: what uv would get.
  const runners: [Shell, string, (script: string, show: string) => string[]][] = [
    ['sh', 'sh', (s, show) => ['-c', `eval "$(cat '${s}')"; exec ${show} -0`]],
    ['bash', 'bash', (s, show) => ['-c', `eval "$(cat '${s}')"; exec ${show} -0`]],
    ['zsh', 'zsh', (s, show) => ['-f', '-c', `eval "$(cat '${s}')"; exec ${show} -0`]],
    ['fish', 'fish', (s, show) => ['--no-config', '-c', `cat '${s}' | source; exec ${show} -0`]],
  ];

  for (const [shell, program, args] of runners) {
    const exe = which(program);
    it(`${shell} (${exe ?? `${program} is not installed: apt-get install -y ${program}`})`, (ctx) => {
      if (!exe || !printenv) skipOrFail(ctx, `${program} is not installed (apt-get install -y ${program})`);
      const vars = TRICKY.map((value, i): [string, string] => [`V${i}`, value]);
      // fish splits a *PATH variable at colons and joins it again on export: the exported text must survive.
      vars.push(['V_TOX_UV_PATH', '/a:b c::d/uv:']);
      // Globs, `;`, `+=` and `,`: nothing may expand or split TOX_OVERRIDE's value.
      vars.push(['V_TOX_OVERRIDE', toxOverride('testenv.deps=a b;testenv.set_env=X=$HOME')]);
      const script = path.join(dir, `${shell}.txt`);
      fs.writeFileSync(script, renderScript(shell, vars));
      const out = execFileSync(exe!, args(script, printenv!), {
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C.UTF-8' },
        encoding: 'utf8',
      });
      const got = new Map(
        out
          .split('\0')
          .filter((e) => /^V(\d+|_TOX_UV_PATH|_TOX_OVERRIDE)=/.test(e))
          .map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]),
      );
      for (const [name, value] of vars) expect(got.get(name), `${shell}: ${name}=${JSON.stringify(value)}`).toBe(value);
    });
  }
});
