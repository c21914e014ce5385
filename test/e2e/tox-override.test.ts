// tox starts its commands, and tox-uv starts uv, with only the variables of the environment's
// pass_env: a policy given by UVX_SAFE_* variables (and uv's XDG folders) is lost on the way, and
// the launcher tox starts runs uv without it. `safe env --hooks-only` sets TOX_UV_PATH and UV to the
// launcher and TOX_OVERRIDE, which makes tox pass them on. The real tox + tox-uv (from PyPI, see
// test/setup/clients.ts), the real uv behind the launcher, offline.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useClientVenvs } from '../helpers/clients.js';
import { needTool } from '../helpers/system-tools.js';
import { explain, getUv, LAUNCHER, runProgram, sandboxEnv, type SandboxEnv } from '../helpers/uv.js';
import { makeTempDir } from '../helpers/workspace.js';
import { toxOverride } from '../../src/shell/tox.js';

const clients = useClientVenvs(['tox']);

describe('tox keeps the policy of UVX_SAFE_* variables with the TOX_OVERRIDE of safe env', () => {
  let root: string;
  let allowed: string;
  let project: string;
  let env: SandboxEnv;

  beforeEach(async () => {
    root = await makeTempDir('uvx-safe-tox-');
    allowed = path.join(root, 'allowed');
    // The project (and so .tox/) inside the allowed root: `uv venv .tox/t` is judged like any location.
    project = path.join(allowed, 'project');
    fs.mkdirSync(project, { recursive: true });
    fs.writeFileSync(
      path.join(project, 'tox.ini'),
      '[tox]\nenv_list = t\n[testenv:t]\nskip_install = true\nallowlist_externals = *\ncommands = {env:UV} cache dir\n',
    );
    const sandbox = sandboxEnv(path.join(root, 'sandbox'));
    env = {
      ...sandbox,
      // node for the launcher's shebang, the real uv for the launcher to find.
      PATH: [path.dirname(getUv()), path.dirname(process.execPath), sandbox.PATH].join(':'),
      // The whole policy comes from the environment layer.
      UVX_SAFE_MODE: 'enforce',
      UVX_SAFE_ALLOWED_ROOTS: allowed,
      UVX_SAFE_DATA_ROOT: path.join(allowed, 'uv'),
    };
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  /** `safe env --hooks-only` evaluated by bash, as a dotfile does, then tox in that shell (TOX_OVERRIDE unset when `keep` is false). */
  async function toxAfterSafeEnv(bash: string, tox: string, keep: boolean) {
    const script = [
      `out="$("$NODE" "$LAUNCHER" safe env --shell bash --hooks-only)" || exit 3`,
      'eval "$out"',
      keep ? '' : 'unset TOX_OVERRIDE',
      `exec "$TOX" run -e t`,
    ].join('\n');
    return runProgram(bash, ['-c', script], { env: { ...env, NODE: process.execPath, LAUNCHER, TOX: tox }, cwd: project, timeoutMs: 120_000 });
  }

  it('with TOX_OVERRIDE, uv in the tox environment and the command it runs use the data root; without, the policy is lost', async (ctx) => {
    const bash = needTool(ctx, 'bash');
    const tox = path.join(clients.venv(ctx, 'tox'), 'bin', 'tox');
    // tox-uv passes tox's own interpreter (`uv venv -p TOX/bin/python`): a program uvx-safe judges,
    // so tox is installed inside the roots, as an admin would (design.md, "Programs named by path").
    env.UVX_SAFE_ALLOWED_ROOTS = [allowed, path.dirname(path.dirname(path.dirname(tox)))].join(':');
    const dataCache = path.join(allowed, 'uv', 'cache');

    const kept = await toxAfterSafeEnv(bash, tox, true);
    expect(kept.exitCode, explain(kept)).toBe(0);
    // tox-uv made .tox/t with the launcher (TOX_UV_PATH), which saw the policy.
    expect(kept.stdout, explain(kept)).toContain(`venv> ${LAUNCHER} venv`);
    expect(kept.stdout, explain(kept)).toMatch(new RegExp(`^${dataCache.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    expect(fs.existsSync(path.join(dataCache, 'CACHEDIR.TAG')), explain(kept)).toBe(true);
    expect(fs.existsSync(path.join(env.XDG_CACHE_HOME, 'uv'))).toBe(false);
    expect(fs.existsSync(path.join(env.HOME, '.cache', 'uv'))).toBe(false);

    // The same without TOX_OVERRIDE: tox drops UVX_SAFE_* and XDG_CACHE_HOME, so the launcher
    // has no policy and uv takes its default cache under HOME.
    fs.rmSync(path.join(project, '.tox'), { recursive: true, force: true });
    const dropped = await toxAfterSafeEnv(bash, tox, false);
    expect(dropped.exitCode, explain(dropped)).toBe(0);
    expect(dropped.stdout, explain(dropped)).toContain(path.join(env.HOME, '.cache', 'uv'));
    expect(dropped.stdout).not.toContain(dataCache);
  });
});

describe('the TOX_OVERRIDE of safe env reaches pass_env in every tox config format', () => {
  const FORMATS: [string, string, string][] = [
    ['tox.ini', 'tox.ini', '[tox]\nenv_list = t\n[testenv:t]\nskip_install = true\n'],
    ['tox.toml', 'tox.toml', 'env_list = ["t"]\n[env.t]\nskip_install = true\n'],
    ['pyproject.toml [tool.tox]', 'pyproject.toml', '[tool.tox]\nenv_list = ["t"]\n[tool.tox.env.t]\nskip_install = true\n'],
  ];

  it.for(FORMATS)('%s', async ([, file, text], ctx) => {
    const tox = path.join(clients.venv(ctx, 'tox'), 'bin', 'tox');
    const root = await makeTempDir('uvx-safe-tox-config-');
    try {
      fs.writeFileSync(path.join(root, file), text);
      const env = sandboxEnv(path.join(root, 'sandbox'));
      // The user's own override stays in force next to ours.
      const r = await runProgram(tox, ['config', '-e', 't', '-k', 'pass_env', 'deps'], {
        env: { ...env, TOX_OVERRIDE: toxOverride('testenv.deps=httpx;env_run_base.deps=httpx;tool.tox.env_run_base.deps=httpx') },
        cwd: root,
      });
      expect(r.exitCode, explain(r)).toBe(0);
      const passEnv = r.stdout.split('\n').map((l) => l.trim());
      for (const glob of ['UVX_SAFE_*', 'UV_*', 'UV', 'TOX_UV_PATH', 'HATCH_ENV_TYPE_VIRTUAL_UV_PATH', 'XDG_*']) expect(passEnv, explain(r)).toContain(glob);
      expect(r.stdout, explain(r)).toMatch(/^deps = httpx$/m);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
