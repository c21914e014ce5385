// Path values in config: `~`, `{data-root}`, `{home}`, `{user}`, `{env:NAME}`; relative paths
// resolve against the folder of the file that holds them. Pure.

import { ConfigError } from '../errors.js';
import { getEnv, pathFor } from '../platform/env.js';
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

export function expandPath(value: PathValue, host: HostInfo, dataRoot?: string): string {
  const p = pathFor(host.platform);
  let text = value.raw;
  if (text === '~' || text.startsWith('~/') || (host.platform === 'win32' && text.startsWith('~\\')))
    text = host.home + text.slice(1);
  text = text.replace(/\{([^{}]*)\}/g, (_match, name: string) => {
    if (name === 'home') return host.home;
    if (name === 'user') return userSegment(value, host);
    if (name === 'data-root') {
      if (dataRoot === undefined)
        throw new ConfigError(value.source, '{data-root} is used but no data-root is set', value.key);
      return dataRoot;
    }
    if (name.startsWith('env:')) {
      const variable = name.slice(4);
      const found = getEnv(host.env, variable, host.platform);
      if (found === undefined)
        throw new ConfigError(value.source, `{env:${variable}} is used but ${variable} is not set`, value.key);
      return found;
    }
    throw new ConfigError(value.source, `unknown template {${name}} (known: {data-root}, {home}, {user}, {env:NAME})`, value.key);
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
    throw new ConfigError(value.source, `{user}: the logon name of this process cannot be read (${why}); write the path without {user}`, value.key);
  }
  const problem = unsafeSegment(user, host.platform);
  if (problem)
    throw new ConfigError(value.source, `{user}: the logon name ${JSON.stringify(user)} ${problem}, so it cannot be one folder name; write the path without {user}`, value.key);
  return user;
}
