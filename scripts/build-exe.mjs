// Builds the standalone executables (`npm run build:exe`): dist/uvx-safe.cjs, with the `safe`
// commands bundle it requires embedded, compiled by Bun into one file per platform that needs no
// Node on the target. Bun was chosen by measurement (docs/windows-shims.md, "Start-up"): it starts
// in about a third of the npm form's time, where a Node single executable takes about the same.
//
//   node scripts/build-exe.mjs [--target linux-x64|win-x64 ...] [--if-stale]
//
// --if-stale skips a target whose executable was built from the same bundles with the same Bun
// (a content hash in dist/exe/<name>.build.json), so that test set-up can call it cheaply.
// Cross-compiling the Windows one downloads Bun's Windows runtime once (npm registry) into ~/.bun.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..');
const dist = path.join(root, 'dist');
const outDir = path.join(dist, 'exe');

/** Target name -> Bun's --target and the file it writes. */
const TARGETS = {
  'linux-x64': { bun: 'bun-linux-x64', file: 'uvx-safe-linux-x64' },
  'win-x64': { bun: 'bun-windows-x64', file: 'uvx-safe-win-x64.exe' },
};
// --bytecode: JavaScriptCore bytecode in the executable, so nothing is parsed at start-up.
// --define: the launcher then names itself by process.execPath (src/launch/self.ts).
const FLAGS = ['--compile', '--bytecode', '--minify', '--define', 'UVX_SAFE_STANDALONE=true'];

function parseArgs(argv) {
  const targets = [];
  let ifStale = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--if-stale') ifStale = true;
    else if (argv[i] === '--target' && TARGETS[argv[i + 1]]) targets.push(argv[++i]);
    else {
      console.error(`build-exe: unexpected argument "${argv[i]}"; targets: ${Object.keys(TARGETS).join(', ')}`);
      process.exit(2);
    }
  }
  return { targets: targets.length ? targets : Object.keys(TARGETS), ifStale };
}

function bunBinary() {
  const require = createRequire(import.meta.url);
  const pkgFile = require.resolve('bun/package.json');
  const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
  return { file: path.join(path.dirname(pkgFile), pkg.bin.bun), version: pkg.version };
}

function ensureBundles() {
  const bundles = ['uvx-safe.cjs', 'safe-commands.cjs'].map((f) => path.join(dist, f));
  if (bundles.some((f) => !fs.existsSync(f))) {
    const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
  return bundles;
}

const { targets, ifStale } = parseArgs(process.argv.slice(2));
const bun = bunBinary();
const bundles = ensureBundles();
const hash = crypto.createHash('sha256');
for (const part of [bun.version, FLAGS.join(' '), ...bundles.map((f) => fs.readFileSync(f))]) hash.update(part);
const inputs = hash.digest('hex');

fs.mkdirSync(outDir, { recursive: true });
for (const name of targets) {
  const target = TARGETS[name];
  const outfile = path.join(outDir, target.file);
  const stampFile = `${outfile}.build.json`;
  if (ifStale && fs.existsSync(outfile)) {
    try {
      if (JSON.parse(fs.readFileSync(stampFile, 'utf8')).inputs === inputs) continue;
    } catch {
      // No stamp or a garbled one: build.
    }
  }
  fs.rmSync(stampFile, { force: true });
  const started = Date.now();
  const r = spawnSync(bun.file, ['build', ...FLAGS, `--target=${target.bun}`, path.join(dist, 'uvx-safe.cjs'), '--outfile', outfile], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (r.status !== 0) {
    console.error(`build-exe: bun build for ${name} failed (${r.status ?? r.signal ?? r.error?.message})`);
    process.exit(1);
  }
  fs.writeFileSync(stampFile, `${JSON.stringify({ inputs, bun: bun.version, target: target.bun }, null, 2)}\n`);
  const size = (fs.statSync(outfile).size / 2 ** 20).toFixed(0);
  console.log(`build-exe: ${path.relative(root, outfile)} (${size} MiB, ${Date.now() - started} ms)`);
}
