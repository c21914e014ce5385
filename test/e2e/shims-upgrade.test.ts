// Issue 16, "Upgrade in place": the admin replaces the standalone executable (`install -D`, which
// unlinks the old file, so hard-linked shims keep the old bytes); `safe doctor` warns with the command
// that fixes it; running that command replaces every older shim (hard link or copy), says `updated`,
// and leaves nothing else behind; doctor is then content. The "new version" is the built executable
// with one byte appended (Bun reads its payload from its own section, so it still runs).
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { launcherForms } from '../helpers/forms.js';
import { skipOrFail } from '../helpers/system-tools.js';
import { explain, getUv, runProgram, sandboxEnv, type RunResult, type SandboxEnv } from '../helpers/uv.js';
import { makeTempDir } from '../helpers/workspace.js';

const exeForm = launcherForms().find((f) => f.name === 'linux-exe');
const EXE = exeForm ? exeForm.command([])[0] : '';

let root: string;
let env: SandboxEnv;
let opt: string;
let launcher: string;
let bin: string;

beforeEach(async () => {
  root = fs.realpathSync(await makeTempDir('uvx-safe-upgrade-'));
  env = sandboxEnv(path.join(root, 'sandbox'));
  opt = path.join(root, 'opt', 'uvx-safe');
  launcher = path.join(opt, 'uvx-safe');
  bin = path.join(opt, 'bin');
});
afterEach(() => fs.promises.rm(root, { recursive: true, force: true }));

const lines = (text: string) => text.split('\n').filter((l) => l !== '');
const PATH = () => [bin, path.dirname(getUv()), env.PATH].join(':');
const run = (file: string, args: string[]): Promise<RunResult> => runProgram(file, args, { env: { ...env, PATH: PATH() } });

/** `install -D -m 755 FILE /opt/uvx-safe/uvx-safe`, as docs/deploy.md says. */
async function installLauncher(file: string): Promise<void> {
  const r = await execa('install', ['-D', '-m', '755', file, launcher], { reject: false });
  expect(r.exitCode, r.stderr).toBe(0);
}

/** A different build of the same launcher: the executable with one more byte. */
function newerBuild(): string {
  const file = path.join(root, 'uvx-safe-linux-x64.new');
  fs.copyFileSync(EXE, file);
  fs.appendFileSync(file, '\n');
  return file;
}

interface ShimJson {
  dir: string;
  files: string[];
  stale: string[];
  fix: string | null;
}

async function doctorShims(): Promise<{ shims: ShimJson[]; checks: { id: string; status: string; message: string }[] }> {
  const r = await run(launcher, ['safe', 'doctor', '--json']);
  return JSON.parse(r.stdout);
}

describe.runIf(exeForm)('upgrading the standalone executable in place', () => {
  it('doctor names the shims an upgrade left behind with the fix; the fix updates every one and leaves only uv and uvx', async () => {
    await installLauncher(EXE);
    const first = await run(launcher, ['safe', 'shims', 'install', '--dir', bin]);
    expect(lines(first.stdout), explain(first)).toEqual([`installed ${bin}/uv`, `installed ${bin}/uvx`]);
    const current = await doctorShims();
    expect(current.shims).toEqual([{ dir: bin, installedWith: 'dir', files: [`${bin}/uv`, `${bin}/uvx`], stale: [], fix: null }]);

    await installLauncher(newerBuild());
    const before = await doctorShims();
    const fix = `${launcher} safe shims install --dir ${bin}`;
    expect(before.shims).toEqual([{ dir: bin, installedWith: 'dir', files: [`${bin}/uv`, `${bin}/uvx`], stale: [`${bin}/uv`, `${bin}/uvx`], fix }]);
    expect(before.checks).toContainEqual({
      id: 'shims.0',
      label: 'shims',
      status: 'warn',
      message: `${bin}/uv and ${bin}/uvx differ from the running uvx-safe (a shim of an older launcher); fix: ${fix}`,
    });

    const [file, ...args] = fix.split(' ');
    const updated = await run(file!, args);
    expect(lines(updated.stdout), explain(updated)).toEqual([`updated ${bin}/uv`, `updated ${bin}/uvx`]);
    for (const name of ['uv', 'uvx']) expect(fs.statSync(path.join(bin, name)).ino).toBe(fs.statSync(launcher).ino);
    expect(fs.readdirSync(bin).sort()).toEqual(['uv', 'uvx']);
    expect((await doctorShims()).shims[0]!.stale).toEqual([]);

    const again = await run(launcher, ['safe', 'shims', 'install', '--dir', bin]);
    expect(lines(again.stdout)).toEqual([`unchanged ${bin}/uv`, `unchanged ${bin}/uvx`]);
  });

  it('copies (no hard link possible) are replaced by the new bytes too, with no orphan copy', async (ctx) => {
    await installLauncher(EXE);
    fs.mkdirSync(bin);
    const mounted = await execa('mount', ['-t', 'tmpfs', '-o', 'size=400m,mode=755', 'tmpfs', bin], { reject: false });
    if (mounted.exitCode !== 0) return skipOrFail(ctx, `cannot mount a tmpfs (needs root): ${mounted.stderr.trim()}`);
    try {
      await run(launcher, ['safe', 'shims', 'install', '--dir', bin]);
      const used = () => Number(fs.statfsSync(bin).blocks - fs.statfsSync(bin).bfree) * fs.statfsSync(bin).bsize;
      const usedBefore = used();
      await installLauncher(newerBuild());
      const updated = await run(launcher, ['safe', 'shims', 'install', '--dir', bin]);
      expect(lines(updated.stdout), explain(updated)).toEqual([
        `updated ${bin}/uv (a copy: no hard link possible there)`,
        `updated ${bin}/uvx (a copy: no hard link possible there)`,
      ]);
      expect(fs.readdirSync(bin).sort()).toEqual(['uv', 'uvx']);
      for (const name of ['uv', 'uvx']) expect(fs.statSync(path.join(bin, name)).size).toBe(fs.statSync(launcher).size);
      // Two copies before, two after: the old bytes are gone, not kept under another name.
      expect(Math.abs(used() - usedBefore)).toBeLessThan(1 << 20);
    } finally {
      await execa('umount', [bin], { reject: false });
    }
  });
});
