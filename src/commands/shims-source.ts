// What the shims are made from: the standalone executable itself, the one named by --exe, or (npm
// form, POSIX) a small script that loads bin/uvx-safe.

import fs = require('node:fs');
import path = require('node:path');
import type { LaunchContext } from '../context.js';
import { currentFacts, selfIdentity } from '../launch/self.js';
import { pathFor } from '../platform/env.js';
import type { ShimHost } from '../shims/host.js';
import { ShimRefusal, type ShimSource } from '../shims/plan.js';
import { renderPosixShim } from '../shims/script.js';
import { hasLauncherMark } from '../uv/find.js';

/** bin/uvx-safe next to the bundle this code runs from: it loads the bundle with its code cache. */
function loaderPath(): string {
  return fs.realpathSync.native(path.join(path.dirname(__filename), '..', 'bin', 'uvx-safe'));
}

/**
 * The standalone executable makes shims of itself; the npm form writes scripts on POSIX, and on
 * Windows installs the standalone executable named by --exe (the npm package does not carry it).
 */
export function chooseSource(ctx: LaunchContext, exe: string | undefined, host: ShimHost): ShimSource {
  const platform = ctx.host.platform;
  if (exe !== undefined) {
    const file = pathFor(platform).resolve(ctx.cwd, exe);
    if (!host.isFile(file)) throw new ShimRefusal(`--exe ${file}: no such file`, { hint: 'name the standalone uvx-safe executable (uvx-safe-<os>-<arch>) with --exe' });
    if (platform === 'win32' && !file.toLowerCase().endsWith('.exe')) throw new ShimRefusal(`--exe ${file}: not an .exe`, { hint: 'on Windows the shims are copies of uvx-safe-win-x64.exe: name it with --exe' });
    const head = host.readHead(file);
    if (head === undefined || !hasLauncherMark(head) || head.startsWith('#!'))
      throw new ShimRefusal(`--exe ${file}: not a standalone uvx-safe executable`, { hint: 'name a release executable (uvx-safe-<os>-<arch>); `npm run build:exe` makes one' });
    return { kind: 'program', file };
  }
  if (selfIdentity(currentFacts()).form === 'standalone') return { kind: 'program', file: process.execPath };
  if (platform === 'win32')
    throw new ShimRefusal('shims install: on Windows the shims are copies of the standalone executable', {
      hint: 'name it with --exe PATH (uvx-safe-win-x64.exe), or run `safe shims install` from that executable',
    });
  return { kind: 'script', content: renderPosixShim({ node: process.execPath, loader: loaderPath() }) };
}

