// Issue 16: `safe shims install` puts the shims where the installer says (allowed-roots is where uv
// may write and run, not where the launcher's own files go), but only into a folder nobody else can
// change, and it says when programs cannot run there (the doctor's execution probe).
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mountNoexec } from '../helpers/noexec.js';
import { expectRefused, policySandbox, writeLines } from '../helpers/refusal.js';
import { skipOrFail } from '../helpers/system-tools.js';
import { explain, runLauncher, type RunResult, type SandboxEnv } from '../helpers/uv.js';

let root: string;
let env: SandboxEnv;
let allowed: string;
let outside: string;
let adminFile: string;

beforeEach(async () => {
  ({ root, env, allowed, outside, adminFile } = await policySandbox('uvx-safe-shim-folder-'));
  writeLines(adminFile, [
    'mode = "enforce"',
    `allowed-roots = ["${allowed}"]`,
    `data-root = "${allowed}/data"`,
    'locked = ["mode", "allowed-roots", "data-root"]',
  ]);
});
afterEach(() => fs.promises.rm(root, { recursive: true, force: true }));

const shims = (action: string, ...args: string[]): Promise<RunResult> =>
  runLauncher(['safe', 'shims', action, ...args], { env, cwd: allowed });

describe('safe shims install --dir under an enforce policy', () => {
  it('installs into a folder outside allowed-roots, and uninstall removes the shims', async () => {
    const dir = path.join(outside, 'opt', 'uvx-safe', 'bin');
    const r = await shims('install', '--dir', dir);
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean)).toEqual([`installed ${dir}/uv`, `installed ${dir}/uvx`]);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o755);
    const removed = await shims('uninstall', '--dir', dir);
    expect(removed.exitCode, explain(removed)).toBe(0);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('refuses a folder its group can write to, naming it with what to do instead, and writes nothing', async () => {
    const dir = path.join(outside, 'bin');
    fs.mkdirSync(dir, { recursive: true });
    fs.chmodSync(dir, 0o775);
    expectRefused(await shims('install', '--dir', dir), `${dir} is writable by its group`, 'swap', `chmod go-w ${dir}`, '/opt/uvx-safe/bin');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('refuses a folder under a parent everyone can write to (no sticky bit), and creates nothing', async () => {
    fs.mkdirSync(outside);
    fs.chmodSync(outside, 0o777);
    const dir = path.join(outside, 'bin');
    expectRefused(await shims('install', '--dir', dir), `its parent ${outside} is writable by its group and everyone`, `chmod go-w ${outside}`);
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('refuses a folder another user owns', async () => {
    const dir = path.join(outside, 'bin');
    fs.mkdirSync(dir, { recursive: true });
    fs.chownSync(dir, 65534, 65534);
    expectRefused(await shims('install', '--dir', dir), `${dir} is owned by uid 65534, not by root or you`);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('installs into a folder where programs cannot run, and warns that the shims will not start there', async (ctx) => {
    const mount = await mountNoexec(path.join(root, 'noexec'));
    if (!mount.ok) return skipOrFail(ctx, mount.reason);
    try {
      const dir = path.join(mount.path, 'bin');
      const r = await shims('install', '--dir', dir);
      expect(r.exitCode, explain(r)).toBe(0);
      expect(r.stdout, explain(r)).toContain(`installed ${dir}/uv`);
      expect(r.stderr, explain(r)).toContain(`warning: uvx-safe: programs cannot run from ${dir} (EACCES), so the shims there will not start`);
      expect(fs.readdirSync(dir).sort(), 'the probe leaves nothing behind').toEqual(['uv', 'uvx']);
    } finally {
      await mount.unmount();
    }
  });
});
