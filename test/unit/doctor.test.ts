import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { layerFiles, runningLauncherFile, whoWhereWhen } from '../../src/doctor/fleet.js';
import { fileLayer } from '../../src/config/layers.js';
import { mergeLayers } from '../../src/config/merge.js';
import { createPlanFolders, judgeLocation, nearestExisting, type FolderHost } from '../../src/doctor/locations.js';
import { filesystemCheck, overlapChecks } from '../../src/doctor/overlap.js';
import { judgeRun, nodeProbeHost, probeFolder, PROBE_PREFIX, type ProbeHost } from '../../src/platform/probe.js';
import { exitCodeFor, locationCheck, overallStatus, policyChecks, renderHuman, uvChecks } from '../../src/doctor/report.js';
import { policyFacts } from '../../src/doctor/policy.js';
import type { Policy } from '../../src/launch/prepare.js';
import { decisionSource, describeSource, envVariableFor } from '../../src/doctor/source.js';
import type { Check } from '../../src/doctor/types.js';
import { judgeUv } from '../../src/doctor/uv.js';
import type { HostInfo } from '../../src/platform/dirs.js';
import { planRelocation } from '../../src/relocate/plan.js';

const ADMIN = '/etc/uvx-safe/config.toml';
const linux: HostInfo = { platform: 'linux', env: {}, home: '/home/me', user: 'me' };

function plan(toml: string, env: Record<string, string> = {}) {
  const config = mergeLayers([fileLayer(toml, ADMIN, 'admin')]);
  const host = { ...linux, env };
  const args = { command: [], locations: [], programIndex: -1, helpOrVersion: false };
  return { config, plan: planRelocation({ config, args, host, cwd: '/src/app', canonical: (p) => p }) };
}

describe('probeFolder (write, run, remove)', () => {
  /** A probe host over a map of files, recording what was done, for the ordering rules. */
  function memoryHost(run: ProbeHost['run'], writeError?: string): ProbeHost & { files: Set<string> } {
    const files = new Set<string>();
    return {
      platform: 'linux',
      files,
      fileName: () => `${PROBE_PREFIX}1`,
      write(file) {
        if (writeError) throw Object.assign(new Error(writeError), { code: writeError });
        files.add(file);
      },
      run,
      remove(file) {
        if (!files.delete(file)) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      },
    };
  }

  it('reports a folder where the program is refused, and removes the file', () => {
    const host = memoryHost(() => ({ started: false, code: 'EACCES' }));
    expect(probeFolder('/d', host)).toEqual({ folder: '/d', writable: true, canRun: false, error: 'EACCES' });
    expect(host.files.size).toBe(0);
  });

  it('reports an unwritable folder without trying to run anything', () => {
    let ran = false;
    const host = memoryHost(() => ((ran = true), { started: true, status: 0, signal: null, ranCorrectly: true }), 'EROFS');
    expect(probeFolder('/d', host)).toEqual({ folder: '/d', writable: false, canRun: null, error: 'EROFS' });
    expect(ran).toBe(false);
  });

  it('removes the file even when running throws', () => {
    const host = memoryHost(() => {
      throw Object.assign(new Error('boom'), { code: 'EIO' });
    });
    expect(probeFolder('/d', host).canRun).toBe(false);
    expect(host.files.size).toBe(0);
  });

  it('says when there is no probe program on the host', () => {
    const host = { ...memoryHost(() => ({ started: false, code: 'x' })), unavailable: 'no uv.exe' };
    expect(probeFolder('C:\\d', host)).toEqual({ folder: 'C:\\d', writable: null, canRun: null, error: 'no uv.exe' });
  });

  it('a program that starts but does not do its job cannot run here either', () => {
    expect(judgeRun('/d', { started: true, status: 1, signal: null, ranCorrectly: false }).error).toBe('exit 1');
    expect(judgeRun('/d', { started: true, status: null, signal: 'SIGKILL', ranCorrectly: false }).error).toBe('killed by SIGKILL');
  });

  it('uses a .exe copy of uv on Windows and is unavailable without one', () => {
    expect(nodeProbeHost('win32', 'C:\\uv\\uv.exe').fileName()).toMatch(/^\.uvx-safe-probe-.*\.exe$/);
    expect(nodeProbeHost('win32').unavailable).toMatch(/uv\.exe/);
    expect(nodeProbeHost('linux').unavailable).toBeUndefined();
  });

  describe('the Node probe on this machine', () => {
    let dir: string | undefined;
    afterEach(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

    it.skipIf(process.platform === 'win32')('runs a script in an ordinary temp folder and leaves nothing behind', () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uvx-safe-probe-test-'));
      expect(probeFolder(dir, nodeProbeHost())).toEqual({ folder: dir, writable: true, canRun: true });
      expect(fs.readdirSync(dir)).toEqual([]);
    });

    it.skipIf(process.platform === 'win32')('reports a missing folder as not writable', () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uvx-safe-probe-test-'));
      const r = probeFolder(path.join(dir, 'missing'), nodeProbeHost());
      expect(r).toMatchObject({ writable: false, canRun: null, error: 'ENOENT' });
    });
  });
});

