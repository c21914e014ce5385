// Whether the real uv is newer than the newest uv the argv tables were checked against. uv adds
// options often; a new one that takes a value, or names a folder, is misread until the tables
// know it (src/uv/argv.ts). Pure.

import { NEWEST_CHECKED_UV } from '../uv/argv.js';
import { satisfies } from '../uv/version.js';
import type { Check } from './types.js';

/** How to check a uv against the tables (from a uvx-safe source checkout; docs/admin-guide.md). */
export const ARGV_CHECK_COMMAND = 'npm run argv:check -- /path/to/uv';

/** A warning when `version` is newer than NEWEST_CHECKED_UV; nothing otherwise (or when unknown). */
export function argvTablesCheck(version: string | null, uvPath: string | null, newestChecked = NEWEST_CHECKED_UV): Check | undefined {
  if (version === null) return undefined;
  let newer: boolean;
  try {
    newer = satisfies(version, `>${newestChecked}`);
  } catch {
    return undefined; // not a version we can compare; the uv line already says what was read
  }
  if (!newer) return undefined;
  return {
    id: 'uv.argv-tables',
    label: 'uv-argv',
    status: 'warn',
    message:
      `uv ${version} is newer than ${newestChecked}, the newest uv whose command line uvx-safe's argv tables were checked against; ` +
      `check it from a uvx-safe checkout: ${ARGV_CHECK_COMMAND.replace('/path/to/uv', uvPath ?? '/path/to/uv')}`,
  };
}
