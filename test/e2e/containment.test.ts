// Issue 8, items 1 and 8: every folder and file uvx-safe creates goes through one gate. In enforce
// nothing is created outside allowed-roots on any code path (help and version forms, the cached uv
// version, the doctor probe), and a data root that cannot be made, or that another user owns, is one
// line naming the key and the file that set it. Real uv 0.13.9 behind the launcher.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { explain, runLauncher, type SandboxEnv } from '../helpers/uv.js';
import { createdOutside, listTree } from '../helpers/tree.js';
import { expectRefused, policySandbox, writeLines } from '../helpers/refusal.js';
import { skipOrFail } from '../helpers/system-tools.js';

let root: string;
let env: SandboxEnv;
let allowed: string;
let outside: string;
let adminFile: string;
let project: string;

const write = writeLines;

beforeEach(async () => {
  ({ root, env, allowed, outside, adminFile } = await policySandbox('uvx-safe-contain-'));
  project = path.join(allowed, 'proj');
  fs.mkdirSync(project);
});
afterEach(async () => {
  await fs.promises.rm(root, { recursive: true, force: true });
});


const HELP_FORMS = [['--version'], ['-V'], ['-h'], ['help'], ['sync', '--help'], ['pip', '--help']];

describe('help and version forms', () => {
  it('refuse a data-root outside allowed-roots in enforce, and create nothing anywhere', async () => {
    write(adminFile, ['mode = "enforce"', `allowed-roots = ["${allowed}"]`, `data-root = "${allowed}/data"`]);
    const userFile = path.join(env.XDG_CONFIG_HOME, 'uvx-safe', 'config.toml');
    write(userFile, [`data-root = "${outside}"`]);
    const before = listTree(root);
    const results = await Promise.all(HELP_FORMS.map((args) => runLauncher(args, { env, cwd: project })));
    for (const r of results) expectRefused(r, 'data-root', outside, userFile);
    expect(fs.existsSync(outside)).toBe(false);
    expect(createdOutside(root, before, [])).toEqual([]);
  });

  it('ignore a project data-root (outside allowed-roots here) with one warning, and create nothing anywhere', async () => {
    write(adminFile, ['mode = "enforce"', `allowed-roots = ["${allowed}"]`, `data-root = "${allowed}/data"`]);
    const projectFile = path.join(project, '.uvx-safe.toml');
    write(projectFile, [`data-root = "${outside}"`]);
    const before = listTree(root);
    const results = await Promise.all(HELP_FORMS.map((args) => runLauncher(args, { env, cwd: project })));
    for (const r of results) {
      expect(r.exitCode, explain(r)).toBe(0);
      expect(r.stderr, explain(r)).toBe(`warning: uvx-safe: ${projectFile}: data-root cannot be set by a project config; ignored`);
    }
    expect(results[0]!.stdout).toMatch(/^uv 0\.13\./);
    expect(fs.existsSync(outside)).toBe(false);
    expect(listTree(root)).toEqual(before);
  });

  it('run under a good policy and create no folder at all: uv uses none for them', async () => {
    write(adminFile, ['mode = "enforce"', `allowed-roots = ["${allowed}"]`, `data-root = "${allowed}/data"`]);
    const before = listTree(root);
    const results = await Promise.all(HELP_FORMS.map((args) => runLauncher(args, { env, cwd: project })));
    for (const r of results) expect(r.exitCode, explain(r)).toBe(0);
    expect(results[0]!.stdout).toMatch(/^uv 0\.13\./);
    expect(listTree(root)).toEqual(before);
  });
});

