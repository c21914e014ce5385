// The managed uv (uv-source + uv-version) against the REAL uv wheel served from a simple index on
// 127.0.0.1: installed into the data root on first use, run offline afterwards, hashes enforced,
// parallel first runs installing once, ranges, an unreachable index, and `uv self update` refused.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { launcherForms, needForm, NPM_FORM, type LauncherForm } from '../helpers/forms.js';
import { explain, runProgram, sandboxEnv, type SandboxEnv } from '../helpers/uv.js';
import { fakeUvWheel, makeTestCa, serveProxy, serveSimpleIndex, sha256, type ServedFile, type SimpleIndex } from '../helpers/simple-index.js';
import { needTool } from '../helpers/system-tools.js';
import { expectRefused } from '../helpers/refusal.js';
import { makeTempDir } from '../helpers/workspace.js';
import { closedPort } from '../helpers/closed-port.js';

const PIN = '0.13.9';
let root: string;
let env: SandboxEnv;
let allowed: string;
let dataRoot: string;
let index: SimpleIndex | undefined;

const realWheel = (): ServedFile => {
  const file = inject('uvWheel');
  return { filename: path.basename(file), data: fs.readFileSync(file) };
};

/** Every file under `dir`, relative. */
function tree(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).sort();
}

function writePolicy(lines: string[]): void {
  const file = path.join(root, 'policy.toml');
  fs.writeFileSync(
    file,
    ['mode = "enforce"', `allowed-roots = [${JSON.stringify(allowed)}]`, `data-root = ${JSON.stringify(dataRoot)}`, ...lines, ''].join('\n'),
  );
  env.UVX_SAFE_SYSTEM_CONFIG = file;
}

async function serve(files: ServedFile[], options?: Parameters<typeof serveSimpleIndex>[1]): Promise<SimpleIndex> {
  index = await serveSimpleIndex(files, options);
  return index;
}

/** No uv anywhere but the managed one: PATH has no uv and UVX_SAFE_UV is unset. */
const run = (args: string[], form: LauncherForm = NPM_FORM, extra: Record<string, string> = {}) => {
  const [file, full] = form.command(args);
  return runProgram(file, full, { env: { ...env, ...extra } });
};
const store = () => path.join(dataRoot, 'uv');

beforeEach(async () => {
  root = await makeTempDir('uvx-safe-managed-');
  env = sandboxEnv(path.join(root, 'sandbox'));
  allowed = path.join(root, 'allowed');
  dataRoot = path.join(allowed, 'data');
  fs.mkdirSync(allowed);
});
afterEach(async () => {
  await index?.close();
  index = undefined;
  await fs.promises.rm(root, { recursive: true, force: true });
});

