// `safe doctor` says when the real uv is newer than the newest uv the argv tables were checked
// against. The real uvs the suite checks (oldest supported, pinned, newest checked) get no such
// line; no released uv is newer than NEWEST_CHECKED_UV yet, so that case uses a stand-in that
// answers `--version` with a newer release and hands everything else to the real uv.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import type { DoctorReport } from '../../src/doctor/types.js';
import { NEWEST_CHECKED_UV } from '../../src/uv/argv.js';
import { explain, getUv, runLauncher, sandboxEnv, type SandboxEnv } from '../helpers/uv.js';
import { makeTempDir } from '../helpers/workspace.js';

describe('safe doctor and the argv tables', () => {
  let root: string;
  let env: SandboxEnv;

  beforeEach(async () => {
    root = await makeTempDir('uvx-safe-doctor-newer-');
    env = sandboxEnv(path.join(root, 'sandbox'));
    const allowed = path.join(root, 'allowed');
    fs.mkdirSync(allowed);
    const admin = path.join(root, 'admin.toml');
    fs.writeFileSync(admin, `mode = "enforce"\nallowed-roots = [${JSON.stringify(allowed)}]\ndata-root = ${JSON.stringify(path.join(allowed, 'uv'))}\n`);
    env = { ...env, UVX_SAFE_SYSTEM_CONFIG: admin };
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it.each(inject('argvCheckUvs').map((uv) => [uv.version, uv.path] as const))(
    'real uv %s: no argv-tables line, exit 0',
    async (version, uvPath) => {
      const r = await runLauncher(['safe', 'doctor', '--json'], { env: { ...env, UVX_SAFE_UV: uvPath }, uv: 'none' });
      expect(r.exitCode, explain(r)).toBe(0);
      const report = JSON.parse(r.stdout) as DoctorReport;
      expect(report.uv).toMatchObject({ path: uvPath, version });
      expect(report.checks.map((c) => c.id)).not.toContain('uv.argv-tables');
    },
  );

  it('a uv newer than NEWEST_CHECKED_UV: one warning line naming the check script, exit 0', async () => {
    const [major, minor] = NEWEST_CHECKED_UV.split('.').map(Number);
    const newer = `${major}.${minor! + 1}.0`;
    const standIn = path.join(root, 'bin', 'uv');
    fs.mkdirSync(path.dirname(standIn));
    fs.writeFileSync(
      standIn,
      `#!/bin/sh\nif [ "$1" = --version ]; then echo "uv ${newer} (stand-in)"; exit 0; fi\nexec ${JSON.stringify(getUv())} "$@"\n`,
      { mode: 0o755 },
    );
    const runEnv = { ...env, UVX_SAFE_UV: standIn };

    const r = await runLauncher(['safe', 'doctor'], { env: runEnv, uv: 'none' });
    expect(r.exitCode, explain(r)).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => l.includes('uv-argv'));
    expect(lines, explain(r)).toEqual([
      `warn  uv-argv        uv ${newer} is newer than ${NEWEST_CHECKED_UV}, the newest uv whose command line uvx-safe's argv tables ` +
        `were checked against; check it from a uvx-safe checkout: npm run argv:check -- ${standIn}`,
    ]);
    expect(r.stdout).toMatch(/uv would run, with warnings/);

    const json = JSON.parse((await runLauncher(['safe', 'doctor', '--json'], { env: runEnv, uv: 'none' })).stdout) as DoctorReport;
    expect(json).toMatchObject({ status: 'warn', exitCode: 0 });
    expect(json.checks.find((c) => c.id === 'uv.argv-tables')).toMatchObject({ status: 'warn', label: 'uv-argv' });
    // The stand-in is otherwise the real uv: uv itself runs through the launcher as ever.
    const uv = await runLauncher(['cache', 'dir'], { env: runEnv, uv: 'none' });
    expect(uv.exitCode, explain(uv)).toBe(0);
    expect(uv.stdout.trim()).toBe(path.join(root, 'allowed', 'uv', 'cache'));
  });
});
