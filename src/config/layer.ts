// One layer of the configuration (admin, user, project, environment) and the admin's locks: the
// shared vocabulary of the loader, the merge and the trust rules, so none of them imports another.

import type { RawConfig } from './schema.js';

export type LayerName = 'admin' | 'user' | 'project' | 'env';

export interface Layer {
  name: LayerName;
  /** The file, or "environment". */
  source: string;
  /** Relative paths in this layer resolve against this folder. */
  baseDir: string;
  config: RawConfig;
}

/** True when `key` (`mode`, `env.UV_INDEX`) or its table (`env`) is in the admin's `locked` list. */
export function isLocked(key: string, locked: readonly string[]): boolean {
  return locked.includes(key) || locked.includes(key.split('.')[0]!);
}

/** The variable of the env layer that sets a config key (layers.ts, ENV_KEYS): `locations.cache` -> UVX_SAFE_LOCATIONS_CACHE. */
export function envVariableFor(key: string): string {
  return `UVX_SAFE_${key.replace(/[-.]/g, '_').toUpperCase()}`;
}
