// The config files uv reads for a command, found the way uv finds them (uv 0.13), with stats only:
// they decide whether the launcher must ask uv for its merged settings (show-settings.ts), and name
// the files in messages. Mirrors:
// - crates/uv/src/lib.rs `run_with_workspace_cache`: `--config-file` (clap env UV_CONFIG_FILE) is the
//   only file read when given, even with `--no-config`; otherwise nothing with `--no-config`
//   (UV_NO_CONFIG) or, for commands other than run/check/tool/project ones, the deprecated
//   `--isolated`; `uv tool ...`/`uv self ...` read the user and system files only; every other
//   command the project's settings (`FilesystemOptions::find` from the workspace root or the project
//   folder upwards), then the user's, then the system's;
// - crates/uv-settings/src/lib.rs `FilesystemOptions::{find, from_directory, user, system}`: per folder
//   `uv.toml`, else a `pyproject.toml` with a `[tool.uv]` table; UV_NO_SYSTEM_CONFIG;
// - crates/uv-dirs/src/lib.rs `user_config_dir` (etcetera: `$XDG_CONFIG_HOME`, absolute only, else
//   `~/.config`; `%APPDATA%` on Windows) and `system_config_file` (`$XDG_CONFIG_DIRS` entries, default
//   `/etc/xdg`, then `/etc/uv/uv.toml`; `%SYSTEMDRIVE%\ProgramData\uv\uv.toml` on Windows).
// The project search here takes every folder from the project folder up: the workspace root uv
// starts from is one of them, so no file uv reads is missed (a file it does not read only costs a
// question to uv).

import fs = require('node:fs');
import { pathFor, type Platform } from '../platform/env.js';
import type { ParsedUvArgs } from './argv.js';
// UV_NO_CONFIG (clap's BoolishValueParser) and UV_NO_SYSTEM_CONFIG (uv_static::
// parse_boolish_environment_variable) read the same words, untrimmed.
import { truthy } from './env-flags.js';
import { parse as parseToml } from 'smol-toml';

export interface UvConfigSourcesInput {
  args: ParsedUvArgs;
  /** The variables uv sees (inherited, or set by [env]). */
  lookup: (name: string) => string | undefined;
  /** Where uv looks for the project (--project/--directory applied). */
  projectStart: string;
  /** uv's working folder (--directory applied), against which a relative --config-file resolves. */
  uvCwd: string;
  platform: Platform;
  home: string;
  isFile?: (file: string) => boolean;
  /** The file's text, for a pyproject.toml: only one with a [tool.uv] table is a source. */
  readText?: (file: string) => string | undefined;
}

export interface UvConfigSource {
  kind: 'config-file' | 'project' | 'user' | 'system';
  file: string;
}

const has = (args: ParsedUvArgs, name: string) => args.options?.includes(name) ?? false;

/** The user's uv config folder (`~/.config/uv`, `%APPDATA%\uv`): uv.toml and the global `.python-version`. */
export function userUvConfigDir(platform: Platform, lookup: (name: string) => string | undefined, home: string): string {
  const p = pathFor(platform);
  if (platform === 'win32') return p.join(lookup('APPDATA') ?? p.join(home, 'AppData', 'Roaming'), 'uv');
  const xdg = lookup('XDG_CONFIG_HOME');
  return p.join(xdg && p.isAbsolute(xdg) ? xdg : p.join(home, '.config'), 'uv');
}

function systemConfigFile(platform: Platform, lookup: (name: string) => string | undefined, isFile: (file: string) => boolean): string | undefined {
  const p = pathFor(platform);
  if (platform === 'win32') {
    const drive = lookup('SYSTEMDRIVE');
    const file = drive ? p.join(`${drive}\\`, 'ProgramData', 'uv', 'uv.toml') : undefined;
    return file && isFile(file) ? file : undefined;
  }
  const dirs = lookup('XDG_CONFIG_DIRS') ?? '/etc/xdg';
  for (const dir of dirs.split(':')) {
    if (dir === '') break; // uv: take_while(|s| !s.is_empty())
    const file = p.join(dir, 'uv', 'uv.toml');
    if (isFile(file)) return file;
  }
  return isFile('/etc/uv/uv.toml') ? '/etc/uv/uv.toml' : undefined;
}

const defaultIsFile = (file: string) => fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;

function defaultReadText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Whether a pyproject.toml holds a `[tool.uv]` table. A cheap text test first: every TOML spelling of
 * the key `uv` holds the letters "uv" or a `\u` escape; then the real parse. A file that does not
 * parse counts (uv warns and reads on, or fails: either way uv is asked).
 */
function hasToolUv(text: string): boolean {
  if (!/uv|\\u/i.test(text)) return false;
  try {
    const tool = (parseToml(text) as { tool?: unknown }).tool;
    return typeof tool === 'object' && tool !== null && Object.prototype.hasOwnProperty.call(tool, 'uv');
  } catch {
    return true;
  }
}

/** The config files uv reads for this command, in uv's order of precedence (first wins). */
export function uvConfigSources(input: UvConfigSourcesInput): UvConfigSource[] {
  const { args, lookup, platform } = input;
  const p = pathFor(platform);
  const isFile = input.isFile ?? defaultIsFile;
  const readText = input.readText ?? defaultReadText;
  const configFile = args.locations.filter((flag) => flag.kind === 'config-file').pop()?.value;
  if (configFile !== undefined) return [{ kind: 'config-file', file: p.resolve(input.uvCwd, configFile) }];
  // `--isolated` still means "no config" for uv's non-preview commands (pip among them); project,
  // tool and python commands read their config files whatever it says.
  const isolated = has(args, '--isolated') && args.command[0] === 'pip';
  if (has(args, '--no-config') || truthy(lookup('UV_NO_CONFIG')) || isolated) return [];
  const sources: UvConfigSource[] = [];
  if (args.command[0] !== 'tool' && args.command[0] !== 'self') {
    let dir = p.resolve(input.projectStart);
    for (;;) {
      const uvToml = p.join(dir, 'uv.toml');
      const pyproject = p.join(dir, 'pyproject.toml');
      if (isFile(uvToml)) sources.push({ kind: 'project', file: uvToml });
      else if (isFile(pyproject) && hasToolUv(readText(pyproject) ?? '')) sources.push({ kind: 'project', file: pyproject });
      const parent = p.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  const user = p.join(userUvConfigDir(platform, lookup, input.home), 'uv.toml');
  if (isFile(user)) sources.push({ kind: 'user', file: user });
  if (!truthy(lookup('UV_NO_SYSTEM_CONFIG'))) {
    const system = systemConfigFile(platform, lookup, isFile);
    if (system) sources.push({ kind: 'system', file: system });
  }
  return sources;
}
