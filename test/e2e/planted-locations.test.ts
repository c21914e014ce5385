// The attack behind "a project file cannot set data-root or [locations]": a repository ships a
// uvx-safe.toml that points data-root and locations.python at a folder it also ships, inside the
// allowed root (a checkout usually is), holding a planted "managed Python". uv would run it as the
// project's interpreter. uvx-safe ignores both keys with a warning naming the file and the key, and uv
// keeps the admin's data root. Real uv 0.13.9 behind the launcher.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { explain, getPython, runLauncher, runProgram, sandboxEnv, type SandboxEnv } from '../helpers/uv.js';
import { writeLines as write } from '../helpers/refusal.js';
import { listTree } from '../helpers/tree.js';
import { makeTempDir } from '../helpers/workspace.js';

let root: string;
let env: SandboxEnv;
let allowed: string;
let adminFile: string;

beforeEach(async () => {
  root = fs.realpathSync(await makeTempDir('uvx-safe-planted-'));
  allowed = path.join(root, 'allowed');
  fs.mkdirSync(allowed);
  adminFile = path.join(root, 'etc', 'config.toml');
  write(adminFile, ['mode = "enforce"', `allowed-roots = ["${allowed}"]`, `data-root = "${allowed}/data"`]);
  // No UV_PYTHON: uv looks for its interpreter itself, as on a developer's machine.
  env = { ...sandboxEnv(path.join(root, 'sandbox')), UVX_SAFE_SYSTEM_CONFIG: adminFile, UV_PYTHON: undefined };
});
afterEach(async () => {
  await fs.promises.rm(root, { recursive: true, force: true });
});

/**
 * A "managed Python" as uv lays them out (`<key>/bin/python3.X`), named after the machine's interpreter:
 * a script that leaves a mark, then runs that interpreter, so uv accepts it.
 */
async function plantPython(pythonDir: string, marker: string): Promise<void> {
  const query = 'import platform, sys; print(f"{sys.implementation.name}-{platform.python_version()}-linux-{platform.machine()}-gnu python3.{sys.version_info[1]}")';
  const info = await runProgram(getPython(), ['-c', query], { env: { PATH: '/usr/bin:/bin' } });
  expect(info.exitCode, explain(info)).toBe(0);
  const [key, exe] = info.stdout.trim().split(' ') as [string, string];
  const bin = path.join(pythonDir, key, 'bin');
  write(path.join(bin, exe), ['#!/bin/sh', `echo ran >> ${JSON.stringify(marker)}`, `exec ${JSON.stringify(getPython())} "$@"`]);
  fs.chmodSync(path.join(bin, exe), 0o755);
  for (const name of ['python3', 'python']) fs.symlinkSync(exe, path.join(bin, name));
}

describe('a repository that ships its own data root', () => {
  it('cannot make uv use it: data-root and locations.python are ignored, uv keeps the admin data root', async () => {
    const repo = path.join(allowed, 'repo');
    const planted = path.join(repo, '.planted');
    const marker = path.join(root, 'planted-python-ran');
    await plantPython(path.join(planted, 'python'), marker);
    const projectFile = path.join(repo, 'uvx-safe.toml');
    // UV_PYTHON_PREFERENCE is a setting a project may choose: only uv-managed Pythons, i.e. the planted one.
    write(projectFile, ['data-root = ".planted"', '[locations]', 'python = ".planted/python"', '[env]', 'UV_PYTHON_PREFERENCE = "only-managed"']);
    const ignored = ['data-root', 'locations.python'].map((key) => `warning: uvx-safe: ${projectFile}: ${key} cannot be set by a project config; ignored`);
    const plantedBefore = listTree(planted);

    for (const [args, dir] of [
      [['python', 'dir'], path.join(allowed, 'data', 'python')],
      [['cache', 'dir'], path.join(allowed, 'data', 'cache')],
    ] as const) {
      const r = await runLauncher(args, { env, cwd: repo });
      expect(r.exitCode, explain(r)).toBe(0);
      expect(r.stdout.trim(), explain(r)).toBe(dir);
      expect(r.stderr.split('\n'), explain(r)).toEqual(ignored);
    }

    // uv looks for a managed Python under the admin's data root, finds none, and never runs the plant.
    const run = await runLauncher(['run', '--no-project', 'python', '-c', 'import sys; print(sys.executable)'], { env, cwd: repo });
    expect(run.exitCode, explain(run)).not.toBe(0);
    expect(run.stderr, explain(run)).toContain('managed');
    expect(run.stdout, explain(run)).toBe('');
    expect(fs.existsSync(marker), 'uv ran the planted Python').toBe(false);
    expect(listTree(planted)).toEqual(plantedBefore);

    // The plant is one uv would run: the admin may point locations.python at it, and then it does.
    write(adminFile, ['mode = "enforce"', `allowed-roots = ["${allowed}"]`, `data-root = "${allowed}/data"`, '[locations]', `python = "${planted}/python"`]);
    const control = await runLauncher(['run', '--no-project', 'python', '-c', 'print("ok")'], { env, cwd: repo });
    expect(control.exitCode, explain(control)).toBe(0);
    expect(control.stdout.trim()).toBe('ok');
    expect(fs.existsSync(marker), 'the control should have run the planted Python').toBe(true);
  });
});
