// The launcher's inputs, read once: argv, environment, working folder, platform, home.

import os = require('node:os');
import path = require('node:path');
import type { EnvMap, Platform } from './platform/env.js';
import type { HostInfo } from './platform/dirs.js';
import { logonName } from './platform/logon-name.js';

export type InvokedAs = 'uv' | 'uvx' | 'uvx-safe';

export interface LaunchContext {
  invokedAs: InvokedAs;
  /** The arguments after the program name, untouched. */
  args: string[];
  env: EnvMap;
  cwd: string;
  host: HostInfo;
  /** Realpaths of the launcher's own files, never to be started as uv. */
  self: string[];
  /** The launcher as it was started (absolute; a shim, bin/uvx-safe ...), for hooks that must run it again. */
  launcherPath: string;
}

/** `uv`, `uv.exe`, `uvx`, `uvx.exe`, `uvx@0.13` ... anything else is `uvx-safe`. */
export function invokedAsFromPath(file: string, platform: Platform): InvokedAs {
  let base = (platform === 'win32' ? path.win32 : path.posix).basename(file);
  if (platform === 'win32') base = base.toLowerCase();
  base = base.replace(/\.(exe|cmd|bat|ps1|js|cjs|mjs)$/i, '');
  if (base === 'uv' || base.startsWith('uv@')) return 'uv';
  if (base === 'uvx' || base.startsWith('uvx@')) return 'uvx';
  return 'uvx-safe';
}

export function hostInfo(env: EnvMap, platform: Platform = process.platform): HostInfo {
  let user: string | undefined;
  return {
    platform,
    env,
    home: os.homedir(),
    // A system call: only made when a `{user}` template asks for it. Never a variable (logon-name.ts).
    get user() {
      user ??= logonName();
      return user;
    },
  };
}
