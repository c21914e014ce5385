// What else uv 0.13 writes, besides the locations uvx-safe relocates (docs/uv-locations.md, audited
// against uv's variables in uv-static's env_vars.rs and the clap `env =` attributes of uv-cli): listed
// by `safe doctor` so that an admin sees every folder uv may touch. Pure.

import type { Check } from './types.js';

export interface UvWriteFacts {
  /** The inherited UV_INSTALL_DIR, if any. */
  installDir?: string;
  /** The uv in use is the managed one (uv-source): the launcher refuses `uv self update` for it. */
  managed?: boolean;
}

export function uvWritesChecks(facts: UvWriteFacts): Check[] {
  const lines: [string, string][] = [
    ['project', "the project's own files: uv.lock, .venv (unless locations.project-env or UV_PROJECT_ENVIRONMENT), build's dist/"],
    ['update-shell', '`uv tool update-shell` / `uv python update-shell` add the bin folder to your shell profiles (~/.bashrc, ~/.zshrc, ..., the Windows user PATH)'],
    [
      'self-update',
      facts.managed
        ? '`uv self update` is refused for the managed uv: uv-version and uv-source decide its version (`uvx-safe safe uv install`)'
        : `\`uv self update\` replaces the uv binary in place${facts.installDir ? ` (UV_INSTALL_DIR=${facts.installDir})` : ''} and its install receipt in uv's config folder`,
    ],
    ['explicit', 'paths named on the command line for output only: -o/--output-file, build --out-dir, export'],
  ];
  return lines.map(([id, message]) => ({ id: `uv-writes.${id}`, label: 'not moved', status: 'ok', message }));
}
