// One install at a time per store: a lock file made with O_EXCL, holding the owner's pid and host,
// its mtime refreshed while the owner works. A lock whose owner died on this host, or that has not
// been refreshed for STALE_MS, is taken over, so a crashed install never blocks for good. The lock
// only saves work: installs end with an atomic rename, so even two at once both succeed.

import fs = require('node:fs');
import os = require('node:os');
import { UvSourceError } from '../errors.js';
import type { Debug } from '../log.js';

const HEARTBEAT_MS = 2_000;
export const STALE_MS = 30_000;
const POLL_MS = 100;
const GIVE_UP_MS = 15 * 60_000;

interface Owner {
  pid: number;
  host: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Why a lock file is stale, or undefined while its owner may still be working. */
export function staleReason(owner: Owner | undefined, ageMs: number, host: string, isAlive: (pid: number) => boolean): string | undefined {
  if (owner && owner.host === host && !isAlive(owner.pid)) return `its owner (pid ${owner.pid}) is gone`;
  if (ageMs > STALE_MS) return `not refreshed for ${Math.round(ageMs / 1000)} s`;
  return undefined;
}

function readOwner(file: string): Owner | undefined {
  try {
    const owner = JSON.parse(fs.readFileSync(file, 'utf8')) as Owner;
    return typeof owner.pid === 'number' && typeof owner.host === 'string' ? owner : undefined;
  } catch {
    return undefined;
  }
}

export interface HeldLock {
  release(): void;
}

export async function acquireLock(file: string, debug: Debug): Promise<HeldLock> {
  const started = Date.now();
  const me: Owner = { pid: process.pid, host: os.hostname() };
  let said = false;
  for (;;) {
    try {
      fs.writeFileSync(file, JSON.stringify(me), { flag: 'wx', mode: 0o600 });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (stat) {
      const stale = staleReason(readOwner(file), Date.now() - stat.mtimeMs, me.host, alive);
      if (stale) {
        debug(`taking over the stale lock ${file}: ${stale}`);
        fs.rmSync(file, { force: true });
        continue;
      }
    }
    if (!said) debug(`waiting for another uvx-safe installing uv (${file})`);
    said = true;
    if (Date.now() - started > GIVE_UP_MS) throw new UvSourceError(`gave up waiting for the lock ${file}`, { hint: `remove ${file} if no install is running` });
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  const heartbeat = setInterval(() => {
    const now = new Date();
    try {
      fs.utimesSync(file, now, now);
    } catch {
      // Taken over after all (a very slow machine): the final rename still keeps the store whole.
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();
  return {
    release() {
      clearInterval(heartbeat);
      if (readOwner(file)?.pid === me.pid) fs.rmSync(file, { force: true });
    },
  };
}
