// Bundles the launcher into one CommonJS file that bin/uvx-safe loads, then makes its V8 code cache.
// One file keeps start-up to a single read and parse; the cold commands (doctor, env, shims, config
// tools) are dynamic imports, which esbuild wraps so their bodies only run when `uvx-safe safe ...`
// asks for them.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..');
const outfile = path.join(root, 'dist', 'uvx-safe.cjs');

await build({
  entryPoints: [path.join(root, 'src', 'main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: false,
});

// Warm-up run: a policy with every kind of value, so that the config code is compiled too, and
// Node itself standing in for uv (`node --version`). Nothing of the machine's config is read.
const cacheFile = `${outfile}.cache`;
fs.rmSync(cacheFile, { force: true });
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'uvx-safe-build-'));
try {
  const policy = path.join(work, 'policy.toml');
  fs.writeFileSync(
    policy,
    [
      'mode = "enforce"',
      `allowed-roots = [${JSON.stringify(work)}]`,
      `data-root = ${JSON.stringify(path.join(work, 'data'))}`,
      'locked = ["mode", "allowed-roots"]',
      '[locations]',
      'cache = "{data-root}/cache"',
      '[env]',
      'UV_LINK_MODE = "copy"',
      '',
    ].join('\n'),
  );
  const run = spawnSync(process.execPath, [path.join(root, 'bin', 'uvx-safe'), '--version'], {
    cwd: work,
    stdio: 'ignore',
    env: {
      PATH: process.env.PATH ?? '',
      HOME: work,
      XDG_CONFIG_HOME: path.join(work, 'config'),
      XDG_CACHE_HOME: path.join(work, 'cache'),
      UVX_SAFE_SYSTEM_CONFIG: policy,
      UVX_SAFE_UV: process.execPath,
      UVX_SAFE_WRITE_CODE_CACHE: cacheFile,
    },
  });
  if (run.status !== 0 || !fs.existsSync(cacheFile))
    console.warn(`build: no code cache (warm-up exited ${run.status ?? run.signal}); the launcher still works, only slower to start`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
