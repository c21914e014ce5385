// The Windows shims under Wine, run inside test/e2e/windows.test.ts (one file, one warm wineserver):
// uninstall run from the executable itself leaves nothing behind (issue 14 item 8), leftovers of an
// earlier rename go with the next install or uninstall, an upgraded launcher replaces every older
// shim even the one running the install (issue 16), doctor names shims older than the launcher, and
// the shim folder must be the installer's alone.
//
// Every launcher here is a copy of the built executable, never a hard link of it: the suite's own
// uv.exe is a hard link of that file, and Windows cannot delete any link of a running program.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../src/doctor/types.js';
import type { WineBed } from '../setup/wine-bed.js';
import { explain, type RunResult } from '../helpers/uv.js';
import { runWine, winPath, WINDOWS_EXE, type WineRun } from '../helpers/wine.js';
import { expectRefused } from '../helpers/refusal.js';

/** A Windows batch file's text: CRLF lines. */
const batch = (lines: string[]) => `${lines.join('\r\n')}\r\n`;

export interface WindowsShimsContext {
  bed: WineBed;
  /** The suite's temp root (Linux path). */
  root: () => string;
  /** A folder holding only the real uv.exe. */
  realUvDir: () => string;
  /** Drive D: of the prefix (a Linux folder), holding D:\dev, the suite's allowed root. */
  driveD: () => string;
}

const lines = (r: RunResult) => r.stdout.trim().split(/\r?\n/).filter(Boolean);

/**
 * Waits until `dir` holds exactly `names` (the cleaner deletes a renamed shim moments after the
 * program that ran it ends); gives up after 30 s and returns what is there, for the assertion.
 */
