// `uvx-safe safe doctor` against the real uv and real folders: a healthy policy, a data root on a
// noexec mount, --json, a uv-version mismatch, a project holding the data root, and a bad config.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROBE_PREFIX } from '../../src/platform/probe.js';
import type { DoctorReport } from '../../src/doctor/types.js';
import { parseUvVersionOutput } from '../../src/uv/version.js';
import { explain, runLauncher, runUv, sandboxEnv, type SandboxEnv } from '../helpers/uv.js';
import { makeTempDir, useNoexecWorkspace } from '../helpers/workspace.js';
import { expectRefused } from '../helpers/refusal.js';

/** Every probe file left anywhere under `root` (there must be none). */
function probeLeftovers(root: string): string[] {
  return fs
    .readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((rel) => path.basename(rel).startsWith(PROBE_PREFIX))
    .map((rel) => path.join(root, rel));
}

/** A path or version as a regex source. */
const re = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function writeAdmin(dir: string, lines: string[]): string {
  const file = path.join(dir, 'admin-policy.toml');
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

async function realUvVersion(env: SandboxEnv): Promise<string> {
  const r = await runUv(['--version'], { env });
  expect(r.exitCode, explain(r)).toBe(0);
  const version = parseUvVersionOutput(r.stdout);
  expect(version, explain(r)).toBeDefined();
  return version!;
}

describe('safe doctor with an ordinary data root', () => {
  let root: string;
  let env: SandboxEnv;
  let allowed: string;
  let admin: string;

  beforeEach(async () => {
    root = await makeTempDir('uvx-safe-doctor-');
    env = sandboxEnv(path.join(root, 'sandbox'));
    allowed = path.join(root, 'allowed');
    fs.mkdirSync(allowed);
    admin = writeAdmin(root, [
      'mode = "enforce"',
      `allowed-roots = [${JSON.stringify(allowed)}]`,
      `data-root = ${JSON.stringify(path.join(allowed, 'uv'))}`,
      'locked = ["mode", "data-root"]',
    ]);
    env = { ...env, UVX_SAFE_SYSTEM_CONFIG: admin };
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('is healthy: exit 0, every location ok, nothing left behind', async () => {
    const r = await runLauncher(['safe', 'doctor'], { env });
    expect(r.exitCode, explain(r)).toBe(0);
    for (const name of ['cache', 'temp', 'python', 'python-bin', 'tool', 'tool-bin'])
      expect(r.stdout, explain(r)).toMatch(new RegExp(`^ok\\s+${name}\\s+${re(allowed)}/uv/\\S+: inside allowed-roots, created, writable, programs run`, 'm'));
    expect(r.stdout).not.toMatch(/^FAIL/m);
    expect(r.stdout).toContain(`data-root from admin ${admin}, locked`);
    expect(r.stdout).toMatch(/all is well/);
    // The launcher prints nothing of its own on stderr when all is well.
    expect(r.stderr, explain(r)).toBe('');
    expect(probeLeftovers(root)).toEqual([]);
    // Created as the launcher would, so a later `uv` call finds them.
    expect(fs.statSync(path.join(allowed, 'uv', 'cache')).isDirectory()).toBe(true);
  });

  it('warns when users other than root could change the admin policy file', async () => {
    fs.chmodSync(admin, 0o666);
    const r = await runLauncher(['safe', 'doctor'], { env });
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stdout, explain(r)).toMatch(new RegExp(`^warn\\s+admin file\\s+${re(admin)}: the file is writable by its group and everyone: users other than root`, 'm'));
    fs.chmodSync(admin, 0o644);
    const fixed = await runLauncher(['safe', 'doctor'], { env });
    expect(fixed.stdout, explain(fixed)).not.toMatch(/admin file/);
  });

  it('--json carries the sources, the real uv version, and stays parseable', async () => {
    const r = await runLauncher(['safe', 'doctor', '--json'], { env });
    expect(r.exitCode, explain(r)).toBe(0);
    const report = JSON.parse(r.stdout) as DoctorReport;
    expect(report).toMatchObject({ schemaVersion: 2, schema: 2, status: 'ok', exitCode: 0 });
    expect(report.policy.mode).toEqual({ value: 'enforce', source: { kind: 'config', layer: 'admin', file: admin, variable: null, locked: true } });
    expect(report.policy.dataRoot?.value).toBe(path.join(allowed, 'uv'));
    expect(report.policy.layers.filter((l) => l.exists).map((l) => [l.layer, l.path])).toEqual([['admin', admin]]);
    const cache = report.locations.find((l) => l.name === 'cache');
    expect(cache).toMatchObject({
      path: path.join(allowed, 'uv', 'cache'),
      source: { kind: 'data-root', layer: 'admin', file: admin, locked: true },
      insideAllowedRoots: true,
      writable: true,
      canRun: true,
      status: 'ok',
    });
    expect(report.uv.version).toBe(await realUvVersion(env));
    expect(report.uv.foundBy).toBe('PATH');
    expect(report.checks.every((c) => c.status === 'ok')).toBe(true);
    expect(probeLeftovers(root)).toEqual([]);
  });

  it('a uv-version the real uv does not satisfy is a failure', async () => {
    const version = await realUvVersion(env);
    fs.appendFileSync(admin, `uv-version = ">${version}"\n`);
    const r = await runLauncher(['safe', 'doctor'], { env });
    expect(r.exitCode, explain(r)).toBe(1);
    expect(r.stdout, explain(r)).toMatch(new RegExp(`^FAIL\\s+uv-version\\s+uv ${re(version)} does not satisfy uv-version ">${re(version)}"`, 'm'));
    const json = JSON.parse((await runLauncher(['safe', 'doctor', '--json'], { env })).stdout) as DoctorReport;
    expect(json.uv).toMatchObject({ version, required: `>${version}`, satisfies: false, status: 'fail' });
    expect(json.uv.requiredSource).toMatchObject({ layer: 'admin', file: admin });
    expect(json.exitCode).toBe(1);
  });

  it('warns (exit 0) when the project folder holds the data root', async () => {
    const project = path.join(allowed, 'app');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'pyproject.toml'), '[project]\nname = "app"\nversion = "0"\n');
    const inner = writeAdmin(project, [`allowed-roots = [${JSON.stringify(allowed)}]`, `data-root = ${JSON.stringify(path.join(project, '.uv'))}`]);
    const r = await runLauncher(['safe', 'doctor'], { env: { ...env, UVX_SAFE_SYSTEM_CONFIG: inner }, cwd: project });
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stdout, explain(r)).toMatch(new RegExp(`^warn\\s+project\\s+cache ${re(project)}/\\.uv/cache lies inside the project ${re(project)}`, 'm'));
    expect(probeLeftovers(root)).toEqual([]);
  });

  it('a config error still exits 2 through the normal error path', async () => {
    fs.writeFileSync(admin, 'mode = "enforce"\nallowed-roots = [\n');
    const r = await runLauncher(['safe', 'doctor'], { env });
    expect(expectRefused(r).message).toMatch(new RegExp(`^${re(admin)}:`));
  });

  it('rejects an unknown argument as a usage error', async () => {
    expectRefused(await runLauncher(['safe', 'doctor', '--jsn'], { env }), '--jsn');
  });
});

