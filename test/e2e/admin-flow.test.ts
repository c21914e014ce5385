// Issue 16, "Prove it": the admin's flow from docs/admin-guide.md and docs/deploy.md, in the order written,
// on a hardened Linux profile (HOME, XDG folders and TMPDIR on a noexec mount), with scratch stand-ins
// for /etc/uvx-safe, /srv/dev and /opt/uvx-safe (never the real ones):
//   §1-3  the enforce policy first: shared root mode 1777, data-root {user}, locked keys, validated,
//         deployed root-owned 0644 in a 0755 folder;
//   docs/deploy.md `install -D -m 755 uvx-safe-linux-x64 /opt/uvx-safe/uvx-safe`, then
//   `/opt/uvx-safe/uvx-safe safe shims install --dir /opt/uvx-safe/bin`, that folder first on PATH;
//   a developer's `uv sync` (through the shim found on PATH) of a project whose build runs a tool
//   from its build requirements, which fails on this profile without uvx-safe (seed-repro.test.ts);
//   `uv safe doctor`: every check ok.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { expectStampImportable } from '../helpers/expectations.js';
import { makeProjectUsingToolBuiltPackage, offlineIndexArgs } from '../helpers/fixtures.js';
import { launcherForms } from '../helpers/forms.js';
import { explain, getUv, runProgram, type RunResult } from '../helpers/uv.js';
import { useNoexecWorkspace } from '../helpers/workspace.js';
import type { DoctorReport } from '../../src/doctor/types.js';

const exeForm = launcherForms().find((f) => f.name === 'linux-exe');
const EXE = exeForm ? exeForm.command([])[0] : '';

describe.runIf(exeForm)('the admin flow of the admin guide and deploy.md, in order, on a noexec profile', () => {
  const workspace = useNoexecWorkspace();

  it('policy first, then the executable and its shims; uv sync through the shim builds with a tool; doctor all ok', async () => {
    const ws = workspace();
    const stand = (p: string) => path.join(ws.exec, p);
    const etc = stand('etc/uvx-safe');
    const srv = stand('srv/dev');
    const opt = stand('opt/uvx-safe');

    // §1: the shared root, one folder per user below it.
    fs.mkdirSync(srv, { recursive: true });
    fs.chmodSync(srv, 0o1777);
    // §2: the policy, checked before it ships.
    const draft = stand('config.toml');
    fs.writeFileSync(
      draft,
      [
        'mode = "enforce"',
        `allowed-roots = ["${srv}"]`,
        `data-root = "${srv}/{user}/uv"`,
        'locked = ["mode", "allowed-roots", "data-root", "env.UV_PYTHON_DOWNLOADS"]',
        '',
        '[env]',
        'UV_PYTHON_DOWNLOADS = "never"',
        '',
      ].join('\n'),
    );
    // §3: deployed root-owned, 0644, in a 0755 folder.
    const policy = path.join(etc, 'config.toml');
    const deployed = await execa('install', ['-D', '-m', '644', draft, policy], { reject: false });
    expect(deployed.exitCode, deployed.stderr).toBe(0);
    fs.chmodSync(etc, 0o755);

    const env = { ...ws.env, UVX_SAFE_SYSTEM_CONFIG: policy };
    const launcher = path.join(opt, 'uvx-safe');
    const bin = path.join(opt, 'bin');
    // The machine's PATH as /etc/profile.d/uvx-safe.sh leaves it: the shims first, the real uv later.
    const PATH = [bin, ws.env.PATH, path.dirname(getUv())].join(':');
    const asAdmin = (args: string[]) => runProgram(launcher, args, { env: { ...env, PATH }, cwd: ws.exec });
    const byName = (args: string[], cwd: string): Promise<RunResult> =>
      runProgram('/bin/sh', ['-c', 'exec uv "$@"', 'uv', ...args], { env: { ...env, PATH }, cwd });

    // docs/deploy.md, "Standalone executable and npm", Linux: /opt/uvx-safe does not exist yet; install -D makes it.
    expect(fs.existsSync(opt)).toBe(false);
    const installed = await execa('install', ['-D', '-m', '755', EXE, launcher], { reject: false });
    expect(installed.exitCode, installed.stderr).toBe(0);
    const valid = await asAdmin(['safe', 'config', 'validate', draft]);
    expect(valid.exitCode, explain(valid)).toBe(0);
    const shims = await asAdmin(['safe', 'shims', 'install', '--dir', bin]);
    expect(shims.exitCode, explain(shims)).toBe(0);
    expect(shims.stdout.split('\n').filter(Boolean), explain(shims)).toEqual([`installed ${bin}/uv`, `installed ${bin}/uvx`]);
    expect(shims.stderr, explain(shims)).toBe('');

    // A developer's project under the allowed root; its dependency's build runs build-helper.
    const app = await makeProjectUsingToolBuiltPackage(path.join(srv, 'projects'));
    const sync = await byName(['sync', ...offlineIndexArgs()], app);
    expect(sync.exitCode, explain(sync)).toBe(0);
    await expectStampImportable(path.join(app, '.venv', 'bin', 'python'), ws.env);
    const dataRoot = path.join(srv, os.userInfo().username, 'uv');
    expect(fs.readdirSync(path.join(dataRoot, 'cache')), 'uv built in the data root’s cache').toContain('builds-v0');

    const doctor = await byName(['safe', 'doctor', '--json'], app);
    const report = JSON.parse(doctor.stdout) as DoctorReport;
    const notOk = report.checks.filter((c) => c.status !== 'ok');
    expect(notOk, explain(doctor)).toEqual([]);
    expect(doctor.exitCode, explain(doctor)).toBe(0);
    expect(report.shims).toEqual([{ dir: bin, installedWith: 'dir', files: [`${bin}/uv`, `${bin}/uvx`], stale: [], fix: null }]);
    expect(report.policy.mode.value).toBe('enforce');
  });
});