describe('the cached uv version', () => {
  it('is written under data-root, and not at all when the state folder would lie outside allowed-roots', async () => {
    write(adminFile, ['mode = "enforce"', `allowed-roots = ["${allowed}"]`, `data-root = "${allowed}/data"`, 'uv-version = ">=0.13"']);
    const cached = await runLauncher(['cache', 'dir'], { env, cwd: project });
    expect(cached.exitCode, explain(cached)).toBe(0);
    expect(fs.existsSync(path.join(allowed, 'data', '.uvx-safe', 'uv-versions.json'))).toBe(true);

    // No data-root: the state folder would be the user cache folder, outside allowed-roots.
    write(adminFile, ['mode = "enforce"', `allowed-roots = ["${allowed}"]`, 'uv-version = ">=0.13"']);
    const before = listTree(root);
    const r = await runLauncher(['--version'], { env, cwd: project });
    expect(r.exitCode, explain(r)).toBe(0);
    expect(fs.existsSync(path.join(env.XDG_CACHE_HOME, 'uvx-safe'))).toBe(false);
    expect(listTree(root)).toEqual(before);
  });
});

describe('safe doctor', () => {
  it('writes no probe and creates no folder outside allowed-roots in enforce', async () => {
    write(adminFile, ['mode = "enforce"', `allowed-roots = ["${allowed}"]`, `data-root = "${allowed}/data"`]);
    // An unlocked key pointing outside: data-root from the user config (a project file cannot set it).
    write(path.join(env.XDG_CONFIG_HOME, 'uvx-safe', 'config.toml'), [`data-root = "${outside}/data"`]);
    fs.mkdirSync(outside);
    const before = listTree(root);
    const r = await runLauncher(['safe', 'doctor', '--json'], { env, cwd: project });
    expect(r.exitCode, explain(r)).toBe(1);
    const report = JSON.parse(r.stdout) as { locations: { name: string; path: string; probedFolder: string | null; writable: boolean | null; status: string }[] };
    const cache = report.locations.find((l) => l.name === 'cache')!;
    expect(cache.path).toBe(path.join(outside, 'data', 'cache'));
    expect(cache.status).toBe('fail');
    expect(cache.writable, 'the probe must not be written outside allowed-roots').toBeNull();
    expect(createdOutside(root, before, [allowed])).toEqual([]);
  });
});

describe('safe shims install', () => {
  it('puts the shims where the installer says, outside allowed-roots too (issue 16), and nothing else outside', async () => {
    write(adminFile, ['mode = "enforce"', `allowed-roots = ["${allowed}"]`, `data-root = "${allowed}/data"`, 'locked = ["mode", "allowed-roots", "data-root"]']);
    const before = listTree(root);
    const out = await runLauncher(['safe', 'shims', 'install', '--dir', path.join(outside, 'bin')], { env, cwd: project });
    expect(out.exitCode, explain(out)).toBe(0);
    expect(out.stdout, explain(out)).toContain(`installed ${path.join(outside, 'bin', 'uv')}`);
    expect(createdOutside(root, before, [allowed, path.join(outside, 'bin')])).toEqual(['outside/']);
    expect(fs.readdirSync(path.join(outside, 'bin')).sort()).toEqual(['uv', 'uvx']);
  });
});

