// The test packages: prebuilt wheels (from the global setup) and the needs-build-tool
// source tree, copied into each test's own folder so builds never write into the checkout.
import fs from 'node:fs/promises';
import path from 'node:path';
import { inject } from 'vitest';
import { FIXTURES_SRC } from './paths.js';

/** Folder with hello_cli-1.0 and build_helper-1.0 wheels, for `--find-links`. */
export function getWheelsDir(): string {
  return inject('wheelsDir');
}

/** uv flags that resolve the test packages from the wheels folder only, without network. */
export function offlineIndexArgs(): string[] {
  return ['--offline', '--no-index', '--find-links', getWheelsDir()];
}

/** What build-helper prints; the built needs-build-tool exposes it as needs_build_tool.STAMP. */
export const BUILD_HELPER_STAMP = 'built by build-helper 1.0';

/**
 * Copy the needs-build-tool source tree to <dir>/needs-build-tool and return that path.
 * Building it runs the `build-helper` console script from uv's build environment. The tree
 * is itself a uv project too (`uv sync` in it does an editable build).
 */
export async function makeToolBuiltPackage(dir: string): Promise<string> {
  const dest = path.join(dir, 'needs-build-tool');
  await fs.cp(path.join(FIXTURES_SRC, 'needs-build-tool'), dest, {
    recursive: true,
    filter: (src) => path.basename(src) !== '__pycache__',
  });
  return dest;
}

/**
 * Make a uv project at <dir>/app that depends on needs-build-tool through a path source
 * (a sibling copy at <dir>/app/needs-build-tool). The project itself has no build system,
 * so `uv sync` builds only the dependency (non-editable: build_wheel). Returns <dir>/app.
 */
export async function makeProjectUsingToolBuiltPackage(dir: string): Promise<string> {
  const app = path.join(dir, 'app');
  await fs.mkdir(app, { recursive: true });
  await makeToolBuiltPackage(app);
  await fs.writeFile(
    path.join(app, 'pyproject.toml'),
    [
      '[project]',
      'name = "app"',
      'version = "0.1.0"',
      'requires-python = ">=3.8"',
      'dependencies = ["needs-build-tool"]',
      '',
      '[tool.uv.sources]',
      'needs-build-tool = { path = "needs-build-tool" }',
      '',
    ].join('\n'),
  );
  return app;
}
