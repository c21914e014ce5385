// The MSI of `npm run release`, installed under Wine as Intune or an admin would: `msiexec /i /qn
// POLICY=...`, then the next version over it (upgrade in place), then `msiexec /x`. A prefix of its
// own (a copy of the bed's), so nothing installed here is seen by the other Windows tests.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a build script (plain JavaScript, no types)
import { readVersionResource } from '../../scripts/release/exe-resource.mjs';
import { artefactNames, needRelease } from '../helpers/release.js';
import { explain, runProgram } from '../helpers/uv.js';
import { needWineBed, winPath } from '../helpers/wine.js';
import { makeTempDir } from '../helpers/workspace.js';
import { wineEnv, type WineBed } from '../setup/wine-bed.js';

const SLOW = 240_000;
// msiexec's status as Wine passes it to Linux: modulo 256. A failed install is 1603
// (ERROR_INSTALL_FAILURE) on Windows; Wine's msiexec says 1627 (ERROR_FUNCTION_FAILED) for some.
const FAILED = [1603 % 256, 1627 % 256];
const ENV_KEY = 'HKLM\\System\\CurrentControlSet\\Control\\Session Manager\\Environment';
const UNINSTALL_KEY = 'HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall';

let work: string;
let prefix: string;
let env: Record<string, string>;
beforeAll(async () => {
  work = await makeTempDir('uvx-safe-release-msi-');
});
afterAll(async () => {
  if (env) await runProgram('wineserver', ['-k'], { env, cwd: work });
  await fs.promises.rm(work, { recursive: true, force: true });
});

/**
 * A copy of the bed's prefix (once per file), with its own wine server and Wine's services started
 * first with no pipes: started by a test's first program, they would hold its stdout open and the
 * test would wait for them (as test/helpers/wine.ts startWineServers does for the bed).
 */
async function ownPrefix(bed: WineBed): Promise<void> {
  if (env) return;
  prefix = path.join(work, 'prefix');
  fs.cpSync(bed.prefix, prefix, { recursive: true, verbatimSymlinks: true });
  fs.rmSync(path.join(prefix, 'wineserver'), { force: true });
  const home = path.join(work, 'home');
  fs.mkdirSync(home);
  const wineEnvironment = wineEnv(prefix, home);
  const quiet = { env: wineEnvironment, extendEnv: false, reject: false, stdio: 'ignore', timeout: 60_000 } as const;
  await execa('wineserver', ['--persistent=60'], quiet);
  await execa('wine', ['cmd.exe', '/c', 'exit'], quiet);
  env = wineEnvironment;
}

const drive = (...parts: string[]) => path.join(prefix, 'drive_c', ...parts);
const installDir = () => drive('Program Files', 'uvx-safe');
const policyFile = () => drive('ProgramData', 'uvx-safe', 'config.toml');

const wine = (args: string[]) => runProgram('wine', args, { env, cwd: work, timeoutMs: 120_000 });

async function msiexec(args: string[]) {
  return wine(['msiexec', ...args, '/qn']);
}

async function machinePath(): Promise<string> {
  const r = await wine(['reg', 'query', ENV_KEY, '/v', 'Path']);
  return /Path\s+REG_EXPAND_SZ\s+(.*)/.exec(r.stdout)?.[1]?.trim() ?? '';
}

/** DisplayVersion of every installed-programs entry named uvx-safe. */
async function installedEntries(): Promise<string[]> {
  const r = await wine(['reg', 'query', UNINSTALL_KEY, '/s']);
  const versions: string[] = [];
  for (const block of r.stdout.split(/\r?\n\r?\n/)) {
    if (!/DisplayName\s+REG_SZ\s+uvx-safe\s*$/m.test(block)) continue;
    versions.push(/DisplayVersion\s+REG_SZ\s+(\S+)/.exec(block)?.[1] ?? '?');
  }
  return versions;
}

const inode = (file: string) => fs.statSync(file).ino;

