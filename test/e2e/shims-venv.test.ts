// `safe shims install|uninstall --venv` on a real environment holding the `uv` package (uv 0.13.9's
// own binaries): idempotent, reversible byte for byte, recoverable after a crash at any step, noticed
// by doctor when reinstalling uv undoes it, and put where the installer says even outside allowed-roots.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { shimsVenv, useClientVenvs, uvChecksums } from '../helpers/clients.js';
import { explain, getUv, LAUNCHER, runProgram, sandboxEnv } from '../helpers/uv.js';
import { makeTempDir } from '../helpers/workspace.js';
import { expectRefused } from '../helpers/refusal.js';

const clients = useClientVenvs(['uv']);
const KEPT = '.uvx-safe-real';

const roots: string[] = [];
afterAll(() => Promise.all(roots.map((root) => fs.promises.rm(root, { recursive: true, force: true }))));

/** A clean environment with no uv anywhere on PATH: only the kept uv can answer. */
async function env(): Promise<Record<string, string | undefined>> {
  const root = await makeTempDir('uvx-safe-venv-');
  roots.push(root);
  return { ...sandboxEnv(root), UV_PYTHON: undefined, PATH: '/usr/bin:/bin' };
}

const launcher = (args: string[], e: Record<string, string | undefined>) => runProgram(process.execPath, [LAUNCHER, ...args], { env: e });