describe('safe doctor with the data root on a noexec mount', () => {
  const workspace = useNoexecWorkspace();

  it('fails (exit 1) and says programs cannot run there, leaving no probe file', async () => {
    const ws = workspace();
    const dataRoot = path.join(ws.noexec, 'uv');
    const admin = writeAdmin(ws.exec, ['mode = "enforce"', `allowed-roots = [${JSON.stringify(ws.noexec)}]`, `data-root = ${JSON.stringify(dataRoot)}`]);
    const env = { ...ws.env, UVX_SAFE_SYSTEM_CONFIG: admin };
    const r = await runLauncher(['safe', 'doctor'], { env, cwd: ws.exec });
    expect(r.exitCode, explain(r)).toBe(1);
    expect(r.stdout, explain(r)).toMatch(new RegExp(`^FAIL\\s+cache\\s+${re(dataRoot)}/cache: cannot run programs here \\(EACCES: noexec mount \\(`, 'm'));
    expect(r.stdout, explain(r)).toMatch(new RegExp(`^FAIL\\s+tool-bin\\s+${re(dataRoot)}/bin: cannot run programs here`, 'm'));
    expect(probeLeftovers(ws.root)).toEqual([]);

    const json = JSON.parse((await runLauncher(['safe', 'doctor', '--json'], { env, cwd: ws.exec })).stdout) as DoctorReport;
    expect(json.exitCode).toBe(1);
    expect(json.locations.find((l) => l.name === 'cache')).toMatchObject({ writable: true, canRun: false, error: 'EACCES', status: 'fail' });
    expect(probeLeftovers(ws.root)).toEqual([]);
  });
});