describe.each(launcherForms().map((form) => [form.name, form] as const))('first use (%s form)', (_name, form) => {
  beforeEach((ctx) => needForm(ctx, form));
  it('installs the pinned uv into the data root and runs it, nothing under the profile; offline afterwards', async () => {
    const served = await serve([realWheel()], { json: true });
    writePolicy([`uv-source = "${served.url}"`, `uv-version = "==${PIN}"`]);

    // Before the first run: doctor says the next uv call installs it (a warning, not a failure).
    const before = await run(['safe', 'doctor', '--json'], form);
    expect(before.exitCode, explain(before)).toBe(0);
    const early = JSON.parse(before.stdout);
    expect(early.managedUv).toMatchObject({ installed: [], used: null, newestAllowed: PIN, newerAvailable: true, status: 'warn' });
    expect(early.checks.find((c: { id: string }) => c.id === 'uv.managed').message).toMatch(/^not installed yet: the next uv call installs uv 0\.13\.9 from uv-source/);
    expect(tree(store()).filter((f) => f !== '.install.lock')).toEqual([]);

    const first = await run(['--version'], form);
    expect(first.exitCode, explain(first)).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`^uv ${PIN.replace(/\./g, '\\.')}\\b`));
    expect(first.stderr.trim().split('\n')).toEqual([`uvx-safe: installed uv ${PIN} into ${path.join(store(), PIN)} (from ${served.url}/)`]);
    expect(tree(path.join(store(), PIN))).toEqual(['uv', 'uvx', 'uvx-safe-install.json']);
    expect(fs.statSync(path.join(store(), PIN, 'uv')).mode & 0o111).not.toBe(0);
    // Nothing of ours in the profile: home, XDG folders stay empty.
    for (const dir of [env.HOME, env.XDG_CACHE_HOME, env.XDG_DATA_HOME, env.XDG_BIN_HOME, env.XDG_CONFIG_HOME]) expect(tree(dir), dir).toEqual([]);
    expect(served.hits.get(`/files/${realWheel().filename}`)).toBe(1);

    served.unreachable();
    const offline = await run(['--version'], form);
    expect(offline.exitCode, explain(offline)).toBe(0);
    expect(offline.stdout).toBe(first.stdout);
    expect(offline.stderr).toBe('');

    // The managed uv does real work through the launcher (a Python one-liner, offline).
    const work = await run(['run', '--no-project', '--', 'python', '-c', 'print("managed ok")'], form);
    expect(work.exitCode, explain(work)).toBe(0);
    expect(work.stdout.trim()).toBe('managed ok');

    const debug = await run(['--version'], form, { UVX_SAFE_DEBUG: '1' });
    expect(debug.stderr).toContain(`uv: ${path.join(store(), PIN, 'uv')} (managed uv ${PIN}: the newest installed in ${store()}`);

    const doctor = await run(['safe', 'doctor', '--json'], form);
    expect(doctor.exitCode, explain(doctor)).toBe(0);
    const report = JSON.parse(doctor.stdout);
    expect(report.uv).toMatchObject({ foundBy: 'managed', version: PIN, path: path.join(store(), PIN, 'uv') });
    expect(report.managedUv).toMatchObject({ source: served.url, store: store(), installed: [PIN], used: PIN, error: expect.stringContaining('cannot reach'), status: 'warn' });
    expect(report.checks.find((c: { id: string }) => c.id === 'uv-writes.self-update').message).toMatch(/^`uv self update` is refused for the managed uv/);

    const list = await run(['safe', 'uv', 'list'], form);
    expect(list.exitCode, explain(list)).toBe(0);
    expect(list.stdout.split('\n')[0]).toBe(`* ${PIN}  ${path.join(store(), PIN, 'uv')}`);
  });
});

describe('uv self update', () => {
  it('refuses `uv self update` of the managed uv with one line naming uv-version and uv-source (exit 2)', async () => {
    const served = await serve([realWheel()]);
    writePolicy([`uv-source = "${served.url}"`, `uv-version = ">=0.13, <0.14"`]);
    // Refused before anything is installed, too.
    const early = await run(['self', 'update']);
    expectRefused(early);
    expect(early.stderr).toMatch(/^error: uvx-safe: uv self update: this uv is managed by uvx-safe/);
    expect(served.hits.size).toBe(0);
    expect((await run(['--version'])).exitCode).toBe(0);
    const update = await run(['self', 'update']);
    const refusal = expectRefused(update, 'ask the admin for a new uv-version, then run `uvx-safe safe uv install`');
    expect(refusal.message).toMatch(/^uv self update: this uv is managed by uvx-safe; the policy decides its version: uv-version ">=0\.13, <0\.14" \(from .*policy\.toml\) from uv-source http:\/\/127\.0\.0\.1:\d+\/simple/);
    expect(tree(path.join(store(), PIN))).toEqual(['uv', 'uvx', 'uvx-safe-install.json']);
  });
});

describe('integrity', () => {
  it('refuses a wheel whose sha256 does not match the index: exit 2, nothing installed', async () => {
    const served = await serve([{ ...realWheel(), sha256: 'a'.repeat(64) }]);
    writePolicy([`uv-source = "${served.url}"`, `uv-version = "==${PIN}"`]);
    const r = await run(['--version']);
    expect(expectRefused(r).message).toMatch(new RegExp(`^uv-${PIN.replace(/\./g, '\\.')}-.*\\.whl from uv-source .* has sha256 [0-9a-f]{64}, but the index says a{64}; refused, nothing installed$`));
    expect(tree(store()).filter((f) => f !== '.install.lock')).toEqual([]);
    expect(tree(store())).toEqual([]);
  });

  it('refuses a wheel the index gives no sha256 for', async () => {
    const served = await serve([{ ...realWheel(), sha256: null }]);
    writePolicy([`uv-source = "${served.url}"`]);
    const r = await run(['--version']);
    expect(expectRefused(r, 'the index must publish hashes').message).toMatch(/gives no sha256 for uv-0\.13\.9-.*; refused, nothing installed$/);
    expect(tree(store())).toEqual([]);
    expect(served.hits.get(`/files/${realWheel().filename}`)).toBeUndefined();
  });
});

