// What uvx-safe is and what it runs on, for `safe version`, doctor and debug lines.

import type { Form } from './launch/self.js';

/** Set by the build (scripts/build.mjs, esbuild `define`) from package.json. */
declare const UVX_SAFE_VERSION: string | undefined;

export const VERSION: string = typeof UVX_SAFE_VERSION === 'string' ? UVX_SAFE_VERSION : '0.0.0-dev';

export interface RuntimeFacts {
  form: Form;
  /** process.versions.bun, when Bun runs us. */
  bun?: string;
  /** process.version: Node's, or the Node version Bun emulates. */
  node: string;
}

export function currentRuntime(form: Form): RuntimeFacts {
  const bun = process.versions.bun;
  return bun === undefined ? { form, node: process.version } : { form, bun, node: process.version };
}

/** "Node v20.20.2, npm package" or "Bun 1.4.5, standalone executable". */
export function describeRuntime(r: RuntimeFacts): string {
  const runtime = r.bun !== undefined ? `Bun ${r.bun}` : `Node ${r.node}`;
  return `${runtime}, ${r.form === 'standalone' ? 'standalone executable' : 'npm package'}`;
}

/** The line `uvx-safe safe version` prints. */
export function versionLine(r: RuntimeFacts, version: string = VERSION): string {
  return `uvx-safe ${version} (${describeRuntime(r)})`;
}
