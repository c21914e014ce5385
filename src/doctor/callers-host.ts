// The real file system and Python behind `CallersHost`.

import { spawnSync } from 'node:child_process';
import type { EnvMap } from '../platform/env.js';
import { nodeShimHost } from '../shims/node-host.js';
import type { CallersHost } from './callers.js';

/** Asks the interpreter which uv `python -m uv` would start (the uv package's find_uv_bin()). */
const FIND_UV = 'from uv import find_uv_bin; print(find_uv_bin())';

export function nodeCallersHost(env: EnvMap, platform: NodeJS.Platform, home: string): CallersHost {
  return {
    ...nodeShimHost(env, platform),
    home,
    pythonMUv(python) {
      const r = spawnSync(python, ['-c', FIND_UV], {
        encoding: 'utf8',
        env: env as NodeJS.ProcessEnv,
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 15_000,
        windowsHide: true,
      });
      const out = r.status === 0 ? r.stdout.trim() : '';
      return out === '' ? undefined : out;
    },
  };
}