describe('locations', () => {
  const folders = (existing: string[], failing: Record<string, string> = {}): FolderHost & { made: string[] } => {
    const made: string[] = [];
    return {
      made,
      isDirectory: (d) => existing.includes(d) || made.includes(d),
      mkdir(d) {
        if (failing[d]) throw Object.assign(new Error(failing[d]), { code: failing[d] });
        made.push(d);
      },
    };
  };

  it('nearestExisting walks up, with the platform as a parameter', () => {
    expect(nearestExisting('/a/b/c', 'linux', folders(['/a']))).toBe('/a');
    expect(nearestExisting('C:\\a\\b', 'win32', folders(['C:\\']))).toBe('C:\\');
    expect(nearestExisting('/a/b', 'linux', folders([]))).toBeUndefined();
  });

  it("creates the launcher's folders, but nothing when the policy refuses", () => {
    const ok = plan('mode = "enforce"\nallowed-roots = ["/dev"]\ndata-root = "/dev/uv"');
    const host = folders(['/dev/uv/tmp'], { '/dev/uv/python': 'EACCES' });
    const r = createPlanFolders(ok.plan, host);
    expect([...r.created].sort()).toEqual(['/dev/uv/bin', '/dev/uv/cache', '/dev/uv/credentials', '/dev/uv/tools']);
    expect(r.failed).toEqual(new Map([['/dev/uv/python', 'EACCES']]));

    const refused = plan('mode = "enforce"\nallowed-roots = ["/dev"]\ndata-root = "/elsewhere/uv"');
    expect(refused.plan.refusals.length).toBeGreaterThan(0);
    expect(createPlanFolders(refused.plan, folders([])).created.size).toBe(0);
  });

  it('judges a noexec location as a failure, and the python download cache only as a warning', () => {
    const { config, plan: p } = plan('allowed-roots = ["/dev"]\ndata-root = "/dev/uv"\nlocked = ["data-root"]', { UV_PYTHON_CACHE_DIR: '/dev/pc' });
    const probe = { folder: '/dev/uv/cache', writable: true, canRun: false, error: 'EACCES' } as const;
    const cache = judgeLocation({ decision: p.decisions.find((d) => d.name === 'cache')!, mode: 'warn', platform: 'linux', existed: true, created: false, probe }, config);
    expect(cache).toMatchObject({ status: 'fail', problems: ['cannot run programs here (EACCES)'], insideAllowedRoots: true });
    expect(cache.source).toEqual({ kind: 'data-root', layer: 'admin', file: ADMIN, variable: null, locked: true });
    const line = locationCheck(cache);
    expect(line.message).toContain('/dev/uv/cache: cannot run programs here (EACCES)');
    expect(line.message).toContain(`data-root from admin ${ADMIN}, locked`);

    const pc = judgeLocation({ decision: p.decisions.find((d) => d.name === 'python-cache')!, mode: 'warn', platform: 'linux', existed: false, created: false, probe }, config);
    expect(pc.status).toBe('warn');
    expect(pc.source).toEqual({ kind: 'env', layer: null, file: null, variable: 'UV_PYTHON_CACHE_DIR', locked: false });
  });

  it('outside allowed-roots fails in enforce mode and warns in warn mode', () => {
    const probe = { folder: '/x', writable: true, canRun: true } as const;
    for (const [mode, status] of [['enforce', 'fail'], ['warn', 'warn']] as const) {
      const { config, plan: p } = plan(`mode = "${mode}"\nallowed-roots = ["/dev"]\n[locations]\ncache = "/x/cache"`);
      const d = p.decisions.find((x) => x.name === 'cache')!;
      const facts = judgeLocation({ decision: d, mode, platform: 'linux', existed: true, created: false, probe }, config);
      expect(facts.status).toBe(status);
      expect(facts.insideAllowedRoots).toBe(false);
      expect(facts.source).toMatchObject({ kind: 'config', layer: 'admin', file: ADMIN });
    }
  });

  it('an unwritable folder, a folder that cannot be created and a leftover probe file fail', () => {
    const { config, plan: p } = plan('data-root = "/dev/uv"');
    const decision = p.decisions[0]!;
    const base = { decision, mode: 'warn' as const, platform: 'linux' as const, existed: false, created: false };
    expect(judgeLocation({ ...base, probe: { folder: '/dev', writable: false, canRun: null, error: 'EROFS' } }, config).problems).toEqual(['not writable (EROFS)']);
    expect(judgeLocation({ ...base, createError: 'EACCES', probe: { folder: '/', writable: false, canRun: null, error: 'EACCES' } }, config).status).toBe('fail');
    const left = judgeLocation({ ...base, probe: { folder: '/dev', writable: true, canRun: true, leftBehind: '/dev/.uvx-safe-probe-1' } }, config);
    expect(left.status).toBe('fail');
  });
});

