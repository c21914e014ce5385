// The admin's file wins on Windows too (issue 18): the standalone executable under Wine, with a policy
// at the real admin path, C:\ProgramData\uvx-safe\config.toml, in a Wine prefix whose ProgramData
// folder is this file's own (the rest of drive C: is the bed's, linked). Wine sets %ProgramData% from
// its registry, whatever the Linux environment says, so the path is the one Windows programs get.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DoctorReport } from '../../src/doctor/types.js';
import type { WineBed } from '../setup/wine-bed.js';
import { doctorValidators } from '../helpers/doctor-schema.js';
import { expectRefused, messagesOf } from '../helpers/refusal.js';
import { skipOrFail } from '../helpers/system-tools.js';
import { explain } from '../helpers/uv.js';
import { installExe, runPrefix, runWine, startPrefixServer, stopPrefixServer, winPath, WINDOWS_EXE, type WineRun } from '../helpers/wine.js';
import { makeTempDir } from '../helpers/workspace.js';

const ADMIN = 'C:\\ProgramData\\uvx-safe\\config.toml';
const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

const bed = inject('wineBed');
const unavailable = !bed ? inject('wineMissing') : !fs.existsSync(WINDOWS_EXE) ? `${WINDOWS_EXE} is missing: run \`npm run build:exe\`` : undefined;

if (unavailable) it("the admin's file wins under Wine", (ctx) => skipOrFail(ctx, unavailable ?? 'no Windows test bed'));
else describe("the admin's file at %ProgramData% wins over UVX_SAFE_* variables (Wine)", () => suite(bed!));

function suite(shared: WineBed): void {
  let root: string;
  let bedHere: WineBed;
  let ourUv: string;
  let realUvDir: string;
  let allowed: string;
  let empty: string;
  const adminFile = () => path.join(bedHere.prefix, 'drive_c', 'ProgramData', 'uvx-safe', 'config.toml');
  const run = (args: string[], env: Record<string, string> = {}) =>
    runWine(bedHere, ourUv, args, { cwd: root, path: [realUvDir], env } satisfies WineRun);

  beforeAll(async () => {
    root = await makeTempDir('uvx-safe-adminwins-win-');
    bedHere = { ...shared, prefix: runPrefix(shared.prefix, path.join(root, 'prefix'), ['ProgramData']) };
    [ourUv] = installExe(path.join(root, 'Program Files', 'uvx-safe'), ['uv.exe']) as [string];
    realUvDir = path.join(root, 'real-uv');
    fs.mkdirSync(realUvDir);
    fs.copyFileSync(shared.uvExe, path.join(realUvDir, 'uv.exe'));
    allowed = path.join(root, 'allowed');
    fs.mkdirSync(allowed);
    empty = path.join(root, 'empty.toml');
    fs.writeFileSync(empty, '');
    fs.mkdirSync(path.dirname(adminFile()), { recursive: true });
    fs.writeFileSync(
      adminFile(),
      ['mode = "enforce"', `allowed-roots = ['${winPath(allowed)}']`, `data-root = '${winPath(allowed)}\\data'`, 'locked = ["mode", "data-root"]', ''].join('\r\n'),
    );
    await startPrefixServer(bedHere.prefix, root);
  });

  afterAll(async () => {
    if (!root) return;
    await stopPrefixServer(bedHere.prefix, root);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('the policy at C:\\ProgramData applies without any variable', async () => {
    const r = await run(['cache', 'dir']);
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stdout.trim()).toBe(`${winPath(allowed)}\\data\\cache`);
  });

  it('UVX_SAFE_SYSTEM_CONFIG naming another file, and a variable for a locked key, are refused in enforce; nothing created', async () => {
    fs.rmSync(path.join(allowed, 'data'), { recursive: true, force: true });
    const said = expectRefused(await run(['cache', 'dir'], { UVX_SAFE_SYSTEM_CONFIG: winPath(empty) }), 'UVX_SAFE_SYSTEM_CONFIG', `names ${winPath(empty)}`, ADMIN);
    expect(said.hint).toBe(`unset UVX_SAFE_SYSTEM_CONFIG; the admin's policy at ${ADMIN} applies`);
    expectRefused(await run(['cache', 'dir'], { UVX_SAFE_DATA_ROOT: `${winPath(root)}\\elsewhere` }), 'UVX_SAFE_DATA_ROOT sets data-root, which the admin locked', ADMIN);
    expect(fs.existsSync(path.join(allowed, 'data'))).toBe(false);
    expect(fs.existsSync(path.join(root, 'elsewhere'))).toBe(false);
  });

  it("naming the admin's own file, in another case, is no override", async () => {
    const r = await run(['cache', 'dir'], { UVX_SAFE_SYSTEM_CONFIG: 'c:\\programdata\\UVX-SAFE\\config.toml' });
    expect(r.exitCode, explain(r)).toBe(0);
    expect(messagesOf(r.stderr), explain(r)).toEqual([]);
  });

  it("a ProgramData moved to a folder of the user's own, with a policy there, cannot replace C:\\ProgramData's", async () => {
    // Wine sets %ProgramData% from this key (Windows lets a user's own variable do the same).
    const key = 'HKLM\\Software\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList';
    const setProgramData = async (value: string) => {
      const r = await runWine(bedHere, 'reg', ['add', key, '/v', 'ProgramData', '/t', 'REG_EXPAND_SZ', '/d', value, '/f'], { cwd: root });
      expect(r.exitCode, explain(r)).toBe(0);
    };
    const mine = path.join(root, 'mine');
    fs.mkdirSync(path.join(mine, 'uvx-safe'), { recursive: true });
    fs.writeFileSync(path.join(mine, 'uvx-safe', 'config.toml'), '');
    await setProgramData(winPath(mine));
    try {
      const said = expectRefused(await run(['cache', 'dir']), `ProgramData names another folder, with a policy at ${winPath(mine)}\\uvx-safe\\config.toml`, ADMIN);
      expect(said.hint).toBe(`remove your own ProgramData variable (HKCU\\Environment); the admin's policy at ${ADMIN} applies`);
    } finally {
      await setProgramData('C:\\ProgramData');
    }
  });

  it('safe doctor --json: policy.overridden FAIL, exit 1, the admin file named', async () => {
    const r = await run(['safe', 'doctor', '--json'], { UVX_SAFE_SYSTEM_CONFIG: winPath(empty) });
    expect(r.exitCode, explain(r)).toBe(1);
    const report = JSON.parse(r.stdout) as DoctorReport;
    // The Windows executable's report has the published shape too (docs/doctor.schema.json).
    const { strict } = doctorValidators();
    expect(strict(report), JSON.stringify(strict.errors)).toBe(true);
    expect(report.launcher).toMatchObject({ form: 'standalone', file: winPath(ourUv) });
    expect(report.policy.adminFile).toBe(ADMIN);
    expect(report.policy.layers[0]).toMatchObject({ layer: 'admin', path: ADMIN, exists: true, sha256: sha256(adminFile()) });
    expect(report.checks.filter((c) => c.id === 'policy.overridden'), explain(r)).toEqual([
      expect.objectContaining({ status: 'fail', message: expect.stringContaining(`UVX_SAFE_SYSTEM_CONFIG names ${winPath(empty)}: uv would be refused`) }),
    ]);
  });
}
