// Issue 15, item 1: the settings uv reads are the settings uvx-safe judges. A repository's
// `[tool.uv.pip] target` spelled any valid TOML way, a `--config-file`/UV_CONFIG_FILE file, the user's
// and the system's uv.toml can all send `uv pip install` elsewhere; the launcher asks uv itself
// (`uv --show-settings`) whenever one of those files exists. Real uv under landlock-run: in enforce a
// target outside allowed-roots is refused (exit 2, one line) and the kernel saw no write outside.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { offlineIndexArgs } from '../helpers/fixtures.js';
import { needLandlock, runLauncherLandlocked } from '../helpers/landlock.js';
import { expectRefused, policySandbox, writeLines } from '../helpers/refusal.js';
import { explain, runLauncher, runUv, type SandboxEnv } from '../helpers/uv.js';

let root: string;
let env: SandboxEnv;
let allowed: string;
let target: string;
let repo: string;
let adminFile: string;

const install = ['pip', 'install', 'hello-cli', ...offlineIndexArgs()];
const project = ['[project]', 'name = "repo"', 'version = "1"'];

beforeEach(async () => {
  ({ root, env, allowed, adminFile } = await policySandbox('uvx-safe-uvset-'));
  writeLines(adminFile, ['mode = "enforce"', `allowed-roots = ["${allowed}"]`, `data-root = "${allowed}/data"`]);
  // uv reads its config files (no UV_NO_CONFIG) and finds no interpreter of its own choosing.
  env = { ...env, UV_NO_CONFIG: undefined };
  target = path.join(root, 'outside', 'target');
  repo = path.join(allowed, 'repo');
});
afterEach(async () => {
  await fs.promises.rm(root, { recursive: true, force: true });
});

const spellings: [string, string[]][] = [
  ['a table header', ['[tool.uv.pip]', 'target = "T"']],
  ['spaces inside the brackets', ['[ tool . uv . pip ]', 'target = "T"']],
  ['quoted keys', ['["tool"."uv".\'pip\']', 'target = "T"']],
  ['dotted keys under [tool]', ['[tool]', 'uv.pip.target = "T"']],
  ['an inline table', ['[tool.uv]', 'pip = { target = "T" }']],
  ['a unicode escape in a quoted key', ['[tool."\\u0075v".pip]', 'target = "T"']],
];

