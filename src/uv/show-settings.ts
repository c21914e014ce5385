// Ask uv what it resolved: `uv --show-settings <the same arguments>` prints the settings of every
// source uv reads (flags, variables, --config-file, the project's uv.toml / [tool.uv], the user's and
// the system's uv.toml), merged in uv's own order, and exits before doing anything (crates/uv/src/
// lib.rs: `show_settings!` returns before the cache is initialised or any environment is touched).
// The launcher reads the pip settings that choose where `uv pip install|sync|uninstall` writes.
// Measured with uv 0.13.9: 20-40 ms, but ~300 ms when SSL_CERT_FILE/SSL_CERT_DIR make uv load and
// print a certificate bundle, so those two are left out of the question (they choose no folder).

import { spawnSync } from 'node:child_process';

/** The pip settings that choose a folder or an interpreter, as uv merged them. */
export interface UvPipSettings {
  target?: string;
  prefix?: string;
  python?: string;
  system: boolean;
  breakSystemPackages: boolean;
}

export class ShowSettingsError extends Error {}

/**
 * Decodes a Rust `{:?}` string body (between the quotes): `\"`, `\\`, `\n`, `\t`, `\r`, `\0`, `\'`,
 * `\u{..}`. A path that is not valid UTF-8 (`\xNN`) cannot be judged: an error.
 */
export function decodeRustDebugString(body: string): string {
  return body.replace(/\\(u\{([0-9a-fA-F]+)\}|x[0-9a-fA-F]{2}|.)/g, (whole, escape: string, hex?: string) => {
    if (hex !== undefined) return String.fromCodePoint(Number.parseInt(hex, 16));
    switch (escape) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case '0':
        return '\0';
      case '"':
      case "'":
      case '\\':
        return escape;
      default:
        throw new ShowSettingsError(`a path that is not valid UTF-8 (${whole})`);
    }
  });
}

/** The `settings: PipSettings { ... }` block's own fields (eight spaces in), as raw text per field. */
function pipSettingsFields(output: string): Map<string, string> {
  const start = output.search(/^ {4}settings: PipSettings \{$/m);
  if (start < 0) throw new ShowSettingsError('no PipSettings in its output');
  const lines = output.slice(start).split('\n').slice(1);
  const fields = new Map<string, string>();
  let current: string | undefined;
  for (const line of lines) {
    if (/^ {0,4}\S/.test(line)) break; // the block's closing brace
    const field = /^ {8}([a-z_]+): (.*)$/.exec(line);
    if (field) {
      current = field[1]!;
      fields.set(current, field[2]!);
    } else if (current !== undefined) fields.set(current, `${fields.get(current)}\n${line}`);
  }
  return fields;
}

/** The first Rust debug string in a field's text (`Some(Target("..."))`, `Some("...")`), or undefined for `None`. */
function stringIn(text: string | undefined): string | undefined {
  if (text === undefined || /^None,?$/.test(text.trim())) return undefined;
  const match = /"((?:[^"\\]|\\.)*)"/s.exec(text);
  if (!match) throw new ShowSettingsError(`an unexpected value: ${text.trim().split('\n')[0]}`);
  return decodeRustDebugString(match[1]!);
}

export function parsePipSettings(output: string): UvPipSettings {
  const fields = pipSettingsFields(output);
  const flag = (name: string) => {
    const text = fields.get(name)?.trim();
    if (text === undefined) throw new ShowSettingsError(`no ${name} in PipSettings`);
    return text.startsWith('true');
  };
  return {
    target: stringIn(fields.get('target')),
    prefix: stringIn(fields.get('prefix')),
    python: stringIn(fields.get('python')),
    system: flag('system'),
    breakSystemPackages: flag('break_system_packages'),
  };
}

/** Variables left out of the question: they choose no folder and make uv load a certificate bundle. */
const SLOW_VARIABLES = new Set(['SSL_CERT_FILE', 'SSL_CERT_DIR']);

/**
 * Runs `uv --show-settings ARGS` with the environment uv will get, in uv's working folder, and reads
 * its pip settings. Throws ShowSettingsError (with uv's first error line) when uv fails.
 */
export function askUvPipSettings(uv: string, args: readonly string[], env: Record<string, string>, cwd: string): UvPipSettings {
  const quiet: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (!SLOW_VARIABLES.has(name.toUpperCase())) quiet[name] = value;
  const result = spawnSync(uv, ['--show-settings', ...args], {
    cwd,
    env: quiet,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 16 * 1024 * 1024,
    timeout: 60_000,
    windowsHide: true,
  });
  if (result.error) throw new ShowSettingsError(result.error.message);
  if (result.status !== 0) {
    const said = result.stderr.split('\n').find((line) => line.trim() !== '')?.trim();
    throw new ShowSettingsError(`it exited with ${result.status ?? result.signal}${said ? `: ${said}` : ''}`);
  }
  return parsePipSettings(result.stdout);
}
