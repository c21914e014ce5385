// The harness itself: sandboxEnv() must send every default uv location under its root and
// let nothing from the machine's environment through, or the e2e tests prove nothing.
import { realpathSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { explain, getPython, runUv, sandboxEnv } from '../helpers/uv.js';
import { makeTempDir } from '../helpers/workspace.js';

describe('sandboxEnv', () => {
  let root: string | undefined;
  afterEach(async () => {
    vi.unstubAllEnvs();
    if (root) await fs.rm(root, { recursive: true, force: true });
    root = undefined;
  });

  it('puts uv cache, tool and tool-bin dirs under the root, whatever the parent environment says', async () => {
    root = await makeTempDir();
    // Inherited settings that would move these folders if they leaked through.
    vi.stubEnv('UV_CACHE_DIR', '/leaked/cache');
    vi.stubEnv('UV_TOOL_DIR', '/leaked/tools');
    vi.stubEnv('UV_TOOL_BIN_DIR', '/leaked/bin');
    vi.stubEnv('XDG_CACHE_HOME', '/leaked/xdg-cache');
    const env = sandboxEnv(root);

    const dir = async (args: string[]) => {
      const r = await runUv(args, { env });
      expect(r.exitCode, explain(r)).toBe(0);
      return r.stdout.trim();
    };
    expect(await dir(['cache', 'dir'])).toBe(path.join(root, 'cache', 'uv'));
    expect(await dir(['tool', 'dir'])).toBe(path.join(root, 'data', 'uv', 'tools'));
    expect(await dir(['tool', 'dir', '--bin'])).toBe(path.join(root, 'bin'));
  });

  it('carries no UV_* / UVX_SAFE_* variable but its own, and points uv at the real python3', async () => {
    root = await makeTempDir();
    vi.stubEnv('UV_INDEX_URL', 'http://leaked.invalid/simple');
    vi.stubEnv('UVX_SAFE_MODE', 'enforce');
    const env = sandboxEnv(root);
    const own = ['UV_PYTHON', 'UV_PYTHON_DOWNLOADS', 'UV_OFFLINE', 'UV_NO_CONFIG', 'UV_NO_PROGRESS'];
    expect(Object.keys(env).filter((k) => /^UVX?_/.test(k)).sort()).toEqual(own.sort());
    expect(env.UV_PYTHON).toBe(getPython());

    // `uv python find` ignores UV_PYTHON and searches PATH, where it must meet the same
    // interpreter (it may name it `python` rather than `python3`, hence realpath).
    const r = await runUv(['python', 'find'], { env });
    expect(r.exitCode, explain(r)).toBe(0);
    expect(realpathSync(r.stdout.trim())).toBe(realpathSync(getPython()));
  });
});