describe('sources', () => {
  it('names the UVX_SAFE_ variable of the environment layer', () => {
    expect(envVariableFor('data-root')).toBe('UVX_SAFE_DATA_ROOT');
    expect(envVariableFor('locations.python-bin')).toBe('UVX_SAFE_LOCATIONS_PYTHON_BIN');
  });

  it("describes uv's defaults, inherited variables and the built-in default", () => {
    const { config, plan: p } = plan('mode = "warn"', { UV_CACHE_DIR: '/c' });
    const byName = (n: string) => describeSource(decisionSource(p.decisions.find((d) => d.name === n)!, config));
    expect(byName('cache')).toBe('inherited UV_CACHE_DIR');
    expect(byName('tool')).toBe("uv's default");
    expect(describeSource({ kind: 'default', layer: 'default', file: null, variable: null, locked: false })).toBe('built-in default');
  });
});

describe('project overlap and filesystems', () => {
  it('warns when the cache lies inside the project, or the project inside the data root', () => {
    const inside = overlapChecks({ platform: 'linux', project: '/src/app', cache: '/src/app/.uv-cache', dataRoot: '/dev/uv' });
    expect(inside).toHaveLength(1);
    expect(inside[0]!.message).toContain('cache /src/app/.uv-cache lies inside the project /src/app');
    const around = overlapChecks({ platform: 'linux', project: '/dev/uv/work/app', cache: '/dev/uv/cache', dataRoot: '/dev/uv' });
    expect(around.map((c) => c.message)).toEqual([expect.stringContaining('the project /dev/uv/work/app lies inside data-root /dev/uv')]);
    expect(overlapChecks({ platform: 'linux', project: '/src/app', cache: '/dev/uv/cache', dataRoot: '/dev/uv' })).toEqual([]);
    expect(overlapChecks({ platform: 'linux', cache: '/x' })).toEqual([]);
  });

  it('compares Windows paths case-insensitively', () => {
    const c = overlapChecks({ platform: 'win32', project: 'D:\\Dev\\App', cache: 'd:\\dev\\app\\cache' });
    expect(c.map((x) => x.status)).toEqual(['warn']);
    expect(overlapChecks({ platform: 'win32', project: 'C:\\src', cache: 'D:\\src\\cache' })).toEqual([]);
  });

  it('suggests UV_LINK_MODE=copy across filesystems unless it is set', () => {
    expect(filesystemCheck(true, undefined)).toBeUndefined();
    expect(filesystemCheck(null, undefined)).toBeUndefined();
    expect(filesystemCheck(false, undefined)).toMatchObject({ status: 'warn', message: expect.stringContaining('UV_LINK_MODE=copy') });
    expect(filesystemCheck(false, 'copy')?.status).toBe('ok');
  });
});

