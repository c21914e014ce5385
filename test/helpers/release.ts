// The release the global setup built (test/setup/release.ts), or a one-line skip (a failure under CI=true).
import { inject } from 'vitest';
import type { ReleaseBuild } from '../setup/release.js';
import { skipOrFail } from './system-tools.js';

export function needRelease(ctx: { skip: (note?: string) => void }): ReleaseBuild {
  const release = inject('release');
  if (!release) skipOrFail(ctx, inject('releaseMissing') ?? 'no release was built');
  return release!;
}

/** The release's artefact names for `version` (scripts/release.mjs). */
export function artefactNames(version: string) {
  return {
    winExe: `uvx-safe-${version}-win-x64.exe`,
    linuxExe: `uvx-safe-${version}-linux-x64`,
    tarball: `uvx-safe-${version}.tgz`,
    deb: `uvx-safe_${version}_amd64.deb`,
    msi: `uvx-safe-${version}-x64.msi`,
    sbom: `uvx-safe-${version}.cdx.json`,
  };
}
