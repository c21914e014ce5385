// `safe doctor --json` as a fleet collects it (issue 18): the real output, from a clean and from a
// failing machine, in both shipped forms, validates against the published docs/doctor.schema.json
// (and against a strict copy, so that no field goes undocumented), and its host, user, time and
// sha256 values are the machine's and the files' own.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../src/doctor/types.js';
import { doctorValidators } from '../helpers/doctor-schema.js';
import { launcherForms, needForm } from '../helpers/forms.js';
import { LAUNCHER_BUNDLE, REPO_ROOT } from '../helpers/paths.js';
import { policySandbox, writeLines, type PolicySandbox } from '../helpers/refusal.js';
import { explain, runLauncher, type RunResult } from '../helpers/uv.js';

const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('safe doctor --json for a fleet', () => {
  let box: PolicySandbox;
  let userFile: string;
  let project: string;
  let projectFile: string;
  const { published, strict: closed } = doctorValidators();

  beforeAll(async () => {
    box = await policySandbox('uvx-safe-fleet-');
    writeLines(box.adminFile, ['mode = "enforce"', `allowed-roots = ["${box.allowed}"]`, `data-root = "${box.allowed}/data"`, 'locked = ["mode", "allowed-roots"]']);
    userFile = path.join(box.env.XDG_CONFIG_HOME, 'uvx-safe', 'config.toml');
    writeLines(userFile, ['[env]', 'UV_LINK_MODE = "copy"']);
    project = path.join(box.allowed, 'proj');
    projectFile = path.join(project, 'uvx-safe.toml');
    writeLines(projectFile, ['[env]', 'UV_COMPILE_BYTECODE = "1"']);
  });
  afterAll(() => fs.rmSync(box.root, { recursive: true, force: true }));

  const expectValid = (r: RunResult, report: DoctorReport) => {
    expect(published(report), `${JSON.stringify(published.errors, null, 2)}\n${explain(r)}`).toBe(true);
    expect(closed(report), `a field docs/doctor.schema.json does not name: ${JSON.stringify(closed.errors, null, 2)}`).toBe(true);
  };

  for (const form of launcherForms()) {
    it(`${form.name}: a clean machine: exit 0, valid, host/user/time and every sha256 right`, async (ctx) => {
      needForm(ctx, form);
      const before = new Date();
      // UVX_SAFE_MODE at the admin's own value: the env layer exists, and overrides nothing.
      const r = await runLauncher(['safe', 'doctor', '--json'], { env: { ...box.env, UVX_SAFE_MODE: 'enforce' }, cwd: project, form });
      const after = new Date();
      expect(r.exitCode, explain(r)).toBe(0);
      const report = JSON.parse(r.stdout) as DoctorReport;
      expectValid(r, report);
      expect(report).toMatchObject({ schemaVersion: 2, schema: 2, status: expect.stringMatching(/^(ok|warn)$/), exitCode: 0 });
      expect(report.host).toBe(os.hostname());
      expect(report.user).toBe(os.userInfo().username);
      expect(Date.parse(report.time)).toBeGreaterThanOrEqual(before.getTime());
      expect(Date.parse(report.time)).toBeLessThanOrEqual(after.getTime());
      expect(report.time.endsWith('Z')).toBe(true);

      const file = form.name === 'npm' ? LAUNCHER_BUNDLE : form.command([])[0];
      expect(report.launcher).toMatchObject({ form: form.name === 'npm' ? 'npm' : 'standalone', file, sha256: sha256(file) });
      expect(report.launcher.version).toBe(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version);

      expect(report.policy.layers.map(({ layer, path: p, sha256: h, exists, variables }) => ({ layer, path: p, sha256: h, exists, variables }))).toEqual([
        { layer: 'admin', path: box.adminFile, sha256: sha256(box.adminFile), exists: true, variables: null },
        { layer: 'user', path: userFile, sha256: sha256(userFile), exists: true, variables: null },
        { layer: 'project', path: projectFile, sha256: sha256(projectFile), exists: true, variables: null },
        { layer: 'env', path: null, sha256: null, exists: true, variables: ['UVX_SAFE_MODE'] },
      ]);
      expect(report.policy.locked).toEqual(['mode', 'allowed-roots']);
    });
  }

  it('a failing machine (uv outside uv-version, no user file, no project): exit 1, still valid', async () => {
    const admin = path.join(box.root, 'failing.toml');
    writeLines(admin, ['mode = "enforce"', `allowed-roots = ["${box.allowed}"]`, `data-root = "${box.allowed}/data"`, 'uv-version = ">=99"']);
    const env = { ...box.env, UVX_SAFE_SYSTEM_CONFIG: admin, XDG_CONFIG_HOME: path.join(box.root, 'no-config') };
    const r = await runLauncher(['safe', 'doctor', '--json'], { env, cwd: box.env.HOME });
    expect(r.exitCode, explain(r)).toBe(1);
    const report = JSON.parse(r.stdout) as DoctorReport;
    expectValid(r, report);
    expect(report).toMatchObject({ status: 'fail', exitCode: 1 });
    expect(report.checks.find((c) => c.id === 'uv.version')?.status).toBe('fail');
    expect(report.policy.layers.map((l) => [l.layer, l.exists, l.sha256])).toEqual([
      ['admin', true, sha256(admin)],
      ['user', false, null],
      ['project', false, null],
      ['env', false, null],
    ]);
    expect(report.policy.locked).toEqual([]);
  });

  it('the schema is not a rubber stamp: a report missing a field, with a bad status or a bad hash fails it', async () => {
    const r = await runLauncher(['safe', 'doctor', '--json'], { env: box.env, cwd: project });
    const report = JSON.parse(r.stdout) as Record<string, unknown> & DoctorReport;
    expectValid(r, report);
    const { host: _host, ...noHost } = report;
    expect(published(noHost)).toBe(false);
    expect(published({ ...report, status: 'fine' })).toBe(false);
    expect(published({ ...report, checks: [{ ...report.checks[0]!, status: 'FAIL' }] })).toBe(false);
    expect(published({ ...report, launcher: { ...report.launcher, sha256: 'ABC' } })).toBe(false);
    expect(published({ ...report, time: '2026-12-03 14:00' })).toBe(false);
    // A field the schema does not name: the published schema lets later versions add fields, the strict copy does not.
    expect(published({ ...report, extra: 1 })).toBe(true);
    expect(closed({ ...report, extra: 1 })).toBe(false);
  });
});