describe('data root hygiene and clear errors', () => {
  it('an allowed root that does not exist is an error naming it, and nothing is created', async () => {
    const missing = path.join(root, 'missing-root');
    write(adminFile, ['mode = "enforce"', `allowed-roots = ["${missing}"]`, `data-root = "${missing}/data"`]);
    const before = listTree(root);
    expectRefused(await runLauncher(['cache', 'dir'], { env, cwd: project }), adminFile, 'allowed-roots.0', missing, 'does not exist');
    expect(listTree(root)).toEqual(before);
  });

  // Issue 14 item 5: a fleet with uneven machines.
  it('an optional root that is absent is skipped, with a doctor warning; nothing is created there', async () => {
    const share = path.join(root, 'offline-share');
    write(adminFile, ['mode = "enforce"', `allowed-roots = ["${allowed}", { path = "${share}", optional = true }]`, `data-root = "${allowed}/data"`]);
    const r = await runLauncher(['cache', 'dir'], { env, cwd: project });
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stdout.trim(), explain(r)).toBe(path.join(allowed, 'data', 'cache'));
    expect(r.stderr, explain(r)).toBe('');
    // A flag naming the absent root is outside what this machine allows.
    expectRefused(await runLauncher(['--cache-dir', path.join(share, 'c'), 'cache', 'dir'], { env, cwd: project }), `lies outside allowed-roots (${allowed}; skipped: ${share})`);
    const doctor = await runLauncher(['safe', 'doctor', '--json'], { env, cwd: project });
    const checks = (JSON.parse(doctor.stdout) as { checks: { id: string; status: string; message: string }[] }).checks;
    expect(checks.filter((c) => c.id.startsWith('policy.allowed-roots.absent')), explain(doctor)).toEqual([
      expect.objectContaining({ status: 'warn', message: expect.stringContaining(`${share} (optional, from admin ${adminFile}) does not exist on this machine: skipped`) }),
    ]);
    expect(fs.existsSync(share)).toBe(false);
  });

  it('with its only root optional and absent, enforce refuses every location: never "nothing to check"', async () => {
    const share = path.join(root, 'offline-share');
    write(adminFile, ['mode = "enforce"', `allowed-roots = [{ path = "${share}", optional = true }]`, `data-root = "${share}/data"`]);
    const before = listTree(root);
    expectRefused(await runLauncher(['cache', 'dir'], { env, cwd: project }), 'data-root', 'lies outside allowed-roots (none present; skipped: ');
    expect(listTree(root)).toEqual(before);
  });

  it('a data root that is a file names the key and the file that set it', async () => {
    const file = path.join(allowed, 'data');
    fs.writeFileSync(file, 'not a folder');
    write(adminFile, ['mode = "enforce"', `allowed-roots = ["${allowed}"]`, `data-root = "${file}"`]);
    expectRefused(await runLauncher(['cache', 'dir'], { env, cwd: project }), 'data-root', adminFile, file, 'a file is in the way');
  });

  it('a read-only data root names the key and the file that set it', async (ctx) => {
    const ro = path.join(allowed, 'ro');
    fs.mkdirSync(ro);
    const { execa } = await import('execa');
    const mounted = await execa('mount', ['-t', 'tmpfs', '-o', 'ro', 'tmpfs', ro], { reject: false });
    if (mounted.exitCode !== 0) skipOrFail(ctx, `cannot mount a read-only tmpfs (run as root): ${mounted.stderr.trim()}`);
    try {
      write(adminFile, ['mode = "enforce"', `allowed-roots = ["${allowed}"]`, `data-root = "${ro}/data"`]);
      expectRefused(await runLauncher(['cache', 'dir'], { env, cwd: project }), 'data-root', adminFile, 'EROFS');
    } finally {
      await execa('umount', [ro], { reject: false });
    }
  });

  it('a data root owned by another user is refused in enforce and FAILs in doctor; a group-writable one FAILs', async (ctx) => {
    if (process.getuid?.() !== 0) skipOrFail(ctx, 'chown to another user needs root (run as root)');
    const data = path.join(allowed, 'data');
    fs.mkdirSync(data, { mode: 0o700 });
    write(adminFile, ['mode = "enforce"', `allowed-roots = ["${allowed}"]`, `data-root = "${data}"`]);
    fs.chownSync(data, 4242, 4242);
    expectRefused(await runLauncher(['cache', 'dir'], { env, cwd: project }), data, 'owned by another user', 'uid 4242');
    const doctor = await runLauncher(['safe', 'doctor'], { env, cwd: project });
    expect(doctor.exitCode, explain(doctor)).toBe(1);
    expect(doctor.stdout).toMatch(/FAIL\s+data-root\s+.*owned by another user/);

    fs.chownSync(data, 0, 0);
    fs.chmodSync(data, 0o775);
    const loose = await runLauncher(['safe', 'doctor'], { env, cwd: project });
    expect(loose.exitCode, explain(loose)).toBe(1);
    expect(loose.stdout).toMatch(/FAIL\s+data-root\s+.*writable by group or others \(mode 775\)/);
  });
});
