// What a fleet's collector needs to tell machines apart (docs/doctor.md, "--json"): host, logon
// name, time, the running launcher's bytes and every policy layer's file with its hash. Read only
// by `safe doctor`, never on a uv call.

import crypto = require('node:crypto');
import fs = require('node:fs');
import os = require('node:os');
import path = require('node:path');
import { envVariableFor, type Layer } from '../config/layer.js';
import type { Form } from '../launch/self.js';
import type { LayerFileFacts } from './types.js';

/** The SHA-256 of a file's bytes (lower-case hex), or null when it cannot be read. */
export function sha256File(file: string): string | null {
  try {
    return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  } catch {
    return null;
  }
}

/**
 * The file whose bytes run: the standalone executable itself, or the npm package's bundle
 * (dist/uvx-safe.cjs, beside the `safe` commands' bundle that runs doctor), not the few lines of
 * bin/uvx-safe or a shim that load it.
 */
export function runningLauncherFile(form: Form, execPath: string, bundleDir: string): string {
  return form === 'standalone' ? execPath : path.join(bundleDir, 'uvx-safe.cjs');
}

/** Host name, the OS's logon name (null when it cannot be read: the same as `{user}`), time in UTC. */
export function whoWhereWhen(user: () => string, now: Date = new Date()): { host: string; user: string | null; time: string } {
  let name: string | null;
  try {
    name = user();
  } catch {
    name = null;
  }
  return { host: os.hostname(), user: name, time: now.toISOString() };
}

/** Every layer, found or not, lowest first: admin and user by their paths, the project file found, the variables. */
export function layerFiles(layers: readonly Layer[], adminFile: string, userFile: string, hash = sha256File): LayerFileFacts[] {
  const found = (name: Layer['name']) => layers.find((l) => l.name === name);
  const file = (name: 'admin' | 'user' | 'project', where: string | null): LayerFileFacts => {
    const exists = found(name) !== undefined;
    return { layer: name, path: where, sha256: exists && where ? hash(where) : null, exists, variables: null, name, source: where ?? '' };
  };
  const env = found('env');
  const variables = env ? Object.entries(env.config).flatMap(([key, value]) =>
    key === 'locations' ? Object.keys(value as object).map((loc) => envVariableFor(`locations.${loc}`)) : [envVariableFor(key)],
  ) : [];
  return [
    file('admin', adminFile),
    file('user', userFile),
    file('project', found('project')?.source ?? null),
    { layer: 'env', path: null, sha256: null, exists: env !== undefined, variables, name: 'env', source: 'environment' },
  ];
}
