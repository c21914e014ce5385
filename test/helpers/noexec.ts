// A folder where nothing may be executed: a fresh tmpfs mounted `noexec`. This is how the
// suite reproduces, on Linux, what AppLocker/WDAC or a hardened /home do to uv's cache.
import fs from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';

export type NoexecMount =
  | { ok: true; path: string; unmount: () => Promise<void> }
  | { ok: false; reason: string };

/**
 * Mount a noexec tmpfs on `dir` (created if missing). Never throws for a missing capability:
 * not Linux, not root, no `mount` binary, or a mount that does not actually block execution
 * all come back as { ok: false, reason } for the test to skip with.
 */
export async function mountNoexec(dir: string): Promise<NoexecMount> {
  if (process.platform !== 'linux') {
    return { ok: false, reason: `noexec tmpfs mounts need Linux (this is ${process.platform})` };
  }
  await fs.mkdir(dir, { recursive: true });
  // mode=1777: like /tmp, so the folder is writable whoever ends up using it.
  const mounted = await execa('mount', ['-t', 'tmpfs', '-o', 'noexec,mode=1777', 'tmpfs', dir], { reject: false });
  if (mounted.exitCode !== 0) {
    const why = mounted.code === 'ENOENT' ? 'no `mount` command' : mounted.stderr.trim() || `exit ${mounted.exitCode}`;
    return { ok: false, reason: `cannot mount a noexec tmpfs (needs root or CAP_SYS_ADMIN): ${why}` };
  }
  const unmount = () => unmountRobustly(dir);

  // Prove the mount blocks execution; otherwise every "fails on noexec" test would be meaningless.
  const probe = path.join(dir, 'noexec-probe.sh');
  await fs.writeFile(probe, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  const ran = await execa(probe, { reject: false });
  await fs.rm(probe, { force: true });
  if (ran.code !== 'EACCES') {
    await unmount();
    return {
      ok: false,
      reason: `a noexec tmpfs at ${dir} did not block execution (probe: ${ran.code ?? `exit ${ran.exitCode}`})`,
    };
  }
  return { ok: true, path: dir, unmount };
}

let warnedLazy = false;

/** umount; if the mount is busy (a straggling child still inside), detach it lazily instead. */
async function unmountRobustly(dir: string): Promise<void> {
  const plain = await execa('umount', [dir], { reject: false });
  if (plain.exitCode === 0 || !(await isMountPoint(dir))) return;
  const lazy = await execa('umount', ['-l', dir], { reject: false });
  if (lazy.exitCode === 0) {
    if (!warnedLazy) console.warn(`noexec: ${dir} was busy (${plain.stderr.trim()}); detached it lazily`);
    warnedLazy = true;
    return;
  }
  throw new Error(`cannot unmount the noexec tmpfs at ${dir}: ${plain.stderr.trim()} / ${lazy.stderr.trim()}`);
}

async function isMountPoint(dir: string): Promise<boolean> {
  const mounts = await fs.readFile('/proc/self/mounts', 'utf8');
  const real = await fs.realpath(dir).catch(() => dir);
  // /proc/self/mounts escapes spaces etc. as octal (\040); our temp paths have none.
  return mounts.split('\n').some((line) => line.split(' ')[1] === real);
}
