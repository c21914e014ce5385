// The .deb of `npm run release`, installed as an admin would, but into a scratch root (`dpkg --root`):
// never into this machine's /opt or /etc. Its programs then run in a private mount namespace
// (`unshare -m`) where the scratch root's /opt/uvx-safe, /usr/bin and /etc lie over the machine's, so
// a login shell reads the package's /etc/profile.d script and the shims read the admin policy from
// /etc/uvx-safe/config.toml, the path they read on every Linux machine.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artefactNames, needRelease } from '../helpers/release.js';
import { needTool, skipOrFail } from '../helpers/system-tools.js';
import { listTree } from '../helpers/tree.js';
import { explain, getUv, runProgram, sandboxEnv, type SandboxEnv } from '../helpers/uv.js';
import { makeTempDir } from '../helpers/workspace.js';

let work: string;
beforeAll(async () => {
  work = await makeTempDir('uvx-safe-release-deb-');
});
afterAll(() => fs.promises.rm(work, { recursive: true, force: true }));

/** An empty root with a dpkg database of its own. */
function scratchRoot(name: string): string {
  const root = path.join(work, name);
  for (const dir of ['info', 'updates', 'triggers']) fs.mkdirSync(path.join(root, 'var', 'lib', 'dpkg', dir), { recursive: true });
  fs.writeFileSync(path.join(root, 'var', 'lib', 'dpkg', 'status'), '');
  return root;
}

async function dpkg(root: string, args: string[]) {
  const r = await runProgram('dpkg', [`--root=${root}`, '--log=/dev/null', ...args], { env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' }, cwd: work });
  expect(r.exitCode, explain(r)).toBe(0);
  return r;
}

/** What the package or the admin left in the root, leaving out dpkg's own database. */
const leftIn = (root: string) => listTree(root).filter((p) => !`${p}/`.startsWith('var/'));

/**
 * Runs `command` in a login shell (`sh -l`: /etc/profile and /etc/profile.d) inside a mount namespace
 * of its own whose /etc is the scratch root's over the machine's (overlay), /opt a fresh tmpfs with the
 * scratch root's /opt/uvx-safe, and /usr/bin the scratch root's over the machine's.
 */
function inInstalledMachine(root: string, command: string, env: SandboxEnv) {
  const mounts = [
    'set -e',
    'mount --make-rprivate /',
    `mount -t overlay overlay -o lowerdir="${root}/etc:/etc" /etc`,
    `mount -t overlay overlay -o lowerdir="${root}/usr/bin:/usr/bin" /usr/bin`,
    'mount -t tmpfs tmpfs /opt',
    'mkdir /opt/uvx-safe',
    `mount --bind "${root}/opt/uvx-safe" /opt/uvx-safe`,
    'exec sh -lc "$1"',
  ].join('\n');
  return runProgram('unshare', ['-m', 'sh', '-c', mounts, 'sh', command], { env, cwd: env.HOME });
}

function needRootAndNamespaces(ctx: { skip: (note?: string) => void }): void {
  needTool(ctx, 'dpkg');
  needTool(ctx, 'unshare', 'util-linux');
  if (process.getuid?.() !== 0) skipOrFail(ctx, 'not root: dpkg --root and a mount namespace need root');
}

describe('the .deb', () => {
  it('installs into a scratch root; a login shell finds its uv first, which runs the real uv relocated by the admin policy', async (ctx) => {
    const release = needRelease(ctx);
    needRootAndNamespaces(ctx);
    const root = scratchRoot('installed');
    await dpkg(root, ['-i', path.join(release.dir, artefactNames(release.version).deb)]);
    // The admin deploys the policy into the folder the package made (docs/admin-guide.md, Ansible).
    const data = path.join(work, 'data');
    fs.mkdirSync(data);
    fs.writeFileSync(
      path.join(root, 'etc', 'uvx-safe', 'config.toml'),
      [`mode = "enforce"`, `allowed-roots = [${JSON.stringify(data)}]`, `data-root = ${JSON.stringify(data)}`, `uv-path = ${JSON.stringify(getUv())}`, ''].join('\n'),
    );
    const env = sandboxEnv(path.join(work, 'sandbox'));
    const r = await inInstalledMachine(root, 'command -v uv; command -v uvx; uv cache dir; uvx-safe safe version; echo "$PATH"', env);
    expect(r.exitCode, explain(r)).toBe(0);
    const [uv, uvx, cacheDir, version, pathLine] = r.stdout.split('\n');
    expect([uv, uvx]).toEqual(['/opt/uvx-safe/bin/uv', '/opt/uvx-safe/bin/uvx']);
    expect(cacheDir!.startsWith(`${data}/`), explain(r)).toBe(true);
    expect(version).toMatch(new RegExp(`^uvx-safe ${release.version.replace(/\./g, '\\.')} \\(Bun .*standalone executable\\)$`));
    expect(pathLine!.split(':')[0]).toBe('/opt/uvx-safe/bin');
    // The control: a flag that points uv's cache outside the roots is refused by that same shim.
    const refused = await inInstalledMachine(root, `uv --cache-dir ${JSON.stringify(path.join(work, 'outside'))} cache dir`, env);
    expect(refused.exitCode, explain(refused)).toBe(2);
    expect(refused.stderr).toContain('--cache-dir');
    expect(fs.existsSync(path.join(work, 'outside'))).toBe(false);
  });

  it('remove and purge leave nothing but the admin policy; with no policy, nothing at all', async (ctx) => {
    const release = needRelease(ctx);
    needRootAndNamespaces(ctx);
    const deb = path.join(release.dir, artefactNames(release.version).deb);
    const withPolicy = scratchRoot('with-policy');
    await dpkg(withPolicy, ['-i', deb]);
    expect(leftIn(withPolicy)).toEqual(expect.arrayContaining(['opt/uvx-safe/uvx-safe', 'opt/uvx-safe/bin/uv', 'etc/profile.d/uvx-safe.sh', 'etc/uvx-safe/']));
    fs.writeFileSync(path.join(withPolicy, 'etc', 'uvx-safe', 'config.toml'), 'mode = "enforce"\n');
    await dpkg(withPolicy, ['--remove', 'uvx-safe']);
    // Remove keeps the conffile (the profile script); purge takes it; the policy stays through both.
    expect(leftIn(withPolicy)).toEqual(['etc/', 'etc/profile.d/', 'etc/profile.d/uvx-safe.sh', 'etc/uvx-safe/', 'etc/uvx-safe/config.toml']);
    await dpkg(withPolicy, ['--purge', 'uvx-safe']);
    expect(leftIn(withPolicy)).toEqual(['etc/', 'etc/uvx-safe/', 'etc/uvx-safe/config.toml']);

    const without = scratchRoot('without-policy');
    await dpkg(without, ['-i', deb]);
    await dpkg(without, ['--purge', 'uvx-safe']);
    expect(leftIn(without)).toEqual([]);
  });
});