describe('uv', () => {
  const config = (toml: string) => mergeLayers([fileLayer(toml, ADMIN, 'admin')]);
  const choice = { path: '/opt/uv', source: 'PATH' as const, origin: 'PATH entry /opt', skipped: [] };

  it('reads the version and checks uv-version', () => {
    const ok = judgeUv({ choice, versionOutput: { stdout: 'uv 0.13.9 (abc 2025-01-01)\n' }, config: config('uv-version = "^0.13"') });
    expect(ok).toMatchObject({ version: '0.13.9', satisfies: true, status: 'ok', requiredSource: { layer: 'admin', file: ADMIN } });
    const bad = judgeUv({ choice, versionOutput: { stdout: 'uv 0.13.9\n' }, config: config('uv-version = ">=0.14"') });
    expect(bad).toMatchObject({ satisfies: false, status: 'fail' });
    expect(uvChecks(bad).map((c) => [c.label, c.status])).toEqual([['uv', 'ok'], ['uv-version', 'fail']]);
  });

  it('fails when uv is missing, will not run, or the range is invalid', () => {
    expect(judgeUv({ choice: { error: 'not found' }, config: config('') }).status).toBe('fail');
    expect(judgeUv({ choice, versionOutput: { error: 'EACCES' }, config: config('') }).status).toBe('fail');
    expect(judgeUv({ choice, versionOutput: { stdout: 'uv 0.13.9' }, config: config('uv-version = ">=banana"') })).toMatchObject({ status: 'fail', satisfies: null });
  });
});

describe('report', () => {
  const check = (status: Check['status'], label = 'x'): Check => ({ id: label, label, status, message: 'm' });

  it('fails on any FAIL, exits 1 only then', () => {
    expect(overallStatus([check('ok'), check('warn')])).toBe('warn');
    expect(overallStatus([check('ok'), check('fail'), check('warn')])).toBe('fail');
    expect(exitCodeFor('warn')).toBe(0);
    expect(exitCodeFor('fail')).toBe(1);
  });

  it('aligns one line per check', () => {
    const text = renderHuman({ status: 'fail', checks: [check('ok', 'cache'), check('fail', 'python-bin'), check('warn', 'uv')] });
    expect(text.split('\n').slice(0, 3)).toEqual(['ok    cache       m', 'FAIL  python-bin  m', 'warn  uv          m']);
  });
});

describe('an optional allowed root absent on this machine (issue 14)', () => {
  it('is one warning naming it and saying it is skipped; a present one is none', () => {
    const config = mergeLayers([fileLayer('mode = "enforce"\nallowed-roots = ["/dev", { path = "/share", optional = true }]', ADMIN, 'admin')]);
    const args = { command: [], locations: [], programIndex: -1, helpOrVersion: false };
    const p = planRelocation({ config, args, host: linux, cwd: '/src/app', canonical: (x) => x, isDirectory: (d) => d === '/dev' });
    const facts = policyFacts({ config, layers: [], adminFile: ADMIN, userFile: '/home/me/.config/uvx-safe/config.toml', warnings: [], overrides: [] } as unknown as Policy, p);
    const checks = policyChecks(facts).filter((c) => c.id.startsWith('policy.allowed-roots.'));
    expect(checks).toEqual([
      {
        id: 'policy.allowed-roots.absent.0',
        label: 'allowed-roots',
        status: 'warn',
        message: `/share (optional, from admin ${ADMIN}) does not exist on this machine: skipped; uv may not write or run programs there`,
      },
    ]);
    const present = planRelocation({ config, args, host: linux, cwd: '/src/app', canonical: (x) => x, isDirectory: () => true });
    expect(policyChecks(policyFacts({ config, layers: [], warnings: [], overrides: [] } as unknown as Policy, present)).filter((c) => c.id.startsWith('policy.allowed-roots.'))).toEqual([]);
  });
});

