// Path values in config: `~`, `{data-root}`, `{home}`, `{user}`, `{env:NAME}`; relative paths
// resolve against the folder of the file that holds them. On Windows cmd's `%NAME%` is refused,
// never taken as a folder name (`%USERPROFILE%\dev` once passed validate, then stopped every call). Pure.

import { ConfigError } from '../errors.js';
import { getEnv, pathFor, type Platform } from '../platform/env.js';
import type { HostInfo } from '../platform/dirs.js';
import { unsafeSegment } from '../platform/logon-name.js';

export interface PathValue {
  raw: string;
  /** The key, for messages: `data-root`, `locations.cache`, `allowed-roots`. */
  key: string;
  /** The file or variable that holds it. */
  source: string;
  baseDir: string;
}

/** A template's variable name: a Windows one may hold parentheses (`ProgramFiles(x86)`). */
export const TEMPLATE_VARIABLE = '[A-Za-z_][A-Za-z0-9_()]*';
const SHELL_VARIABLE = new RegExp(`%(${TEMPLATE_VARIABLE})%`);

/**
 * What is wrong with a `%NAME%` (cmd's variable syntax) in a path value on Windows, or undefined when
 * it has none. Refused rather than expanded: one template syntax, and the hint says which to write.
 * On POSIX `%` means nothing to any shell or to uv: `%PATH%` there is a folder's name like any other.
 */
export function shellVariableProblem(raw: string, platform: Platform): string | undefined {
  if (platform !== 'win32') return undefined;
  const name = SHELL_VARIABLE.exec(raw)?.[1];
  return name === undefined ? undefined : `%${name}% is Windows shell syntax, which uvx-safe does not expand: write {env:${name}}`;
}

/** Absolute, `~`, or starting with a template that expands to an absolute path. */
export function isAbsoluteSpelling(value: string, platform: Platform): boolean {
  return pathFor(platform).isAbsolute(value) || /^~([\\/]|$)/.test(value) || /^\{(home|data-root|env:[^{}]*)\}/.test(value);
}

export function expandPath(value: PathValue, host: HostInfo, dataRoot?: string): string {
  const p = pathFor(host.platform);
  const shellVariable = shellVariableProblem(value.raw, host.platform);
  if (shellVariable) throw new ConfigError(value.source, shellVariable, { key: value.key, value: value.raw });
  let text = value.raw;
  if (text === '~' || text.startsWith('~/') || (host.platform === 'win32' && text.startsWith('~\\')))
    text = host.home + text.slice(1);
  text = text.replace(/\{([^{}]*)\}/g, (_match, name: string) => {
    if (name === 'home') return host.home;
    if (name === 'user') return userSegment(value, host);
    if (name === 'data-root') {
      if (dataRoot === undefined)
        throw new ConfigError(value.source, '{data-root} is used but no data-root is set', { key: value.key, value: value.raw, hint: 'set data-root (docs/config-reference.md#data-root), or spell the path out' });
      return dataRoot;
    }
    if (name.startsWith('env:')) {
      const variable = name.slice(4);
      const found = getEnv(host.env, variable, host.platform);
      if (found === undefined)
        throw new ConfigError(value.source, `{env:${variable}} is used but ${variable} is not set`, { key: value.key, value: value.raw, hint: `set ${variable}, or spell the path out` });
      return found;
    }
    throw new ConfigError(value.source, `unknown template {${name}}`, {
      key: value.key,
      value: value.raw,
      hint: 'the templates are {data-root}, {home}, {user}, {env:NAME} and a leading ~',
    });
  });
  return p.resolve(value.baseDir || host.home, text);
}

/** `{user}`: the OS's logon name, refused unless it is one plain folder name. */
function userSegment(value: PathValue, host: HostInfo): string {
  let user: string;
  try {
    user = host.user;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new ConfigError(value.source, `{user}: the logon name of this process cannot be read (${why})`, { key: value.key, value: value.raw, hint: 'write the path without {user}' });
  }
  const problem = unsafeSegment(user, host.platform);
  if (problem)
    throw new ConfigError(value.source, `{user}: the logon name ${JSON.stringify(user)} ${problem}, so it cannot be one folder name`, {
      key: value.key,
      value: value.raw,
      hint: 'write the path without {user}',
    });
  return user;
}
