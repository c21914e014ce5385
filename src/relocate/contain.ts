// "Is this folder inside that one?", after normalisation and symlinks, the way an
// AppLocker path rule or a mount would see it. `/allowed-evil` is not inside `/allowed`.

import { pathFor, type Platform } from '../platform/env.js';

/** Both paths must already be absolute and canonical (see `canonicalPath`). */
export function isInside(child: string, root: string, platform: Platform): boolean {
  const p = pathFor(platform);
  // path.win32.relative compares case-insensitively and handles drive letters and UNC shares.
  const rel = p.relative(p.resolve(root), p.resolve(child));
  // rel is '' for the root itself: inside.
  if (p.isAbsolute(rel)) return false; // another drive or share
  return rel !== '..' && !rel.startsWith(`..${p.sep}`);
}

export function insideAny(child: string, roots: readonly string[], platform: Platform): boolean {
  return roots.some((root) => isInside(child, root, platform));
}

/**
 * The realpath of the longest existing prefix, with the rest appended: a folder that does not
 * exist yet is judged by where it will be created, through any symlinked parent.
 */
export function canonicalPath(target: string, platform: Platform, realpath: (p: string) => string | undefined): string {
  const p = pathFor(platform);
  let current = p.resolve(target);
  const rest: string[] = [];
  for (;;) {
    const real = realpath(current);
    if (real !== undefined) return rest.length ? p.join(real, ...rest.reverse()) : real;
    const parent = p.dirname(current);
    if (parent === current) return p.resolve(target);
    rest.push(p.basename(current));
    current = parent;
  }
}