describe("an override of the admin's file (issue 18)", () => {
  const facts = (mode: string, overrides: Policy['overrides']) => {
    const config = mergeLayers([fileLayer(`mode = "${mode}"\nallowed-roots = ["/dev"]`, ADMIN, 'admin')]);
    const args = { command: [], locations: [], programIndex: -1, helpOrVersion: false };
    const p = planRelocation({ config, args, host: linux, cwd: '/src/app', canonical: (x) => x, isDirectory: () => true });
    return policyFacts({ config, layers: [], adminFile: ADMIN, userFile: '/u.toml', warnings: [], overrides } as unknown as Policy, p);
  };
  const overridden = (mode: string, overrides: Policy['overrides']) => policyChecks(facts(mode, overrides)).filter((c) => c.id === 'policy.overridden');
  const o = { variable: 'UVX_SAFE_SYSTEM_CONFIG', adminFile: ADMIN, attempt: 'names /tmp/x.toml', undo: 'unset UVX_SAFE_SYSTEM_CONFIG' };

  it('is always reported: ok without one, FAIL in enforce, warn otherwise', () => {
    expect(overridden('enforce', [])).toEqual([{ id: 'policy.overridden', label: 'admin policy', status: 'ok', message: 'not overridden' }]);
    expect(overridden('enforce', [o])).toEqual([
      {
        id: 'policy.overridden',
        label: 'admin policy',
        status: 'fail',
        message: `UVX_SAFE_SYSTEM_CONFIG names /tmp/x.toml: uv would be refused (mode = enforce); unset UVX_SAFE_SYSTEM_CONFIG: the admin's policy at ${ADMIN} applies`,
      },
    ]);
    expect(overridden('warn', [o, { ...o, variable: 'UVX_SAFE_DATA_ROOT', attempt: 'sets data-root, which the admin locked', undo: 'unset UVX_SAFE_DATA_ROOT' }])).toEqual([
      expect.objectContaining({
        status: 'warn',
        message: `UVX_SAFE_SYSTEM_CONFIG names /tmp/x.toml; UVX_SAFE_DATA_ROOT sets data-root, which the admin locked: ignored, the admin's policy at ${ADMIN} applies; unset UVX_SAFE_SYSTEM_CONFIG, unset UVX_SAFE_DATA_ROOT`,
      }),
    ]);
    expect(facts('warn', [o]).overrides).toEqual([o]);
  });
});

describe('the fleet fields (issue 18)', () => {
  it('lists the four layers, found or not, with the hash of each file found', () => {
    const layers = [
      fileLayer('mode = "warn"', ADMIN, 'admin'),
      { name: 'env' as const, source: 'environment', baseDir: '/', config: { mode: 'warn', locations: { 'python-bin': '/x' } } },
    ];
    const hashes: string[] = [];
    const facts = layerFiles(layers as Policy['layers'], ADMIN, '/home/me/.config/uvx-safe/config.toml', (f) => (hashes.push(f), 'a'.repeat(64)));
    expect(facts.map(({ layer, path: p, sha256, exists, variables }) => [layer, p, sha256, exists, variables])).toEqual([
      ['admin', ADMIN, 'a'.repeat(64), true, null],
      ['user', '/home/me/.config/uvx-safe/config.toml', null, false, null],
      ['project', null, null, false, null],
      ['env', null, null, true, ['UVX_SAFE_MODE', 'UVX_SAFE_LOCATIONS_PYTHON_BIN']],
    ]);
    // Only files that exist are read.
    expect(hashes).toEqual([ADMIN]);
  });

  it('hashes the executable of the standalone form, the bundle of the npm form; a user that cannot be read is null', () => {
    expect(runningLauncherFile('standalone', '/opt/uvx-safe/uvx-safe', '/$bunfs/root')).toBe('/opt/uvx-safe/uvx-safe');
    expect(runningLauncherFile('npm', '/usr/bin/node', '/usr/lib/node_modules/uvx-safe/dist')).toBe('/usr/lib/node_modules/uvx-safe/dist/uvx-safe.cjs');
    const when = new Date(Date.UTC(2026, 11, 3, 14, 0, 0));
    expect(whoWhereWhen(() => { throw new Error('no name'); }, when)).toMatchObject({ user: null, time: '2026-12-03T14:00:00.000Z' });
    expect(whoWhereWhen(() => 'ann', when).user).toBe('ann');
  });
});
