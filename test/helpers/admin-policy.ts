// Run a program that sees a policy at the admin path, /etc/uvx-safe/config.toml, without touching
// the machine's /etc: `unshare -m` gives the child a private mount namespace, in which /etc is an
// overlay of the real /etc and a folder holding uvx-safe/config.toml (or, when /etc/uvx-safe
// exists already, a bind mount over it). Nothing is created outside `root`.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { runProgram, type RunOptions, type RunResult } from './uv.js';

const SCRIPT = [
  'set -e',
  'mount --make-rprivate /',
  'if [ -d /etc/uvx-safe ]; then mount --bind "$1/upper/uvx-safe" /etc/uvx-safe',
  'else mount -t overlay overlay -o "lowerdir=/etc,upperdir=$1/upper,workdir=$1/work" /etc; fi',
  'shift',
  'exec "$@"',
].join('\n');

/** Writes `toml` as the admin policy under `root` (upper/uvx-safe/config.toml); returns root. */
export function writeAdminPolicy(root: string, toml: string): string {
  fs.mkdirSync(path.join(root, 'upper', 'uvx-safe'), { recursive: true });
  fs.mkdirSync(path.join(root, 'work'), { recursive: true });
  fs.writeFileSync(path.join(root, 'upper', 'uvx-safe', 'config.toml'), toml);
  return root;
}

/** An empty /etc/uvx-safe under `root` (no admin policy at the platform path, whatever the machine has); returns root. */
export function writeNoAdminPolicy(root: string): string {
  fs.mkdirSync(path.join(root, 'upper', 'uvx-safe'), { recursive: true });
  fs.mkdirSync(path.join(root, 'work'), { recursive: true });
  fs.rmSync(path.join(root, 'upper', 'uvx-safe', 'config.toml'), { force: true });
  return root;
}

/** Why a private namespace with that policy cannot be made here, or undefined when it can. */
export async function adminNamespaceUnavailable(root: string): Promise<string | undefined> {
  const r = await execa('unshare', ['-m', 'sh', '-c', SCRIPT, 'sh', root, 'ls', '/etc/uvx-safe'], { reject: false });
  if (r.exitCode === 0) return undefined;
  return `cannot give a child its own /etc/uvx-safe (unshare -m and mount need root; util-linux): ${
    r.code === 'ENOENT' ? 'no unshare command' : r.stderr.trim().split('\n').pop()
  }`;
}

/** Runs `file args` in a private mount namespace where /etc/uvx-safe/config.toml is the policy under `root`. */
export function runWithAdminPolicy(root: string, file: string, args: readonly string[], opts: RunOptions): Promise<RunResult> {
  return runProgram('unshare', ['-m', 'sh', '-c', SCRIPT, 'sh', root, file, ...args], {
    ...opts,
    env: { ...opts.env, PATH: opts.env.PATH ?? '/usr/bin:/bin' },
  });
}