async function settle(dir: string, names: string[]): Promise<string[]> {
  const want = [...names].sort().join('\n');
  for (let i = 0; i < 60; i++) {
    const now = fs.readdirSync(dir).sort();
    if (now.join('\n') === want) return now;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return fs.readdirSync(dir).sort();
}

export function windowsShimsSuite(ctx: WindowsShimsContext): void {
  let n = 0;
  /** A fresh folder with a copy of the executable as uvx-safe.exe, and the shim folder beside it. */
  function layout(extraBytes = ''): { launcher: string; bin: string; winBin: string } {
    const base = path.join(ctx.root(), `shims-${++n}`);
    fs.mkdirSync(base, { mode: 0o755 });
    const launcher = path.join(base, 'uvx-safe.exe');
    fs.copyFileSync(WINDOWS_EXE, launcher);
    if (extraBytes) fs.appendFileSync(launcher, extraBytes);
    const bin = path.join(base, 'bin');
    return { launcher, bin, winBin: winPath(bin) };
  }
  const run = (program: string, args: string[], extra: Partial<WineRun> = {}) =>
    runWine(ctx.bed, program, args, { cwd: ctx.root(), path: [ctx.realUvDir()], ...extra });
  const installFrom = async (program: string, winBin: string) => {
    const r = await run(program, ['safe', 'shims', 'install', '--dir', winBin]);
    expect(r.exitCode, explain(r)).toBe(0);
    return r;
  };

  describe('safe shims uninstall run from the executable itself (issue 14 item 8)', () => {
    it('from the shim uv.exe that is running: both shims removed, no "running", nothing left behind', async () => {
      const { launcher, bin, winBin } = layout();
      await installFrom(launcher, winBin);
      const r = await run(path.join(bin, 'uv.exe'), ['safe', 'shims', 'uninstall', '--dir', winBin]);
      expect(r.exitCode, explain(r)).toBe(0);
      expect(lines(r), explain(r)).toEqual([`removed ${winBin}\\uv.exe`, `removed ${winBin}\\uvx.exe`]);
      expect(await settle(bin, [])).toEqual([]);
    });

    it('from the launcher whose hard links the shims are: the same', async () => {
      const { launcher, bin, winBin } = layout();
      await installFrom(launcher, winBin);
      const r = await run(launcher, ['safe', 'shims', 'uninstall', '--dir', winBin]);
      expect(r.exitCode, explain(r)).toBe(0);
      expect(lines(r), explain(r)).toEqual([`removed ${winBin}\\uv.exe`, `removed ${winBin}\\uvx.exe`]);
      expect(await settle(bin, [])).toEqual([]);
      expect(fs.existsSync(launcher)).toBe(true);
    });

    it('leftovers of an earlier rename are removed by the next install, and by uninstall', async () => {
      const { launcher, bin, winBin } = layout();
      fs.mkdirSync(bin, { mode: 0o755 });
      fs.copyFileSync(WINDOWS_EXE, path.join(bin, 'uv.exe.old-4242'));
      const install = await installFrom(launcher, winBin);
      expect(lines(install), explain(install)).toEqual([`installed ${winBin}\\uv.exe`, `installed ${winBin}\\uvx.exe`]);
      expect(fs.readdirSync(bin).sort()).toEqual(['uv.exe', 'uvx.exe']);
      fs.copyFileSync(WINDOWS_EXE, path.join(bin, 'uvx.exe.old-4343'));
      const r = await run(launcher, ['safe', 'shims', 'uninstall', '--dir', winBin]);
      expect(r.stdout, explain(r)).toContain(`removed ${winBin}\\uvx.exe.old-4343`);
      expect(await settle(bin, [])).toEqual([]);
    });
  });

  describe('upgrading the launcher in place (issue 16)', () => {
    it('doctor names the older shims with the fix; install from the new launcher, run by the old uv.exe itself, updates both and leaves only them', async () => {
      const { launcher, bin, winBin } = layout();
      await installFrom(launcher, winBin);
      // The new version: copied over the old file (the hard links keep the old program).
      fs.rmSync(launcher);
      fs.copyFileSync(WINDOWS_EXE, launcher);
      fs.appendFileSync(launcher, 'a newer build');

      const doctor = await run(launcher, ['safe', 'doctor', '--json'], { path: [bin, ctx.realUvDir()] });
      const report = JSON.parse(doctor.stdout) as DoctorReport;
      const fix = `${winPath(launcher)} safe shims install --dir ${winBin}`;
      expect(report.shims, explain(doctor)).toEqual([
        { dir: winBin, installedWith: 'dir', files: [`${winBin}\\uv.exe`, `${winBin}\\uvx.exe`], stale: [`${winBin}\\uv.exe`, `${winBin}\\uvx.exe`], fix },
      ]);

      // Started as the old shim, it replaces itself: renamed aside, deleted once it has ended.
      const r = await run(path.join(bin, 'uv.exe'), ['safe', 'shims', 'install', '--dir', winBin, '--exe', winPath(launcher)]);
      expect(r.exitCode, explain(r)).toBe(0);
      expect(lines(r), explain(r)).toEqual([`updated ${winBin}\\uv.exe`, `updated ${winBin}\\uvx.exe`]);
      expect(await settle(bin, ['uv.exe', 'uvx.exe'])).toEqual(['uv.exe', 'uvx.exe']);
      const now = fs.readFileSync(launcher);
      for (const name of ['uv.exe', 'uvx.exe']) expect(fs.readFileSync(path.join(bin, name)).equals(now), name).toBe(true);
      const again = await run(launcher, ['safe', 'shims', 'install', '--dir', winBin]);
      expect(lines(again), explain(again)).toEqual([`unchanged ${winBin}\\uv.exe`, `unchanged ${winBin}\\uvx.exe`]);
    });
  });

  describe('the shim folder (issue 16)', () => {
    it('is refused when everyone may write to it (a shim there could be swapped), with the way out; nothing written', async () => {
      const { launcher, bin, winBin } = layout();
      fs.mkdirSync(bin);
      fs.chmodSync(bin, 0o777);
      const r = await run(launcher, ['safe', 'shims', 'install', '--dir', winBin]);
      const refusal = expectRefused(r, 'choose a folder only you or the administrators can change (e.g. C:\\Program Files\\uvx-safe\\bin)');
      expect(refusal.message).toBe(
        `refusing to install shims there: S-1-1-0 (Everyone) can write ${winBin}, so another user could swap a shim for their own program (nothing was written)`,
      );
      expect(fs.readdirSync(bin)).toEqual([]);
    });
  });

  describe("the admin's flow of docs/deploy.md, in order, with the enforce policy in place first (issue 16)", () => {
    it('policy; mkdir, copy and shims install as written (P: stands in for C:); uv through the shim on PATH is relocated; doctor all ok', async () => {
      const root = ctx.root();
      // A scratch drive for "C:\Program Files" (never the prefix's own, which other runs reuse).
      const driveP = path.join(root, 'p');
      fs.mkdirSync(path.join(driveP, 'Program Files'), { recursive: true, mode: 0o755 });
      const pLink = path.join(ctx.bed.prefix, 'dosdevices', 'p:');
      fs.rmSync(pLink, { force: true });
      fs.symlinkSync(driveP, pLink);
      try {
        // The policy first (admin guide §2-3; a trial names the file with UVX_SAFE_SYSTEM_CONFIG).
        const policy = path.join(root, 'flow-policy', 'config.toml');
        fs.mkdirSync(path.dirname(policy), { mode: 0o755 });
        fs.writeFileSync(
          policy,
          ['mode = "enforce"', 'allowed-roots = ["D:/dev"]', "data-root = 'D:\\dev\\flow\\{user}'", 'locked = ["mode", "allowed-roots", "data-root"]', ''].join('\n'),
          { mode: 0o644 },
        );
        const env = { UVX_SAFE_SYSTEM_CONFIG: winPath(policy) };
        // docs/deploy.md, "Standalone executable and npm", Windows, in a folder holding the downloaded executable.
        const downloads = path.join(root, 'downloads');
        fs.mkdirSync(downloads, { mode: 0o755 });
        fs.copyFileSync(WINDOWS_EXE, path.join(downloads, 'uvx-safe-win-x64.exe'));
        const script = path.join(downloads, 'install.cmd');
        fs.writeFileSync(
          script,
          batch([
            '@echo off',
            'mkdir "P:\\Program Files\\uvx-safe"',
            'copy uvx-safe-win-x64.exe "P:\\Program Files\\uvx-safe\\uvx-safe.exe" >nul',
            '"P:\\Program Files\\uvx-safe\\uvx-safe.exe" safe shims install --dir "P:\\Program Files\\uvx-safe\\bin"',
          ]),
        );
        const install = await runWine(ctx.bed, 'cmd.exe', ['/d', '/c', winPath(script)], { cwd: downloads, env });
        expect(install.exitCode, explain(install)).toBe(0);
        expect(lines(install), explain(install)).toEqual([
          'installed P:\\Program Files\\uvx-safe\\bin\\uv.exe',
          'installed P:\\Program Files\\uvx-safe\\bin\\uvx.exe',
        ]);
        // PATH: the shims' folder first (docs/deploy.md's system Path step), the real uv after it.
        const PATH = `P:\\Program Files\\uvx-safe\\bin;${winPath(ctx.realUvDir())}`;
        const byName = (args: string) => runWine(ctx.bed, 'cmd.exe', ['/d', '/c', `uv ${args}`], { cwd: root, env: { ...env, WINEPATH: PATH } });
        const cache = await byName('cache dir');
        expect(cache.exitCode, explain(cache)).toBe(0);
        expect(cache.stdout.trim(), explain(cache)).toBe('D:\\dev\\flow\\root\\cache');
        const refused = await byName('cache dir --cache-dir C:\\users\\root\\cache');
        expect(refused.exitCode, explain(refused)).toBe(2);

        const doctor = await byName('safe doctor --json');
        const report = JSON.parse(doctor.stdout) as DoctorReport;
        // Wine has no Administrators-owned files (its files belong to the Unix user), so the admin
        // policy's owner is always warned about there; unit tests cover the admin-owned case.
        const notOk = report.checks.filter((c) => c.status !== 'ok' && c.id !== 'policy.admin-file');
        expect(notOk, explain(doctor)).toEqual([]);
        expect(doctor.exitCode, explain(doctor)).toBe(0);
        const winBin = 'P:\\Program Files\\uvx-safe\\bin';
        expect(report.shims).toEqual([
          { dir: winBin, installedWith: 'dir', files: [`${winBin}\\uv.exe`, `${winBin}\\uvx.exe`], stale: [], fix: null },
        ]);
      } finally {
        fs.rmSync(pLink, { force: true });
      }
    });
  });
}
