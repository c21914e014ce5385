// How a refusal shows paths (issue 14): the path given and, when it leads elsewhere (a symlink, a
// junction, a mapped or SUBST drive), where it resolves; the roots as the admin wrote them. Pure.

import { pathFor, type Platform } from '../platform/env.js';

/** Two spellings of one path on `platform`: Windows ignores case and takes `/` for `\`. */
function sameSpelling(a: string, b: string, platform: Platform): boolean {
  const norm = (x: string) => {
    const n = pathFor(platform).normalize(x).replace(/[\\/]+$/, '');
    return platform === 'win32' ? n.toLowerCase() : n;
  };
  return norm(a) === norm(b);
}

/** `, which resolves to REAL` when the path given leads elsewhere; empty when it is where it says. */
export function resolvesNote(given: string, real: string, platform: Platform): string {
  return sameSpelling(given, real, platform) ? '' : `, which resolves to ${real}`;
}

/** An allowed root as the admin wrote it, then where it is when that reads differently (a template, a link). */
export function describeRoot(written: string, real: string, platform: Platform): string {
  return sameSpelling(written, real, platform) ? written : `${written} (${real})`;
}