describe("uv's settings choosing pip's target, in enforce", () => {
  it.for(spellings)('a repository pyproject.toml with %s is refused; nothing is written outside', async ([, lines], ctx) => {
    needLandlock(ctx);
    writeLines(path.join(repo, 'pyproject.toml'), [...project, ...lines.map((l) => l.replace('"T"', JSON.stringify(target)))]);
    const r = await runLauncherLandlocked(install, { env, cwd: repo, write: [allowed] });
    expectRefused(r, `pip setting target (uv's settings: ${path.join(repo, 'pyproject.toml')})`, 'outside allowed-roots');
    expect(fs.existsSync(target)).toBe(false);
  });

  it('the control: plain uv writes to that target, so the refusal stands between the repository and the folder', async () => {
    writeLines(path.join(repo, 'pyproject.toml'), [...project, '[tool]', `uv.pip.target = ${JSON.stringify(target)}`]);
    const r = await runUv(install, { env, cwd: repo });
    expect(r.exitCode, explain(r)).toBe(0);
    expect(fs.existsSync(path.join(target, 'hello_cli'))).toBe(true);
  });

  it('a --config-file or UV_CONFIG_FILE inside allowed-roots that sets target outside is refused', async (ctx) => {
    needLandlock(ctx);
    const file = path.join(allowed, 'uv.toml');
    writeLines(file, ['[pip]', `target = ${JSON.stringify(target)}`]);
    fs.mkdirSync(repo, { recursive: true });
    expectRefused(await runLauncherLandlocked(['--config-file', file, ...install], { env, cwd: repo, write: [allowed] }), `(uv's settings: ${file})`, target);
    expectRefused(await runLauncherLandlocked(install, { env: { ...env, UV_CONFIG_FILE: file }, cwd: repo, write: [allowed] }), `(uv's settings: ${file})`);
    // --no-config does not stop uv from reading a --config-file.
    expectRefused(await runLauncherLandlocked(['--no-config', '--config-file', file, ...install], { env, cwd: repo, write: [allowed] }), target);
    expect(fs.existsSync(target)).toBe(false);
  });

  it("the user's uv.toml and the system's (XDG_CONFIG_DIRS) are read as uv reads them", async (ctx) => {
    needLandlock(ctx);
    fs.mkdirSync(repo, { recursive: true });
    const user = path.join(env.XDG_CONFIG_HOME, 'uv', 'uv.toml');
    writeLines(user, ['[pip]', `target = ${JSON.stringify(target)}`]);
    expectRefused(await runLauncherLandlocked(install, { env, cwd: repo, write: [allowed] }), `(uv's settings: ${user})`, 'outside allowed-roots');
    fs.rmSync(user);
    const systemDir = path.join(root, 'xdg-system');
    const system = path.join(systemDir, 'uv', 'uv.toml');
    writeLines(system, ['[pip]', `prefix = ${JSON.stringify(target)}`]);
    expectRefused(await runLauncherLandlocked(install, { env: { ...env, XDG_CONFIG_DIRS: systemDir }, cwd: repo, write: [allowed] }), `pip setting prefix (uv's settings: ${system})`);
    // UV_NO_SYSTEM_CONFIG: uv skips it, and so does the judgement (the install then runs into the venv uv finds: none here).
    const skipped = await runLauncher(install, { env: { ...env, XDG_CONFIG_DIRS: systemDir, UV_NO_SYSTEM_CONFIG: '1', UVX_SAFE_DEBUG: '1' }, cwd: repo });
    expect(skipped.stderr, explain(skipped)).not.toContain("uv's pip settings");
    expect(fs.existsSync(target)).toBe(false);
  });

  it('a target inside allowed-roots from a config file installs there; a plain project asks uv nothing', async () => {
    const inside = path.join(allowed, 'target');
    writeLines(path.join(repo, 'pyproject.toml'), [...project, '[tool.uv.pip]', `target = ${JSON.stringify(inside)}`]);
    const r = await runLauncher(install, { env: { ...env, UVX_SAFE_DEBUG: '1' }, cwd: repo });
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stderr).toContain("uv's pip settings");
    expect(fs.existsSync(path.join(inside, 'hello_cli'))).toBe(true);
    // No [tool.uv] anywhere and no uv.toml: no question to uv (the install itself needs a venv: none here, uv says so).
    writeLines(path.join(repo, 'pyproject.toml'), project);
    const plain = await runLauncher(install, { env: { ...env, UVX_SAFE_DEBUG: '1' }, cwd: repo });
    expect(plain.stderr, explain(plain)).not.toContain("uv's pip settings");
  });
});

// uv cannot answer `--show-settings` when its own config file is broken (it exits 2 saying why): the
// launcher cannot tell where the write lands. src/launch/uv-settings.ts: enforce refuses, warn runs uv.
describe('uv cannot say what it merged', () => {
  const broken = () => {
    const file = path.join(repo, 'uv.toml');
    writeLines(file, ['[pip]', 'target = 1']);
    return file;
  };

  it('enforce refuses, naming the file that made it ask and what uv said, with what to do instead', async () => {
    const file = broken();
    const r = await runLauncher(install, { env, cwd: repo });
    const refusal = expectRefused(r, 'cannot tell where `uv pip install` writes', `(asked because of ${file})`, 'exited with 2: error: Failed to parse: uv.toml', '--target/--prefix/--python');
    expect(refusal.message).toContain('refused (mode = enforce');
  });

  it('warn says so once and runs uv, whose own error and status come through', async () => {
    broken();
    writeLines(adminFile, ['mode = "warn"', `allowed-roots = ["${allowed}"]`, `data-root = "${allowed}/data"`]);
    const r = await runLauncher(install, { env, cwd: repo });
    expect(r.exitCode, explain(r)).toBe(2);
    const ours = r.stderr.split('\n').filter((line) => line.includes('uvx-safe:'));
    expect(ours, explain(r)).toEqual([expect.stringMatching(/^warning: uvx-safe: cannot tell where `uv pip install` writes .*; running anyway \(mode = warn\)$/)]);
    expect(r.stderr, explain(r)).toMatch(/^error: Failed to parse: uv\.toml$/m);
  });
});
