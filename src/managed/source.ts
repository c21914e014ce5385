// `uv-source` as a place to read from: an index URL or a local folder of wheels. Pure.

import type { Setting } from '../config/merge.js';
import type { HostInfo } from '../platform/dirs.js';
import { expandPath } from '../config/templates.js';

export type UvSourceSpec =
  | { kind: 'url'; url: URL; shown: string; origin: string }
  | { kind: 'folder'; dir: string; shown: string; origin: string };

/** The URL without its password, for messages and doctor. */
export function redactUrl(url: URL): string {
  if (!url.password && !url.username) return url.href;
  const copy = new URL(url.href);
  copy.password = copy.password ? '***' : '';
  return copy.href;
}

export function resolveUvSource(setting: Setting<string>, host: HostInfo): UvSourceSpec {
  const origin = setting.origin.source;
  const raw = setting.value;
  if (/^https?:\/\//i.test(raw)) {
    // The schema already refused other schemes and plain http to a non-loopback host.
    const url = new URL(raw);
    if (!url.pathname.endsWith('/')) url.pathname += '/';
    return { kind: 'url', url, shown: redactUrl(url), origin };
  }
  let value = raw;
  if (/^file:\/\//i.test(raw)) {
    const { fileURLToPath } = require('node:url') as typeof import('node:url');
    value = fileURLToPath(raw);
  }
  const dir = expandPath({ raw: value, key: 'uv-source', source: origin, baseDir: setting.baseDir }, host);
  return { kind: 'folder', dir, shown: dir, origin };
}