describe('the MSI under Wine', () => {
  it(
    'installs with POLICY=, upgrades in place to the next version, and uninstalls without a trace',
    async (ctx) => {
      const release = needRelease(ctx);
      const bed = needWineBed(ctx);
      await ownPrefix(bed);
      const names = artefactNames(release.version);
      const policy = path.join(work, 'policy.toml');
      fs.mkdirSync(drive('dev'), { recursive: true }); // the allowed root, made by the admin
      fs.writeFileSync(policy, ['mode = "enforce"', 'allowed-roots = ["C:\\\\dev"]', 'data-root = "C:\\\\dev\\\\uv"', `uv-path = ${JSON.stringify(winPath(bed.uvExe))}`, ''].join('\r\n'));

      // Install, silently, with the policy from a "share".
      const install = await msiexec(['/i', winPath(path.join(release.dir, names.msi)), `POLICY=${winPath(policy)}`]);
      expect(install.exitCode, explain(install)).toBe(0);
      const exe = path.join(installDir(), 'uvx-safe.exe');
      const shims = ['uv.exe', 'uvx.exe'].map((n) => path.join(installDir(), 'bin', n));
      // Buffer.equals: a deep equality of two 115 MB buffers would take minutes.
      expect(fs.readFileSync(exe).equals(fs.readFileSync(path.join(release.dir, names.winExe))), 'the installed uvx-safe.exe is the released one').toBe(true);
      for (const shim of shims) expect(inode(shim), `${shim} is a hard link to uvx-safe.exe`).toBe(inode(exe));
      expect(fs.readFileSync(policyFile(), 'utf8')).toBe(fs.readFileSync(policy, 'utf8'));
      expect((await machinePath()).split(';')[0]).toBe('C:\\Program Files\\uvx-safe\\bin');
      expect(await installedEntries()).toEqual([release.version]);

      // `uv` as any program finds it on the machine Path: the shim, which runs the real uv relocated.
      const cacheDir = await wine(['cmd', '/c', 'uv.exe cache dir']);
      expect(cacheDir.exitCode, explain(cacheDir)).toBe(0);
      expect(cacheDir.stdout.trim().startsWith('C:\\dev\\uv\\'), explain(cacheDir)).toBe(true);
      const refused = await wine(['cmd', '/c', 'uv.exe --cache-dir C:\\elsewhere cache dir']);
      expect(refused.exitCode, explain(refused)).toBe(2);
      expect(fs.existsSync(drive('elsewhere'))).toBe(false);
      // The signed executable runs.
      const version = await wine([exe, 'safe', 'version']);
      expect(version.stdout, explain(version)).toContain(`uvx-safe ${release.version} (Bun`);

      // The next version over it: one entry, new bytes in uvx-safe.exe and in every shim, the policy kept.
      const oldBytes = fs.readFileSync(exe);
      const upgrade = await msiexec(['/i', winPath(release.upgradeMsi)]);
      expect(upgrade.exitCode, explain(upgrade)).toBe(0);
      expect(await installedEntries()).toEqual([release.upgradeVersion]);
      expect(readVersionResource(exe).fileVersion).toBe(`${release.upgradeVersion}.0`);
      expect(fs.readFileSync(exe).equals(oldBytes)).toBe(false);
      for (const shim of shims) expect(inode(shim), `${shim} is a hard link to the new uvx-safe.exe`).toBe(inode(exe));
      expect(fs.readdirSync(path.join(installDir(), 'bin')).sort()).toEqual(['uv.exe', 'uvx.exe']);
      expect(fs.readFileSync(policyFile(), 'utf8')).toBe(fs.readFileSync(policy, 'utf8'));
      expect((await machinePath()).split(';').filter((p) => p.includes('uvx-safe'))).toEqual(['C:\\Program Files\\uvx-safe\\bin']);
      const after = await wine(['cmd', '/c', 'uv.exe cache dir']);
      expect(after.stdout.trim().startsWith('C:\\dev\\uv\\'), explain(after)).toBe(true);

      // An older version does not install over a newer one.
      const downgrade = await msiexec(['/i', winPath(path.join(release.dir, names.msi))]);
      expect(FAILED, explain(downgrade)).toContain(downgrade.exitCode);
      expect(await installedEntries()).toEqual([release.upgradeVersion]);

      // Uninstall: every file and the Path entry go; the admin's policy stays (no REMOVEPOLICY).
      const remove = await msiexec(['/x', winPath(release.upgradeMsi)]);
      expect(remove.exitCode, explain(remove)).toBe(0);
      expect(fs.existsSync(installDir())).toBe(false);
      expect(await machinePath()).not.toContain('uvx-safe');
      expect(await installedEntries()).toEqual([]);
      expect(fs.readdirSync(path.dirname(policyFile()))).toEqual(['config.toml']);
    },
    SLOW,
  );

  it(
    'REMOVEPOLICY=1 takes the policy and its folder too; a POLICY that cannot be read fails the install (1603) and leaves nothing',
    async (ctx) => {
      const release = needRelease(ctx);
      await ownPrefix(needWineBed(ctx));
      const msi = winPath(path.join(release.dir, artefactNames(release.version).msi));
      fs.mkdirSync(path.dirname(policyFile()), { recursive: true });
      fs.writeFileSync(policyFile(), 'mode = "warn"\r\n');
      const install = await msiexec(['/i', msi]);
      expect(install.exitCode, explain(install)).toBe(0);
      expect(fs.readFileSync(policyFile(), 'utf8'), 'no POLICY: the file there is kept').toBe('mode = "warn"\r\n');
      const remove = await msiexec(['/x', msi, 'REMOVEPOLICY=1']);
      expect(remove.exitCode, explain(remove)).toBe(0);
      expect(fs.existsSync(path.dirname(policyFile()))).toBe(false);
      expect(fs.existsSync(installDir())).toBe(false);

      const missing = await msiexec(['/i', msi, `POLICY=${winPath(path.join(work, 'no-such-policy.toml'))}`]);
      expect(FAILED, explain(missing)).toContain(missing.exitCode);
      expect(fs.existsSync(installDir())).toBe(false);
      expect(await installedEntries()).toEqual([]);
      expect(await machinePath()).not.toContain('uvx-safe');
    },
    SLOW,
  );
});
