// The project folder against the data root and the cache. Recent uv refuses to build when the
// cache lies inside the project or the project inside the cache; and uv hard-links from the cache
// into environments, which fails (and falls back noisily) across filesystems. Pure: paths must
// already be canonical (realpath), and the device numbers come from the caller.

import { isInside } from '../relocate/contain.js';
import type { Platform } from '../platform/env.js';
import type { Check } from './types.js';

export interface OverlapInput {
  platform: Platform;
  /** The project folder (canonical), if there is one. */
  project?: string;
  dataRoot?: string;
  cache?: string;
}

/** Warnings for each of data-root and cache that contains, or lies inside, the project. */
export function overlapChecks(input: OverlapInput): Check[] {
  const { project, platform } = input;
  if (!project) return [];
  const checks: Check[] = [];
  const seen = new Set<string>();
  // The cache first: it is what uv refuses to build with; the data root only adds a different relation.
  for (const [label, dir] of [['cache', input.cache], ['data-root', input.dataRoot]] as const) {
    if (!dir) continue;
    const relation = relationOf(dir, project, platform);
    if (!relation || seen.has(relation)) continue;
    seen.add(relation);
    const text =
      relation === 'same'
        ? `${label} ${dir} is the project folder`
        : relation === 'inside'
          ? `${label} ${dir} lies inside the project ${project}`
          : `the project ${project} lies inside ${label} ${dir}`;
    checks.push({
      id: `project.${label}-overlap`,
      label: 'project',
      status: 'warn',
      message: `${text}: recent uv refuses to build when cache and project contain each other; move ${label} out`,
    });
  }
  return checks;
}

function relationOf(dir: string, project: string, platform: Platform): 'same' | 'inside' | 'contains' | undefined {
  const inside = isInside(dir, project, platform);
  const contains = isInside(project, dir, platform);
  if (inside && contains) return 'same';
  if (inside) return 'inside';
  if (contains) return 'contains';
  return undefined;
}

/** Cache and project on different filesystems: hard links fail; UV_LINK_MODE=copy avoids it. */
export function filesystemCheck(sameFilesystem: boolean | null, linkMode: string | undefined): Check | undefined {
  if (sameFilesystem !== false) return undefined;
  if (linkMode && linkMode !== 'hardlink')
    return { id: 'project.filesystem', label: 'link-mode', status: 'ok', message: `cache and project are on different filesystems; UV_LINK_MODE=${linkMode}` };
  return {
    id: 'project.filesystem',
    label: 'link-mode',
    status: 'warn',
    message:
      'cache and project are on different filesystems, so uv cannot hard-link from the cache; ' +
      'set UV_LINK_MODE=copy (e.g. [env] UV_LINK_MODE = "copy" in the uvx-safe config)',
  };
}
