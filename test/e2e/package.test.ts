// The npm package as a user gets it: `npm pack` holds the bundles and their code cache (no platform
// executables, no runtime dependencies), and the installed copy starts from the cache although npm
// gives its files other mtimes: the cache is keyed by the bundle's content.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths.js';
import { explain, getUv, runProgram, sandboxEnv, type SandboxEnv } from '../helpers/uv.js';
import { makeTempDir } from '../helpers/workspace.js';

let root: string;
let env: SandboxEnv;
beforeAll(async () => {
  root = await makeTempDir('uvx-safe-package-');
  env = { ...sandboxEnv(path.join(root, 'sandbox')), UVX_SAFE_UV: getUv(), UVX_SAFE_DEBUG: '1' };
});
afterAll(() => fs.promises.rm(root, { recursive: true, force: true }));

/** The first debug line says how the launcher started; e.g. "npm form, Node v20.20.2, code cache used". */
async function startedHow(bin: string): Promise<string> {
  const r = await runProgram(process.execPath, [bin, '--version'], { env });
  expect(r.exitCode, explain(r)).toBe(0);
  return r.stderr.split('\n')[0]!;
}

/** A copy of the package's runtime files; every file gets a fresh mtime, the cache the oldest. */
function copyPackage(to: string): string {
  for (const rel of ['bin/uvx-safe', 'dist/uvx-safe.cjs', 'dist/uvx-safe.cjs.cache', 'dist/safe-commands.cjs']) {
    fs.mkdirSync(path.dirname(path.join(to, rel)), { recursive: true });
    fs.copyFileSync(path.join(REPO_ROOT, rel), path.join(to, rel));
  }
  const old = new Date('2001-01-01T00:00:00Z');
  fs.utimesSync(path.join(to, 'dist', 'uvx-safe.cjs.cache'), old, old);
  return path.join(to, 'bin', 'uvx-safe');
}

describe('the V8 code cache', () => {
  it('is used by a copy whose cache is older than its bundle (mtimes do not matter)', async () => {
    expect(await startedHow(copyPackage(path.join(root, 'copy')))).toContain('code cache used');
  });

  it("is not used for another bundle: the cache's header names the content it was made for", async () => {
    const bin = copyPackage(path.join(root, 'changed'));
    const bundle = path.join(root, 'changed', 'dist', 'uvx-safe.cjs');
    // The same length (V8 would accept it), another content hash.
    const text = fs.readFileSync(bundle, 'utf8');
    fs.writeFileSync(bundle, text.replace(/uvx-safe-bundle ([0-9a-f])/, (_, c: string) => `uvx-safe-bundle ${c === '0' ? '1' : '0'}`));
    expect(await startedHow(bin)).toContain('code cache stale');
  });
});

describe('npm pack and install', () => {
  it('packs the bundles and the cache only, with no runtime dependencies, and the installed copy starts from the cache', async () => {
    // dist/ is fresh (npm test builds first); prepack would rebuild it under the other test files.
    const pack = await execa('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', root], { cwd: REPO_ROOT });
    const [info] = JSON.parse(pack.stdout) as [{ filename: string; files: { path: string }[]; unpackedSize: number }];
    const files = info.files.map((f) => f.path).sort();
    expect(files).toEqual(expect.arrayContaining(['bin/uvx-safe', 'dist/safe-commands.cjs', 'dist/uvx-safe.cjs', 'dist/uvx-safe.cjs.cache', 'package.json']));
    expect(files.filter((f) => f.startsWith('dist/exe') || f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);
    expect(info.unpackedSize).toBeLessThan(2_000_000);
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.scripts.prepack).toMatch(/build/);

    const project = path.join(root, 'project');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), '{"name":"p","version":"1.0.0","private":true}\n');
    const install = await execa('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', path.join(root, info.filename)], {
      cwd: project,
      reject: false,
    });
    expect(install.exitCode, install.stderr).toBe(0);
    const bin = path.join(project, 'node_modules', 'uvx-safe', 'bin', 'uvx-safe');
    expect(await startedHow(bin)).toContain('code cache used');
  });
});
