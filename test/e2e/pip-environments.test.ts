// Issue 15, item 2: the environment `uv pip install|sync|uninstall` finds is the one judged. Besides
// VIRTUAL_ENV and a `.venv` from the working folder up, uv 0.13.9 writes into an active conda
// environment (CONDA_PREFIX), into the environment the working folder lies in (an ancestor holding
// pyvenv.cfg), and into a virtual environment first on PATH; an interpreter named through a link is
// judged by where it installs. Real uv under landlock-run: refused in enforce (exit 2, one line), and
// the kernel saw no write outside allowed-roots.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { offlineIndexArgs } from '../helpers/fixtures.js';
import { needLandlock, runLauncherLandlocked } from '../helpers/landlock.js';
import { expectRefused, policySandbox, writeLines } from '../helpers/refusal.js';
import { explain, getPython, runLauncher, runUv, SYSTEM_PATH, type SandboxEnv } from '../helpers/uv.js';

let root: string;
let env: SandboxEnv;
let allowed: string;
let outsideVenv: string;
let work: string;

const install = ['pip', 'install', 'hello-cli', ...offlineIndexArgs()];
const installed = (venv: string) => fs.existsSync(path.join(venv, 'bin', 'hello-cli'));

beforeEach(async () => {
  let adminFile: string;
  ({ root, env, allowed, adminFile } = await policySandbox('uvx-safe-pyenv-'));
  writeLines(adminFile, ['mode = "enforce"', `allowed-roots = ["${allowed}"]`, `data-root = "${allowed}/data"`]);
  outsideVenv = path.join(root, 'outside', 'venv');
  const made = await runUv(['venv', outsideVenv], { env });
  expect(made.exitCode, explain(made)).toBe(0);
  // No interpreter named: uv looks for an environment of its own.
  env = { ...env, UV_PYTHON: undefined };
  work = path.join(allowed, 'work');
  fs.mkdirSync(work, { recursive: true });
});
afterEach(async () => {
  await fs.promises.rm(root, { recursive: true, force: true });
});

describe('environments uv finds for uv pip, in enforce', () => {
  it('an active conda environment (CONDA_PREFIX) outside allowed-roots is refused', async (ctx) => {
    needLandlock(ctx);
    const r = await runLauncherLandlocked(install, { env: { ...env, CONDA_PREFIX: outsideVenv }, cwd: work, write: [allowed] });
    expectRefused(r, `(${outsideVenv}, CONDA_PREFIX)`, 'outside allowed-roots');
    expect(installed(outsideVenv)).toBe(false);
  });

  it('the base conda environment (not a virtual environment) is passed over, as uv passes over it', async () => {
    const conda = path.join(root, 'outside', 'conda');
    fs.mkdirSync(path.join(conda, 'bin'), { recursive: true });
    fs.symlinkSync(getPython(), path.join(conda, 'bin', 'python3'));
    const base = { ...env, CONDA_PREFIX: conda, CONDA_DEFAULT_ENV: 'base', UVX_SAFE_DEBUG: '1' };
    const r = await runLauncher(install, { env: base, cwd: work });
    // uv finds no environment and says so itself; the launcher judged none.
    expect(r.stderr, explain(r)).toContain('No virtual environment found');
    expect(r.stderr, explain(r)).not.toContain('CONDA_PREFIX');
  });

  // uv reads `python3` and `python3.12` as versions (PythonRequest::parse), not as programs on PATH:
  // the environment it finds (here CONDA_PREFIX) is where it writes, and the one judged.
  it('--python python3 is a version request: uv writes into the environment it finds, which is judged', async (ctx) => {
    needLandlock(ctx);
    const request = ['pip', 'install', '--python', 'python3', ...install.slice(2)];
    const conda = { ...env, CONDA_PREFIX: outsideVenv };
    const r = await runLauncherLandlocked(request, { env: conda, cwd: work, write: [allowed] });
    expectRefused(r, `(${outsideVenv}, CONDA_PREFIX)`, 'outside allowed-roots');
    expect(installed(outsideVenv)).toBe(false);
    // What the launcher prevented: uv alone installs there.
    const alone = await runUv(request, { env: conda, cwd: work });
    expect(alone.exitCode, explain(alone)).toBe(0);
    expect(installed(outsideVenv)).toBe(true);
  });

  it('a working folder inside an environment outside allowed-roots is refused', async (ctx) => {
    needLandlock(ctx);
    const inside = path.join(outsideVenv, 'lib');
    const r = await runLauncherLandlocked(install, { env, cwd: inside, write: [allowed] });
    expectRefused(r, `(${outsideVenv}, the working folder lies in this environment)`);
    expect(installed(outsideVenv)).toBe(false);
  });

  it('a virtual environment first on PATH outside allowed-roots is refused', async (ctx) => {
    needLandlock(ctx);
    const onPath = { ...env, PATH: `${path.join(outsideVenv, 'bin')}:${SYSTEM_PATH}` };
    const r = await runLauncherLandlocked(install, { env: onPath, cwd: work, write: [allowed] });
    expectRefused(r, `(${outsideVenv}, the first Python on PATH`);
    expect(installed(outsideVenv)).toBe(false);
  });

  it('an interpreter named through a link inside allowed-roots is judged by where it installs', async (ctx) => {
    needLandlock(ctx);
    // allowed/link/python -> outside/venv/bin/python -> the machine's python: no pyvenv.cfg beside
    // the link, so Python (and uv) install into the machine's prefix.
    const link = path.join(allowed, 'link', 'python');
    fs.mkdirSync(path.dirname(link));
    fs.symlinkSync(path.join(outsideVenv, 'bin', 'python'), link);
    const prefix = path.dirname(path.dirname(fs.realpathSync(getPython())));
    const r = await runLauncherLandlocked([...install, '--python', link], { env, cwd: work, write: [allowed] });
    expectRefused(r, `(${prefix}, --python ${link})`, 'outside allowed-roots');
  });

  it('the same environments inside allowed-roots are fine', async () => {
    const venv = path.join(allowed, 'venv');
    const made = await runUv(['venv', venv], { env });
    expect(made.exitCode, explain(made)).toBe(0);
    for (const extra of [{ CONDA_PREFIX: venv }, { PATH: `${path.join(venv, 'bin')}:${SYSTEM_PATH}` }]) {
      const r = await runLauncher(install, { env: { ...env, ...extra }, cwd: work });
      expect(r.exitCode, explain(r)).toBe(0);
      expect(installed(venv)).toBe(true);
      const gone = await runLauncher(['pip', 'uninstall', 'hello-cli'], { env: { ...env, ...extra }, cwd: path.join(venv, 'lib') });
      expect(gone.exitCode, explain(gone)).toBe(0);
    }
  });
});