describe('safe shims install --venv on an environment with the uv package', () => {
  it('is idempotent, runs the kept uv (not PATH) for python -m uv and uvx, and uninstall restores both byte for byte', async (ctx) => {
    const venv = clients.venv(ctx, 'uv');
    const e = await env();
    const before = uvChecksums(venv);

    const first = await shimsVenv('install', venv, e);
    expect(first.stdout).toContain(`installed ${venv}/bin/uv (the real uv is kept at ${venv}/bin/${KEPT}/uv)`);
    const second = await shimsVenv('install', venv, e);
    expect(second.stdout).toContain(`unchanged ${venv}/bin/uv`);
    expect(second.stdout).toContain(`unchanged ${venv}/bin/uvx`);
    const manifest = JSON.parse(fs.readFileSync(path.join(venv, 'bin', KEPT, 'manifest.json'), 'utf8'));
    expect(manifest.files.uv.sha256).toBe(before.uv);
    expect(manifest.files.uvx.sha256).toBe(before.uvx);

    const viaPython = await runProgram(path.join(venv, 'bin', 'python'), ['-m', 'uv', '--version'], { env: { ...e, UVX_SAFE_DEBUG: '1' } });
    expect(viaPython.exitCode, explain(viaPython)).toBe(0);
    expect(viaPython.stdout).toMatch(/^uv 0\.13\.9/);
    expect(viaPython.stderr).toContain(`uvx-safe started as uv (${venv}/bin/uv`);
    expect(viaPython.stderr).toContain(`uv: ${venv}/bin/${KEPT}/uv (kept beside the shim ${venv}/bin/uv)`);
    const uvx = await runProgram(path.join(venv, 'bin', 'uvx'), ['--version'], { env: e });
    expect(uvx.stdout, explain(uvx)).toMatch(/^uvx 0\.13\.9/);

    const removed = await shimsVenv('uninstall', venv, e);
    expect(removed.stdout).toBe(`restored ${venv}/bin/uv\nrestored ${venv}/bin/uvx`);
    expect(uvChecksums(venv)).toEqual(before);
    expect(fs.existsSync(path.join(venv, 'bin', KEPT))).toBe(false);
    expect((await shimsVenv('uninstall', venv, e)).stdout).toBe(`no uvx-safe shims in ${venv}/bin`);
  });

  it('finishes the job after a crash at any step, losing no binary', async (ctx) => {
    const venv = clients.venv(ctx, 'uv');
    const e = await env();
    const before = uvChecksums(venv);
    const bin = path.join(venv, 'bin');

    // Install died after keeping the real uv (a hard link) and before writing any shim.
    fs.mkdirSync(path.join(bin, KEPT));
    fs.linkSync(path.join(bin, 'uv'), path.join(bin, KEPT, 'uv'));
    const resumed = await shimsVenv('install', venv, e);
    expect(resumed.stderr).toContain(`resumed: ${bin}/${KEPT}/uv already holds it`);
    expect(fs.readFileSync(path.join(bin, 'uv'), 'utf8')).toContain('uvx-safe-launcher');

    // Uninstall died after putting uv back and before uvx.
    fs.renameSync(path.join(bin, KEPT, 'uv'), path.join(bin, 'uv'));
    const finished = await shimsVenv('uninstall', venv, e);
    expect(finished.stdout).toBe(`restored ${bin}/uvx`);
    expect(uvChecksums(venv)).toEqual(before);
    expect(fs.existsSync(path.join(bin, KEPT))).toBe(false);

    // Install died after keeping the real uv, then the user uninstalled: the leftover link goes.
    fs.mkdirSync(path.join(bin, KEPT));
    fs.linkSync(path.join(bin, 'uv'), path.join(bin, KEPT, 'uv'));
    await shimsVenv('uninstall', venv, e);
    expect(uvChecksums(venv)).toEqual(before);
    expect(fs.existsSync(path.join(bin, KEPT))).toBe(false);
  });

  it('reinstalling the uv package puts the real uv back: doctor says it bypasses uvx-safe, install again fixes it', async (ctx) => {
    const venv = clients.venv(ctx, 'uv');
    const e = await env();
    const before = uvChecksums(venv);
    await shimsVenv('install', venv, e);

    const reinstall = await runProgram(
      getUv(),
      ['pip', 'install', '--quiet', '--reinstall', '--offline', '--no-index', '--find-links', clients.wheels(), '--python', path.join(venv, 'bin', 'python'), 'uv==0.13.9'],
      { env: { ...e, UV_CACHE_DIR: path.join(e.HOME!, 'uv-cache') } },
    );
    expect(reinstall.exitCode, explain(reinstall)).toBe(0);
    expect(uvChecksums(venv)).toEqual(before); // the real uv is back in place of the shim

    // With the venv first on PATH, python3 is the venv's: `python -m uv` runs its uv.
    const doctorEnv = { ...e, PATH: `${path.join(venv, 'bin')}:/usr/bin:/bin`, UVX_SAFE_UV: getUv() };
    const bypassed = await launcher(['safe', 'doctor'], doctorEnv);
    expect(bypassed.stdout, explain(bypassed)).toContain(
      `python -m uv (${venv}/bin/python3): ${venv}/bin/uv bypasses it (the uv package was reinstalled over the uvx-safe shim); ` +
        `fix: uvx-safe safe shims install --venv ${venv}`,
    );

    const again = await shimsVenv('install', venv, e);
    expect(again.stdout).toContain(`installed ${venv}/bin/uv`);
    const fixed = await launcher(['safe', 'doctor', '--json'], doctorEnv);
    const callers = JSON.parse(fixed.stdout).callers as { path: string; throughUvxSafe: boolean }[];
    expect(callers).toContainEqual(expect.objectContaining({ path: `${venv}/bin/uv`, throughUvxSafe: true }));

    await shimsVenv('uninstall', venv, e);
    expect(uvChecksums(venv)).toEqual(before);
  });

  it('in enforce, installs into an environment outside allowed-roots (the installer says where), and uninstall restores it', async (ctx) => {
    const venv = clients.venv(ctx, 'uv');
    const e = await env();
    const before = uvChecksums(venv);
    const policy = path.join(e.HOME!, 'policy.toml');
    fs.writeFileSync(policy, `mode = "enforce"\nallowed-roots = [${JSON.stringify(e.HOME)}]\nlocked = ["mode", "allowed-roots"]\n`);
    const enforced = { ...e, UVX_SAFE_SYSTEM_CONFIG: policy };
    const r = await launcher(['safe', 'shims', 'install', '--venv', venv], enforced);
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stdout).toContain(`installed ${venv}/bin/uv (the real uv is kept at ${venv}/bin/${KEPT}/uv)`);
    const back = await launcher(['safe', 'shims', 'uninstall', '--venv', venv], enforced);
    expect(back.exitCode, explain(back)).toBe(0);
    expect(uvChecksums(venv)).toEqual(before);
  });
});
