// Per-test folders for the noexec end-to-end tests: a normal temp root with
//   <root>/noexec  a fresh noexec tmpfs holding HOME, XDG dirs and TMPDIR (env), where uv's
//                  defaults put its cache, tools and temp files, so running anything from them fails;
//   <root>/exec    an ordinary, executable folder for venvs, projects and relocated locations.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { skipOrFail } from './system-tools.js';
import { mountNoexec } from './noexec.js';
import { sandboxEnv, type SandboxEnv } from './uv.js';

export interface NoexecWorkspace {
  root: string;
  noexec: string;
  exec: string;
  /** sandboxEnv(noexec): every default uv location lies on the noexec mount. */
  env: SandboxEnv;
}

/** Make a temp folder under the OS temp dir (assumed executable, as /tmp usually is). */
export function makeTempDir(prefix = 'uvx-safe-test-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

/**
 * Register beforeEach/afterEach hooks giving every test of the calling suite a fresh
 * workspace, and return a getter for it. Where noexec mounts are impossible the test is
 * skipped with the reason. Everything is unmounted and deleted after each test.
 */
export function useNoexecWorkspace(): () => NoexecWorkspace {
  let current: NoexecWorkspace | undefined;
  let cleanup: (() => Promise<void>) | undefined;

  beforeEach(async (ctx) => {
    const root = await makeTempDir();
    const mount = await mountNoexec(path.join(root, 'noexec'));
    const removeRoot = () => fs.rm(root, { recursive: true, force: true });
    if (!mount.ok) {
      await removeRoot();
      skipOrFail(ctx, mount.reason);
      return;
    }
    cleanup = async () => {
      try {
        await mount.unmount();
      } finally {
        await removeRoot();
      }
    };
    const exec = path.join(root, 'exec');
    await fs.mkdir(exec);
    current = { root, noexec: mount.path, exec, env: sandboxEnv(mount.path) };
  });

  afterEach(async () => {
    const done = cleanup;
    current = undefined;
    cleanup = undefined;
    await done?.();
  });

  return () => {
    if (!current) throw new Error('useNoexecWorkspace(): no workspace outside a test');
    return current;
  };
}