it('eight parallel first runs all succeed, with one download and one install', async () => {
  const served = await serve([realWheel()]);
  writePolicy([`uv-source = "${served.url}"`, `uv-version = "==${PIN}"`]);
  const runs = await Promise.all(Array.from({ length: 8 }, () => run(['--version'])));
  for (const r of runs) {
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stdout).toMatch(/^uv 0\.13\.9\b/);
  }
  expect(served.hits.get(`/files/${realWheel().filename}`)).toBe(1);
  expect(runs.filter((r) => r.stderr.includes('installed uv')).length).toBe(1);
  expect(tree(store())).toEqual([PIN, `${PIN}/uv`, `${PIN}/uvx`, `${PIN}/uvx-safe-install.json`]);
});

it('a range picks the newest matching version that has a wheel for this platform', async () => {
  // Stand-ins around the real 0.13.9: older and newer ones, and a newer one for Windows only.
  const served = await serve([
    fakeUvWheel('0.12.0'),
    fakeUvWheel('0.13.8'),
    realWheel(),
    fakeUvWheel('0.13.10', 'win_amd64'),
    fakeUvWheel('0.14.0'),
  ]);
  writePolicy([`uv-source = "${served.url}"`, 'uv-version = ">=0.13, <0.14"']);
  const r = await run(['--version']);
  expect(r.exitCode, explain(r)).toBe(0);
  expect(r.stdout).toMatch(/^uv 0\.13\.9 \(/);
  expect(tree(store())).toEqual([PIN, `${PIN}/uv`, `${PIN}/uvx`, `${PIN}/uvx-safe-install.json`]);

  const doctor = await run(['safe', 'doctor']);
  expect(doctor.stdout).toMatch(/^ok {4}managed uv +uv 0\.13\.9 in use, the newest the policy allows; installed: 0\.13\.9 in /m);

  // Without a range, the newest on the index for this platform: the 0.14.0 stand-in.
  writePolicy([`uv-source = "${served.url}"`]);
  const newer = await run(['safe', 'doctor']);
  expect(newer.stdout).toMatch(/^warn {2}managed uv +uv 0\.13\.9 in use; uv 0\.14\.0 is allowed and on the index: `uvx-safe safe uv install`/m);
  const install = await run(['safe', 'uv', 'install']);
  expect(install.exitCode, explain(install)).toBe(0);
  expect(install.stderr).toContain(`installed uv 0.14.0 into ${path.join(store(), '0.14.0')}`);
  const newest = await run(['--version']);
  expect(newest.stdout).toBe("uv 0.14.0 (stand-in)");

  const removed = await run(['safe', 'uv', 'remove', '0.14.0']);
  expect(removed.exitCode, explain(removed)).toBe(0);
  expect(fs.existsSync(path.join(store(), '0.14.0'))).toBe(false);
});

it('says in one line that the index cannot be reached (exit 2)', async () => {
  // A port held closed, not one a closed server gave back (anything may take that one meanwhile).
  const closed = await closedPort();
  try {
    const url = `http://127.0.0.1:${closed.port}/simple`;
    writePolicy([`uv-source = "${url}"`, `uv-version = "==${PIN}"`]);
    const r = await run(['--version']);
    expect(expectRefused(r).message).toMatch(/^cannot reach uv-source \(from .*policy\.toml\) http:\/\/127\.0\.0\.1:\d+\/simple\/uv\/: connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
    expect(tree(store()).filter((f) => !f.startsWith('.install.lock'))).toEqual([]);
  } finally {
    closed.release();
  }
});

it.for(launcherForms().map((form) => [form.name, form] as const))('goes through HTTP_PROXY unless NO_PROXY names the host, and takes credentials from netrc (%s form)', async ([, form], ctx) => {
  needForm(ctx, form);
  const served = await serve([realWheel()], { auth: 'alice:s3cret' });
  writePolicy([`uv-source = "${served.url}"`, `uv-version = "==${PIN}"`]);
  const proxy = await serveProxy();
  try {
    const host = new URL(served.url).host;
    // undici tunnels (CONNECT host:port); Bun's fetch sends plain http in absolute form (GET http://host/...).
    const toIndex = (line: string) => line === `CONNECT ${host}` || line.startsWith(`GET http://${host}/`);
    const noCredentials = await run(['--version'], form, { HTTP_PROXY: proxy.url });
    expect(expectRefused(noCredentials, 'give credentials: ', 'or a netrc file').message).toMatch(/answered 401 Unauthorized$/);
    const throughProxy = proxy.requests.length;
    expect(throughProxy).toBeGreaterThan(0);

    fs.writeFileSync(path.join(env.HOME, '.netrc'), `machine 127.0.0.1 login alice password s3cret\n`);
    const direct = await run(['safe', 'uv', 'install'], form, { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' });
    expect(direct.exitCode, explain(direct)).toBe(0);
    expect(proxy.requests.length).toBe(throughProxy); // NO_PROXY: nothing more went through it
    await run(['safe', 'uv', 'remove', PIN], form);

    const proxied = await run(['--version'], form, { http_proxy: proxy.url });
    expect(proxied.exitCode, explain(proxied)).toBe(0);
    expect(proxy.requests.length).toBeGreaterThan(throughProxy);
    expect(proxy.requests.filter((line) => !toIndex(line))).toEqual([]);
  } finally {
    await proxy.close();
  }
});

it("a project's data-root cannot bring its own uv: the managed uv stays under the admin's data-root", async () => {
  const served = await serve([fakeUvWheel(PIN)]);
  writePolicy([`uv-source = "${served.url}"`, `uv-version = "==${PIN}"`]);
  // A repository inside allowed-roots that moves data-root into itself and ships a "managed" uv there.
  const repo = path.join(allowed, 'repo');
  const planted = path.join(repo, '.data', 'uv', PIN, 'uv');
  fs.mkdirSync(path.dirname(planted), { recursive: true });
  fs.writeFileSync(planted, `#!/bin/sh\necho "uv ${PIN} (planted by the repository)"\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(repo, 'uvx-safe.toml'), 'data-root = ".data"\n');

  const r = await runProgram(...NPM_FORM.command(['--version']), { env, cwd: repo });
  expect(r.exitCode, explain(r)).toBe(0);
  expect(r.stdout).toBe(`uv ${PIN} (stand-in)`);
  expect(fs.existsSync(path.join(store(), PIN, 'uv'))).toBe(true);
});

it('installs from a folder of wheels with a .sha256 file beside each, and refuses one without', async () => {
  const wheels = path.join(root, 'wheels');
  fs.mkdirSync(wheels);
  const wheel = fakeUvWheel('0.13.7');
  fs.writeFileSync(path.join(wheels, wheel.filename), wheel.data);
  writePolicy([`uv-source = ${JSON.stringify(wheels)}`]);
  const refused = await run(['--version']);
  expectRefused(refused);
  expect(refused.stderr).toMatch(/gives no sha256 for uv-0\.13\.7-.*; refused, nothing installed/);

  fs.writeFileSync(path.join(wheels, `${wheel.filename}.sha256`), `${sha256(wheel.data)}  ${wheel.filename}\n`);
  const r = await run(['--version']);
  expect(r.exitCode, explain(r)).toBe(0);
  expect(r.stdout).toBe('uv 0.13.7 (stand-in)');
  expect(r.stderr).toBe(`uvx-safe: installed uv 0.13.7 into ${path.join(store(), '0.13.7')} (from ${wheels})`);
});

it("a crashed install's lock does not block: a dead owner's lock, or one not refreshed for 30 s, is taken over", async () => {
  const served = await serve([fakeUvWheel('0.13.7')]);
  writePolicy([`uv-source = "${served.url}"`]);
  fs.mkdirSync(store(), { recursive: true });
  const lock = path.join(store(), '.install.lock');
  // A pid that no longer exists (a finished child's), on this host.
  const dead = (await runProgram(process.execPath, ['-e', 'console.log(process.pid)'], { env })).stdout.trim();
  fs.writeFileSync(lock, JSON.stringify({ pid: Number(dead), host: os.hostname() }));
  const first = await run(['--version']);
  expect(first.exitCode, explain(first)).toBe(0);
  expect(fs.existsSync(lock)).toBe(false);

  // Another machine's lock (a shared data root), left 60 s ago.
  await run(['safe', 'uv', 'remove', '0.13.7']);
  fs.writeFileSync(lock, JSON.stringify({ pid: 1, host: 'another-machine' }));
  const old = new Date(Date.now() - 60_000);
  fs.utimesSync(lock, old, old);
  const second = await run(['--version']);
  expect(second.exitCode, explain(second)).toBe(0);
  expect(second.stdout).toBe('uv 0.13.7 (stand-in)');
});

it.for(launcherForms().map((form) => [form.name, form] as const))("trusts the organisation's CA through NODE_EXTRA_CA_CERTS, and says how when it is missing (%s form)", async ([, form], ctx) => {
  needForm(ctx, form);
  needTool(ctx, 'openssl');
  const ca = makeTestCa(root);
  const served = await serve([fakeUvWheel('0.13.7')], { tls: { key: ca.key, cert: ca.cert } });
  writePolicy([`uv-source = "${served.url}"`]);
  const untrusted = await run(['--version'], form);
  expect(expectRefused(untrusted).message).toMatch(/^cannot reach uv-source .* https:\/\/127\.0\.0\.1:\d+\/simple\/uv\/: .*\(trust the organisation's root CA with NODE_EXTRA_CA_CERTS=\/path\/to\/ca\.pem\)$/);
  const trusted = await run(['--version'], form, { NODE_EXTRA_CA_CERTS: ca.caFile });
  expect(trusted.exitCode, explain(trusted)).toBe(0);
  expect(trusted.stdout).toBe('uv 0.13.7 (stand-in)');
});

it('a uv in the store that `safe uv install` did not install is never run: ignored with a warning, the real one installed (issue 15)', async () => {
  const served = await serve([fakeUvWheel(PIN)]);
  writePolicy([`uv-source = "${served.url}"`, `uv-version = "==${PIN}"`]);
  // Planted where the managed uv lives (a pip --target into the data root did this before issue 15).
  const planted = path.join(store(), PIN, 'uv');
  fs.mkdirSync(path.dirname(planted), { recursive: true });
  fs.writeFileSync(planted, `#!/bin/sh\necho "uv ${PIN} (planted)"\n`, { mode: 0o755 });
  const first = await run(['--version']);
  expect(first.exitCode, explain(first)).toBe(0);
  expect(first.stdout).toBe(`uv ${PIN} (stand-in)`);
  expect(first.stderr).toContain(`warning: uvx-safe: ignoring ${path.join(store(), PIN)}: not installed by \`uvx-safe safe uv install\` (no uvx-safe-install.json)`);
  const record = JSON.parse(fs.readFileSync(path.join(store(), PIN, 'uvx-safe-install.json'), 'utf8'));
  expect(record).toMatchObject({ 'uvx-safe-managed-uv': 1, version: PIN, files: { uv: { size: fs.statSync(path.join(store(), PIN, 'uv')).size } } });
  expect(record.files.uv.sha256).toMatch(/^[0-9a-f]{64}$/);
  // The installed one runs quietly; an altered binary (another size than recorded) is ignored again.
  const again = await run(['--version']);
  expect(again.stderr, explain(again)).toBe('');
  fs.writeFileSync(path.join(store(), PIN, 'uv'), `#!/bin/sh\necho "uv ${PIN} (altered)"\n`, { mode: 0o755 });
  const altered = await run(['--version']);
  expect(altered.stdout).toBe(`uv ${PIN} (stand-in)`);
  expect(altered.stderr).toMatch(/ignoring .*: not installed by `uvx-safe safe uv install` \(its uv has \d+ bytes, the install record says \d+\)/);
});
