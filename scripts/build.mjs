// Bundles the launcher into one CommonJS file that bin/uvx-safe loads (the hot path of every uv
// call), and the `safe` commands into a second one that only `uvx-safe safe ...` reads; then makes
// the launcher bundle's V8 code cache. The split keeps ~40 kB of cold code out of every uv call.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..');
const outfile = path.join(root, 'dist', 'uvx-safe.cjs');

const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const common = {
  define: { UVX_SAFE_VERSION: JSON.stringify(pkg.version) },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  // What went into each bundle (dist/bundles.meta.json): the release's SBOM lists the npm packages.
  metafile: true,
};
const metas = [];
// The hot path: everything a uv call needs, and nothing else.
metas.push(await build({
  ...common,
  entryPoints: [path.join(root, 'src', 'main.ts')],
  outfile,
  external: ['./safe-commands.cjs', './managed-install.cjs'],
}));
// The bundle ends with a hash of its content, which keys the code cache (bin/uvx-safe): npm install
// gives the files arbitrary mtimes, so time cannot say whether a cache belongs to this bundle.
const bundleText = fs.readFileSync(outfile, 'utf8');
const bundleId = createHash('sha256').update(bundleText).digest('hex').slice(0, 32);
fs.writeFileSync(outfile, `${bundleText.endsWith('\n') ? bundleText : `${bundleText}\n`}//# uvx-safe-bundle ${bundleId}\n`);
// The `safe` commands (doctor, env, shims, config tools): required only by `uvx-safe safe ...`.
metas.push(await build({
  ...common,
  entryPoints: [path.join(root, 'src', 'commands', 'safe.ts')],
  outfile: path.join(root, 'dist', 'safe-commands.cjs'),
  external: ['./managed-install.cjs'],
}));
// The managed uv's installer (index client, proxy, zip): required only when a uv must be installed,
// and by `safe uv` / `safe doctor`.
metas.push(await build({
  ...common,
  entryPoints: [path.join(root, 'src', 'managed', 'entry.ts')],
  outfile: path.join(root, 'dist', 'managed-install.cjs'),
}));
// Bundle -> the source files that put bytes into it (paths relative to the checkout).
const bundled = {};
for (const { metafile } of metas)
  for (const [out, { inputs }] of Object.entries(metafile.outputs))
    bundled[out] = Object.entries(inputs).filter(([, i]) => i.bytesInOutput > 0).map(([file]) => file).sort();
fs.writeFileSync(path.join(root, 'dist', 'bundles.meta.json'), `${JSON.stringify(bundled, null, 2)}\n`);

// Warm-up run: a policy with every kind of value, so that the config code is compiled too, and a
// stand-in for uv. Nothing of the machine's config is read.
const cacheFile = `${outfile}.cache`;
fs.rmSync(cacheFile, { force: true });
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'uvx-safe-build-'));
try {
  // A stand-in for uv that answers `--version` like uv (POSIX); on Windows, Node itself, unchecked.
  let fakeUv;
  if (process.platform !== 'win32') {
    fakeUv = path.join(work, 'uv');
    fs.writeFileSync(fakeUv, '#!/bin/sh\necho "uv 0.13.0 (warm-up stand-in)"\n', { mode: 0o755 });
  }
  const policy = path.join(work, 'policy.toml');
  fs.writeFileSync(
    policy,
    [
      'mode = "enforce"',
      `allowed-roots = [${JSON.stringify(work)}]`,
      `data-root = ${JSON.stringify(path.join(work, 'data'))}`,
      'locked = ["mode", "allowed-roots"]',
      ...(fakeUv ? ['uv-version = ">=0.13"'] : []),
      '[locations]',
      'cache = "{data-root}/cache"',
      '[env]',
      'UV_LINK_MODE = "copy"',
      '',
    ].join('\n'),
  );
  // A user config and a project found from a subfolder, as on a developer's machine.
  fs.mkdirSync(path.join(work, 'config', 'uvx-safe'), { recursive: true });
  fs.writeFileSync(path.join(work, 'config', 'uvx-safe', 'config.toml'), '[locations]\ntool = "{data-root}/tools"\n');
  const project = path.join(work, 'project');
  fs.mkdirSync(path.join(project, 'src', 'pkg'), { recursive: true });
  fs.writeFileSync(
    path.join(project, 'pyproject.toml'),
    '[project]\nname = "app"\nversion = "0"\n\n[tool.uvx-safe]\nmode = "enforce"\n[tool.uvx-safe.env]\nUV_LINK_MODE = "copy"\n',
  );
  // Each run reads the cache the run before wrote and adds what it compiled: `--version` (the policy),
  // then the commands of the common path (`sync`, `run`: the project, workspace and environment
  // judgement), so that none of them compiles its own code on a user's call.
  let run;
  for (const args of [['--version'], ['sync'], ['run', 'python', '-c', 'pass']]) {
    run = spawnSync(process.execPath, [path.join(root, 'bin', 'uvx-safe'), ...args], {
      cwd: path.join(project, 'src', 'pkg'),
      stdio: 'ignore',
      env: {
        PATH: process.env.PATH ?? '',
        HOME: work,
        XDG_CONFIG_HOME: path.join(work, 'config'),
        XDG_CACHE_HOME: path.join(work, 'cache'),
        UVX_SAFE_SYSTEM_CONFIG: policy,
        UVX_SAFE_UV: fakeUv ?? process.execPath,
        UVX_SAFE_WRITE_CODE_CACHE: cacheFile,
      },
    });
    if (run.status !== 0) break;
  }
  if (!fs.existsSync(cacheFile))
    console.warn(`build: no code cache (warm-up exited ${run.status ?? run.signal}); the launcher still works, only slower to start`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
