// Fixed paths in the checkout. No vitest import here, so the global setup (which runs
// outside the test workers) can use this module too.
import path from 'node:path';

/**
 * The repository root: this file lives in <root>/test/helpers. `__dirname`, not import.meta:
 * package.json has no "type": "module", so tsc checks test/ as CommonJS (where import.meta
 * is an error), and vitest provides __dirname in the files it loads.
 */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** The launcher as users start it (a Node script with a shebang). */
export const LAUNCHER = path.join(REPO_ROOT, 'bin', 'uvx-safe');

/** The bundle that bin/uvx-safe loads; `npm run build` writes it (npm test runs that via pretest). */
export const LAUNCHER_BUNDLE = path.join(REPO_ROOT, 'dist', 'uvx-safe.cjs');

/**
 * Git-ignored folder for the pinned uv and the built fixture wheels, kept between runs. UVX_SAFE_TEST_CACHE
 * names another: the mutation run's sandbox copy of the checkout uses the checkout's (stryker.config.mjs).
 */
export const CACHE_DIR = process.env.UVX_SAFE_TEST_CACHE || path.join(REPO_ROOT, '.cache');

/** Sources of the test packages (wheel recipes and the needs-build-tool tree). */
export const FIXTURES_SRC = path.join(REPO_ROOT, 'test', 'fixtures');

/** The standalone Linux executable; the global setup builds it when missing or stale (scripts/build-exe.mjs). */
export const LINUX_EXE = path.join(REPO_ROOT, 'dist', 'exe', 'uvx-safe-linux-x64');
/** The standalone Windows executable; the global setup builds it when Wine is there (scripts/build-exe.mjs). */
export const WINDOWS_EXE = path.join(REPO_ROOT, 'dist', 'exe', 'uvx-safe-win-x64.exe');

/** C sources of the Windows test programs (stand-in uv.exe, the DLL Wine lacks), built with mingw. */
export const WINDOWS_FIXTURES_SRC = path.join(FIXTURES_SRC, 'windows');
