// `safe env --persist` on Linux: the user's systemd environment.d file, read back by systemd's own
// generator (with a scratch XDG_CONFIG_HOME), a per-user data root written as ${HOME}, and --remove;
// with --machine, /etc/environment.d and /etc/profile.d inside a private mount namespace whose /etc is
// an overlay in a scratch folder (the machine's /etc is never written), read back by a login shell.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeLines } from '../helpers/refusal.js';
import { skipOrFail } from '../helpers/system-tools.js';
import { explain, LAUNCHER, runLauncher, runProgram, sandboxEnv, type SandboxEnv } from '../helpers/uv.js';
import { makeTempDir } from '../helpers/workspace.js';

const GENERATOR = ['/usr/lib/systemd/user-environment-generators/30-systemd-environment-d-generator', '/lib/systemd/user-environment-generators/30-systemd-environment-d-generator'].find((f) => fs.existsSync(f));

let root: string;
let env: SandboxEnv;
let home: string;

beforeEach(async () => {
  root = fs.realpathSync(await makeTempDir('uvx-safe-persist-'));
  env = sandboxEnv(path.join(root, 'sandbox'));
  home = env.HOME;
  const policy = path.join(root, 'policy.toml');
  // Per user: the data root is under each user's home.
  writeLines(policy, ['mode = "enforce"', 'allowed-roots = ["{home}"]', 'data-root = "{home}/uv-data"', '[env]', 'UV_LINK_MODE = "copy"']);
  env = { ...env, UVX_SAFE_SYSTEM_CONFIG: policy };
});

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const confFile = () => path.join(env.XDG_CONFIG_HOME, 'environment.d', 'uvx-safe.conf');

describe('safe env --persist (Linux, the user)', () => {
  it('writes environment.d, which systemd\'s generator reads as the relocation for any home; --remove removes it', async (ctx) => {
    let r = await runLauncher(['safe', 'env', '--persist'], { env, uv: 'none' });
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stdout.trim()).toBe(`wrote ${confFile()}`);
    const text = fs.readFileSync(confFile(), 'utf8');
    expect(text).toContain('UV_CACHE_DIR=${HOME}/uv-data/cache\n');
    expect(text).toContain('PATH=${PATH}:${HOME}/uv-data/bin\n');
    expect(text).toContain('UV_LINK_MODE=copy\n');
    expect(text).not.toMatch(/^TMPDIR=/m);
    expect(fs.statSync(path.join(home, 'uv-data', 'cache')).isDirectory()).toBe(true);

    if (!GENERATOR) skipOrFail(ctx, "systemd's environment.d generator is not installed (apt-get install -y systemd)");
    const other = path.join(root, 'another-home');
    const generated = await runProgram(GENERATOR!, [], { env: { PATH: '/usr/bin:/bin', HOME: other, XDG_CONFIG_HOME: env.XDG_CONFIG_HOME }, cwd: root });
    expect(generated.exitCode, explain(generated)).toBe(0);
    const lines = generated.stdout.split('\n');
    expect(lines).toContain(`UV_CACHE_DIR=${other}/uv-data/cache`);
    expect(lines).toContain(`UV_TOOL_BIN_DIR=${other}/uv-data/bin`);
    expect(lines).toContain(`PATH=/usr/bin:/bin:${other}/uv-data/bin`);

    r = await runLauncher(['safe', 'env', '--persist', '--remove'], { env, uv: 'none' });
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stdout.trim()).toBe(`removed ${confFile()}`);
    expect(fs.readdirSync(path.dirname(confFile()))).toEqual([]);
  });

  it('--temp adds TMPDIR, TEMP and TMP; a file of that name not written by uvx-safe is never touched', async () => {
    let r = await runLauncher(['safe', 'env', '--persist', '--temp'], { env, uv: 'none' });
    expect(r.exitCode, explain(r)).toBe(0);
    for (const name of ['TMPDIR', 'TEMP', 'TMP']) expect(fs.readFileSync(confFile(), 'utf8')).toContain(`${name}=\${HOME}/uv-data/tmp\n`);
    fs.writeFileSync(confFile(), 'FOO=bar\n');
    for (const args of [['--persist'], ['--persist', '--remove']]) {
      r = await runLauncher(['safe', 'env', ...args], { env, uv: 'none' });
      expect(r.exitCode, explain(r)).toBe(2);
      expect(r.stderr).toContain(`${confFile()} exists and was not written by uvx-safe`);
      expect(fs.readFileSync(confFile(), 'utf8')).toBe('FOO=bar\n');
    }
  });
});

/** Runs the launcher in a private mount namespace whose /etc is an overlay with its upper layer in `upper`. */
async function inOverlayEtc(upper: string, args: string[], shellAfter?: string) {
  const work = path.join(root, 'overlay-work');
  fs.mkdirSync(upper, { recursive: true });
  fs.mkdirSync(work, { recursive: true });
  const script = [
    'set -e',
    'mount --make-rprivate /',
    'mount -t overlay overlay -o "lowerdir=/etc,upperdir=$1,workdir=$2" /etc',
    'shift 2',
    '"$@"',
    ...(shellAfter ? [shellAfter] : []),
  ].join('\n');
  return execa('unshare', ['-m', 'sh', '-c', script, 'sh', upper, work, process.execPath, LAUNCHER, ...args], {
    env: Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined)),
    extendEnv: false,
    reject: false,
    cwd: root,
  });
}

describe('safe env --persist --machine (Linux)', () => {
  it('writes /etc/environment.d and /etc/profile.d, which a login shell reads; --remove removes both', async (ctx) => {
    const upper = path.join(root, 'etc-upper');
    const probe = await execa('unshare', ['-m', 'true'], { reject: false });
    if (probe.exitCode !== 0) skipOrFail(ctx, `unshare -m needs root and util-linux: ${probe.stderr.trim()}`);
    const other = path.join(root, 'another-home');
    fs.mkdirSync(other);
    const r = await inOverlayEtc(upper, ['safe', 'env', '--persist', '--machine'], `HOME=${JSON.stringify(other)} sh -c '. /etc/profile.d/uvx-safe.sh; echo "$UV_CACHE_DIR"; echo "$PATH"'`);
    expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
    const out = r.stdout.trim().split('\n');
    expect(out.slice(0, 2)).toEqual(['wrote /etc/environment.d/uvx-safe.conf', 'wrote /etc/profile.d/uvx-safe.sh']);
    expect(out[2]).toBe(`${other}/uv-data/cache`);
    expect(out[3]).toBe(`${env.PATH}:${other}/uv-data/bin`);
    expect(fs.readFileSync(path.join(upper, 'environment.d', 'uvx-safe.conf'), 'utf8')).toContain('UV_CACHE_DIR=${HOME}/uv-data/cache\n');
    expect(fs.existsSync('/etc/profile.d/uvx-safe.sh'), "the machine's /etc untouched").toBe(false);

    const removed = await inOverlayEtc(upper, ['safe', 'env', '--persist', '--machine', '--remove']);
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(removed.stdout.trim().split('\n')).toEqual(['removed /etc/environment.d/uvx-safe.conf', 'removed /etc/profile.d/uvx-safe.sh']);
    // Files only the upper layer held are simply gone from it (the lower /etc never had them).
    for (const file of ['environment.d/uvx-safe.conf', 'profile.d/uvx-safe.sh']) expect(fs.existsSync(path.join(upper, file)), file).toBe(false);
  });
});
