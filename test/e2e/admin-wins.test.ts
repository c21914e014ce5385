// The admin's file wins (issue 18): with a policy at the real admin path (/etc/uvx-safe/config.toml, in
// a private mount namespace: test/helpers/admin-policy.ts), UVX_SAFE_SYSTEM_CONFIG naming another file
// and a UVX_SAFE_* variable for a locked key cannot replace or loosen it. Refused in enforce (exit 2,
// nothing created), a warning otherwise; doctor reports it as policy.overridden.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../src/doctor/types.js';
import { adminNamespaceUnavailable, runWithAdminPolicy, writeAdminPolicy, writeNoAdminPolicy } from '../helpers/admin-policy.js';
import { expectRefused, messagesOf, policySandbox, writeLines } from '../helpers/refusal.js';
import { skipOrFail } from '../helpers/system-tools.js';
import { explain, getUv, LAUNCHER, type RunResult, type SandboxEnv } from '../helpers/uv.js';

const ADMIN = '/etc/uvx-safe/config.toml';

describe("the admin's file at its platform path wins over UVX_SAFE_* variables", () => {
  let root: string;
  let env: SandboxEnv;
  let allowed: string;
  let outside: string;
  /** The file UVX_SAFE_SYSTEM_CONFIG names: an empty policy (uv would run unchanged). */
  let empty: string;
  let nsRoot: string;
  let unavailable: string | undefined;

  beforeAll(async () => {
    ({ root, env, allowed, outside } = await policySandbox('uvx-safe-adminwins-'));
    empty = path.join(root, 'empty.toml');
    fs.writeFileSync(empty, '');
    nsRoot = path.join(root, 'ns');
    unavailable = await adminNamespaceUnavailable(writeAdminPolicy(nsRoot, ''));
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  const admin = (lines: string[]) => writeAdminPolicy(nsRoot, `${lines.join('\n')}\n`);
  const enforce = () => ['mode = "enforce"', `allowed-roots = ["${allowed}"]`, `data-root = "${allowed}/data"`, 'locked = ["mode", "allowed-roots", "data-root"]'];
  /** The launcher in front of the real uv, seeing the policy under nsRoot at /etc/uvx-safe/config.toml. */
  const run = (ctx: { skip: (note?: string) => void }, args: string[], extra: Record<string, string | undefined>): Promise<RunResult> => {
    if (unavailable) skipOrFail(ctx, unavailable);
    const e = { ...env, UVX_SAFE_SYSTEM_CONFIG: undefined, ...extra, PATH: `${path.dirname(getUv())}:${env.PATH}` };
    return runWithAdminPolicy(nsRoot, process.execPath, [LAUNCHER, ...args], { env: e, cwd: env.HOME });
  };
  const doctor = async (ctx: { skip: (note?: string) => void }, extra: Record<string, string | undefined>) => {
    const r = await run(ctx, ['safe', 'doctor', '--json'], extra);
    const report = JSON.parse(r.stdout) as DoctorReport;
    return { r, report, overridden: report.checks.filter((c) => c.id === 'policy.overridden') };
  };

  it('the seam works: the launcher reads the admin file at /etc/uvx-safe, not the host one', async (ctx) => {
    admin(enforce());
    const r = await run(ctx, ['cache', 'dir'], {});
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stdout.trim()).toBe(`${allowed}/data/cache`);
    expect(r.stderr, explain(r)).toBe('');
  });

  it('in enforce, UVX_SAFE_SYSTEM_CONFIG naming another file is refused: the variable and the admin file named, nothing created', async (ctx) => {
    admin(enforce());
    fs.rmSync(path.join(allowed, 'data'), { recursive: true, force: true });
    const cache = path.join(env.HOME, 'c');
    const r = await run(ctx, ['--cache-dir', cache, 'cache', 'dir'], { UVX_SAFE_SYSTEM_CONFIG: empty });
    const said = expectRefused(r, 'UVX_SAFE_SYSTEM_CONFIG', `names ${empty}`, ADMIN, 'mode = enforce');
    expect(said.hint).toBe(`unset UVX_SAFE_SYSTEM_CONFIG; the admin's policy at ${ADMIN} applies`);
    expect(fs.existsSync(cache)).toBe(false);
    expect(fs.existsSync(path.join(allowed, 'data'))).toBe(false);
  });

  it('in enforce, a variable for a locked key is refused; the same value as the admin is no override', async (ctx) => {
    admin(enforce());
    const r = await run(ctx, ['cache', 'dir'], { UVX_SAFE_DATA_ROOT: outside });
    const said = expectRefused(r, 'UVX_SAFE_DATA_ROOT sets data-root, which the admin locked', ADMIN);
    expect(said.hint).toBe(`unset UVX_SAFE_DATA_ROOT; the admin's policy at ${ADMIN} applies`);
    expect(fs.existsSync(outside)).toBe(false);
    expectRefused(await run(ctx, ['cache', 'dir'], { UVX_SAFE_MODE: 'off' }), 'UVX_SAFE_MODE sets mode, which the admin locked');
    const same = await run(ctx, ['cache', 'dir'], { UVX_SAFE_DATA_ROOT: `${allowed}/data`, UVX_SAFE_SYSTEM_CONFIG: ADMIN });
    expect(same.exitCode, explain(same)).toBe(0);
    expect(same.stderr, explain(same)).toBe('');
  });

  it('in warn, the admin file still wins, with one warning per override; uv runs with the admin values', async (ctx) => {
    admin(['mode = "warn"', `allowed-roots = ["${allowed}"]`, `data-root = "${allowed}/data"`, 'locked = ["data-root"]']);
    const r = await run(ctx, ['cache', 'dir'], { UVX_SAFE_SYSTEM_CONFIG: empty, UVX_SAFE_DATA_ROOT: `${allowed}/mine` });
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stdout.trim()).toBe(`${allowed}/data/cache`);
    expect(messagesOf(r.stderr).map((m) => [m.level, m.message]), explain(r)).toEqual([
      ['warning', `UVX_SAFE_SYSTEM_CONFIG names ${empty}, but the admin's policy at ${ADMIN} applies; ignored`],
      ['warning', `UVX_SAFE_DATA_ROOT sets data-root, which the admin locked, but the admin's policy at ${ADMIN} applies; ignored`],
    ]);
  });

  it('safe doctor reports it: policy.overridden FAIL in enforce (exit 1), warn in warn, ok without one', async (ctx) => {
    admin(enforce());
    const failing = await doctor(ctx, { UVX_SAFE_SYSTEM_CONFIG: empty });
    expect(failing.r.exitCode, explain(failing.r)).toBe(1);
    expect(failing.overridden).toEqual([
      {
        id: 'policy.overridden',
        label: 'admin policy',
        status: 'fail',
        message: `UVX_SAFE_SYSTEM_CONFIG names ${empty}: uv would be refused (mode = enforce); unset UVX_SAFE_SYSTEM_CONFIG: the admin's policy at ${ADMIN} applies`,
      },
    ]);
    expect(failing.report.policy.adminFile).toBe(ADMIN);
    expect(failing.report.policy.overrides).toEqual([{ variable: 'UVX_SAFE_SYSTEM_CONFIG', adminFile: ADMIN, attempt: `names ${empty}`, undo: 'unset UVX_SAFE_SYSTEM_CONFIG' }]);
    // The human output says it too.
    const human = await run(ctx, ['safe', 'doctor'], { UVX_SAFE_SYSTEM_CONFIG: empty });
    expect(human.stdout, explain(human)).toMatch(/^FAIL\s+admin policy\s+UVX_SAFE_SYSTEM_CONFIG names /m);

    const clean = await doctor(ctx, {});
    expect(clean.overridden.map((c) => c.status)).toEqual(['ok']);
    expect(clean.report.policy.overrides).toEqual([]);

    admin(['mode = "warn"', `allowed-roots = ["${allowed}"]`, 'locked = ["mode"]']);
    const warned = await doctor(ctx, { UVX_SAFE_MODE: 'off' });
    expect(warned.overridden.map((c) => [c.status, c.message])).toEqual([
      ['warn', `UVX_SAFE_MODE sets mode, which the admin locked: ignored, the admin's policy at ${ADMIN} applies; unset UVX_SAFE_MODE`],
    ]);
  });

  it('safe config validate checks the admin file, not the one the variable names, and says so', async (ctx) => {
    admin(enforce());
    fs.writeFileSync(empty, 'mode = "bogus"\n');
    try {
      const r = await run(ctx, ['safe', 'config', 'validate'], { UVX_SAFE_SYSTEM_CONFIG: empty });
      expect(r.stdout, explain(r)).toContain(`${ADMIN}: valid (admin layer)`);
      expect(r.stdout).not.toContain(empty);
      expect(messagesOf(r.stderr).map((m) => m.message), explain(r)).toContain(
        `UVX_SAFE_SYSTEM_CONFIG names ${empty}, but the admin's policy at ${ADMIN} applies; ignored`,
      );
    } finally {
      fs.writeFileSync(empty, '');
    }
  });

  it('without an admin file, UVX_SAFE_SYSTEM_CONFIG still names the policy (trials, machines without one)', async (ctx) => {
    const trial = path.join(root, 'trial.toml');
    writeLines(trial, ['mode = "enforce"', `allowed-roots = ["${allowed}"]`, `data-root = "${allowed}/trial"`]);
    // An empty /etc/uvx-safe in the namespace, whatever this machine has there.
    writeNoAdminPolicy(nsRoot);
    const r = await run(ctx, ['cache', 'dir'], { UVX_SAFE_SYSTEM_CONFIG: trial });
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stdout.trim()).toBe(`${allowed}/trial/cache`);
    expect(r.stderr, explain(r)).toBe('');
  });
});
