// Fail closed for `uv pip install|sync|uninstall` with a named interpreter: `--python PATH`,
// `UV_PYTHON=PATH` (inherited, as every test sandbox here sets it), an executable name, or `--system`.
// uv 0.13.9 then writes into that interpreter's environment, wherever it lies, instead of a virtual
// environment; in enforce an interpreter outside allowed-roots is refused and nothing is installed.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { offlineIndexArgs } from '../helpers/fixtures.js';
import { expectRefused, policySandbox, writeLines } from '../helpers/refusal.js';
import { explain, getPython, runLauncher, runUv, type SandboxEnv } from '../helpers/uv.js';

let root: string;
let env: SandboxEnv;
let allowed: string;
let outsideVenv: string;
let insideVenv: string;

const install = ['pip', 'install', 'hello-cli', ...offlineIndexArgs()];
const installed = (venv: string) => fs.existsSync(path.join(venv, 'bin', 'hello-cli'));

beforeEach(async () => {
  let adminFile: string;
  ({ root, env, allowed, adminFile } = await policySandbox('uvx-safe-pipint-'));
  writeLines(adminFile, ['mode = "enforce"', `allowed-roots = ["${allowed}"]`, `data-root = "${allowed}/data"`]);
  outsideVenv = path.join(root, 'outside', 'venv');
  insideVenv = path.join(allowed, 'venv');
  for (const venv of [outsideVenv, insideVenv]) {
    const made = await runUv(['venv', venv], { env });
    expect(made.exitCode, explain(made)).toBe(0);
  }
});
afterEach(async () => {
  await fs.promises.rm(root, { recursive: true, force: true });
});

describe('uv pip with a named interpreter, in enforce', () => {
  it('--python (or -p) naming an interpreter outside allowed-roots is refused; nothing is installed', async () => {
    const python = path.join(outsideVenv, 'bin', 'python');
    expectRefused(await runLauncher([...install, '--python', python], { env, cwd: allowed }), `--python ${python}`, path.join(outsideVenv, 'bin'));
    expectRefused(await runLauncher(['pip', 'install', `-p${python}`, 'hello-cli', ...offlineIndexArgs()], { env, cwd: allowed }), `-p ${python}`);
    // A venv folder given as such is judged as that folder.
    expectRefused(await runLauncher([...install, '--python', outsideVenv], { env, cwd: allowed }), outsideVenv);
    expect(installed(outsideVenv)).toBe(false);
  });

  it("an inherited UV_PYTHON naming the machine's interpreter is refused: uv would install into it", async () => {
    // The sandbox's UV_PYTHON is the machine's python3, outside allowed-roots: without the check, this
    // installs hello-cli into the machine's own Python.
    expectRefused(await runLauncher(install, { env: { ...env, VIRTUAL_ENV: insideVenv }, cwd: allowed }), `UV_PYTHON=${getPython()}`);
  });

  it('--system is judged by the first Python on PATH that is not a virtual environment, as uv picks it', async () => {
    // The outside venv comes first on PATH, but uv's --system passes over it: the machine's python3 is
    // what uv would write into, and it lies outside allowed-roots.
    const pathEnv = { ...env, UV_PYTHON: undefined, PATH: `${path.join(outsideVenv, 'bin')}:${env.PATH}` };
    const machineBin = path.dirname(getPython());
    expectRefused(await runLauncher([...install, '--system'], { env: pathEnv, cwd: allowed }), '--system', machineBin);
    expectRefused(await runLauncher(install, { env: { ...pathEnv, UV_SYSTEM_PYTHON: '1' }, cwd: allowed }), 'UV_SYSTEM_PYTHON', machineBin);
    expect(installed(outsideVenv)).toBe(false);
  });

  it('an interpreter inside allowed-roots is fine, and a version request still means the virtual environment', async () => {
    const r = await runLauncher([...install, '--python', path.join(insideVenv, 'bin', 'python')], { env, cwd: allowed });
    expect(r.exitCode, explain(r)).toBe(0);
    expect(installed(insideVenv)).toBe(true);
    const version = await runLauncher(['pip', 'uninstall', 'hello-cli', '--python', '3'], { env: { ...env, VIRTUAL_ENV: insideVenv }, cwd: allowed });
    expect(version.exitCode, explain(version)).toBe(0);
    expect(installed(insideVenv)).toBe(false);
  });

  it("a repository's [tool.uv.pip] python or system naming an interpreter outside is refused, naming the file", async () => {
    const repo = path.join(allowed, 'repo');
    const pyproject = path.join(repo, 'pyproject.toml');
    const base = ['[project]', 'name = "repo"', 'version = "1"', '', '[tool.uv.pip]'];
    const python = path.join(outsideVenv, 'bin', 'python');
    // UV_NO_CONFIG off and UV_PYTHON unset, so uv itself reads the repository's settings.
    const repoEnv = { ...env, UV_NO_CONFIG: undefined, UV_PYTHON: undefined };
    writeLines(pyproject, [...base, `python = "${python}"`]);
    expectRefused(await runLauncher(install, { env: repoEnv, cwd: repo }), `pip setting python (uv's settings: ${pyproject})`);
    // The control: plain uv does write there, so the check stands between the repository and the folder.
    const plain = await runUv(install, { env: repoEnv, cwd: repo });
    expect(plain.exitCode, explain(plain)).toBe(0);
    expect(installed(outsideVenv)).toBe(true);
    // `system = true`: judged by the machine's python3 (uv's pick); never run plain, it would install there.
    writeLines(pyproject, [...base, 'system = true']);
    expectRefused(await runLauncher(install, { env: repoEnv, cwd: repo }), `pip setting system (uv's settings: ${pyproject})`, path.dirname(getPython()));
  });
});
