// Builds the standalone executables (`npm run build:exe`): dist/uvx-safe.cjs, with the `safe`
// commands bundle it requires embedded, compiled by Bun into one file per platform that needs no
// Node on the target. Bun was chosen by measurement (docs/windows-shims.md, "Start-up"): it starts
// in about a third of the npm form's time, where a Node single executable takes about the same.
//
//   node scripts/build-exe.mjs [--target linux-x64|win-x64 ...] [--if-stale]
//
// --if-stale skips a target whose executable was built from the same bundles with the same Bun
// (a content hash in dist/exe/<name>.build.json), so that test set-up can call it cheaply.
// Cross-compiling the Windows one downloads Bun's Windows runtime once (npm registry) into ~/.bun;
// a copy of it with uvx-safe's version resource (scripts/release/exe-resource.mjs) is what the
// Windows executable is compiled from, so it names itself uvx-safe, not Bun.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { versionStrings, writeVersionResource } from './release/exe-resource.mjs';

const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..');
const dist = path.join(root, 'dist');
const outDir = path.join(dist, 'exe');

const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

/** Target name -> Bun's --target, the file it writes, the runtime it starts from (default: Bun's own). */
const TARGETS = {
  'linux-x64': { bun: 'bun-linux-x64', file: 'uvx-safe-linux-x64', mark: (f) => markElf(f) },
  'win-x64': { bun: 'bun-windows-x64', file: 'uvx-safe-win-x64.exe', mark: (f) => markPe(f), runtime: (bun) => namedWindowsRuntime(bun) },
};
// --bytecode: JavaScriptCore bytecode in the executable, so nothing is parsed at start-up.
// --define: the launcher then names itself by process.execPath (src/launch/self.ts).
// --no-compile-autoload-*: by default a Bun executable reads `.env` and `bunfig.toml` from the
// working folder (a repository's `.env` would set UV_* and UVX_SAFE_* variables, and its bunfig's
// `preload` would run its code): a repository is data, never authority. tsconfig.json and
// package.json are off by default; said explicitly so that a new Bun default cannot turn them on.
const FLAGS = [
  '--compile',
  '--bytecode',
  '--minify',
  '--define',
  'UVX_SAFE_STANDALONE=true',
  '--no-compile-autoload-dotenv',
  '--no-compile-autoload-bunfig',
  '--no-compile-autoload-tsconfig',
  '--no-compile-autoload-package-json',
];

// The mark that makes every copy recognisable to the uv finder (src/uv/find.ts, hasLauncherMark),
// within the first 256 bytes it reads: ELF e_ident padding (bytes 9-15, ignored by the kernel), or
// the PE DOS stub's message (same length; only a DOS machine would print it). Marked before any
// signing: nothing is ever written into the executable after it is built.
const ELF_MARK = { offset: 9, text: 'uvxsafe' };
const DOS_MESSAGE = 'This program cannot be run in DOS mode.';
const PE_MARK = 'uvx-safe-launcher: not for DOS.'.padEnd(DOS_MESSAGE.length, ' ');

function markElf(file) {
  const fd = fs.openSync(file, 'r+');
  try {
    const head = Buffer.alloc(16);
    fs.readSync(fd, head, 0, 16, 0);
    if (head.toString('latin1', 0, 4) !== '\x7fELF' || head.subarray(ELF_MARK.offset).some((b) => b !== 0))
      throw new Error(`${file}: not an ELF file with empty e_ident padding`);
    fs.writeSync(fd, Buffer.from(ELF_MARK.text, 'latin1'), 0, ELF_MARK.text.length, ELF_MARK.offset);
  } finally {
    fs.closeSync(fd);
  }
}

/** The PE checksum (as ImageHlp computes it), kept valid after the stub changed. */
function peChecksum(buf, checksumOffset) {
  let sum = 0;
  const words = Math.floor(buf.length / 2);
  for (let i = 0; i < words; i++) {
    if (i * 2 === checksumOffset || i * 2 === checksumOffset + 2) continue;
    sum += buf[i * 2] | (buf[i * 2 + 1] << 8);
    sum = (sum & 0xffff) + (sum >>> 16);
  }
  if (buf.length % 2) sum += buf[buf.length - 1];
  sum = (sum & 0xffff) + (sum >>> 16);
  return (sum + buf.length) >>> 0;
}

function markPe(file) {
  const buf = fs.readFileSync(file);
  const at = buf.subarray(0, 256).indexOf(DOS_MESSAGE, 0, 'latin1');
  if (buf.toString('latin1', 0, 2) !== 'MZ' || at < 0) throw new Error(`${file}: no DOS stub message to mark`);
  buf.write(PE_MARK, at, 'latin1');
  const pe = buf.readUInt32LE(0x3c);
  const checksumOffset = pe + 24 + 64; // PE signature + file header, then CheckSum in the optional header
  buf.writeUInt32LE(peChecksum(buf, checksumOffset), checksumOffset);
  fs.writeFileSync(file, buf);
}

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

/** Bun's Windows runtime as cross-compiling downloaded it, fetched by a throw-away compile if missing. */
function bunWindowsRuntime(bun) {
  const name = `bun-windows-x64-v${bun.version}`;
  const bunHome = process.env.BUN_INSTALL ?? path.join(os.homedir(), '.bun');
  const candidates = [process.env.BUN_INSTALL_CACHE_DIR, path.join(bunHome, 'install', 'cache')].filter(Boolean).map((d) => path.join(d, name));
  const found = () => candidates.find((f) => fs.existsSync(f));
  if (!found()) {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'uvx-safe-bun-runtime-'));
    try {
      fs.writeFileSync(path.join(work, 'a.js'), '0;\n');
      spawnSync(bun.file, ['build', '--compile', '--target=bun-windows-x64', path.join(work, 'a.js'), '--outfile', path.join(work, 'a.exe')], { stdio: ['ignore', 'ignore', 'inherit'] });
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }
  const runtime = found();
  if (!runtime) throw new Error(`build-exe: Bun's Windows runtime (${name}) is not in ${candidates.join(' or ')} after cross-compiling once`);
  return runtime;
}

/** What the version resource says, as a hash: an input of the Windows build. */
const resourceId = crypto.createHash('sha256').update(JSON.stringify(versionStrings(pkg))).digest('hex').slice(0, 16);

/** A copy of Bun's Windows runtime whose version resource says uvx-safe (made once per version). */
function namedWindowsRuntime(bun) {
  const name = `.runtime-bun-windows-x64-v${bun.version}-${resourceId}.exe`;
  const out = path.join(outDir, name);
  if (!fs.existsSync(out)) {
    const temp = `${out}.${process.pid}.tmp`;
    writeVersionResource(bunWindowsRuntime(bun), temp, pkg);
    fs.renameSync(temp, out);
    // Runtimes of other versions are 110 MB each that nothing uses any more.
    for (const entry of fs.readdirSync(outDir)) if (entry.startsWith('.runtime-') && entry !== name) fs.rmSync(path.join(outDir, entry), { force: true });
  }
  return out;
}

function ensureBundles() {
  const bundles = ['uvx-safe.cjs', 'safe-commands.cjs', 'managed-install.cjs'].map((f) => path.join(dist, f));
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
for (const part of [bun.version, FLAGS.join(' '), PE_MARK, JSON.stringify(ELF_MARK), ...bundles.map((f) => fs.readFileSync(f))]) hash.update(part);
const bundleInputs = hash.digest('hex');

fs.mkdirSync(outDir, { recursive: true });
for (const name of targets) {
  const target = TARGETS[name];
  const outfile = path.join(outDir, target.file);
  const stampFile = `${outfile}.build.json`;
  // The version resource's strings are an input too (a new version or author makes a new runtime).
  const inputs = crypto.createHash('sha256').update(`${bundleInputs}\0${target.runtime ? resourceId : ''}`).digest('hex');
  if (ifStale && fs.existsSync(outfile)) {
    try {
      if (JSON.parse(fs.readFileSync(stampFile, 'utf8')).inputs === inputs) continue;
    } catch {
      // No stamp or a garbled one: build.
    }
  }
  fs.rmSync(stampFile, { force: true });
  const started = Date.now();
  const runtime = target.runtime ? ['--compile-executable-path', target.runtime(bun)] : [];
  const r = spawnSync(bun.file, ['build', ...FLAGS, ...runtime, `--target=${target.bun}`, path.join(dist, 'uvx-safe.cjs'), '--outfile', outfile], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (r.status !== 0) {
    console.error(
      `build-exe: bun build for ${name} failed (${r.status ?? r.signal ?? r.error?.message}); ` +
        `if ${bun.file} is not Bun itself, its postinstall did not run: \`npm rebuild bun\``,
    );
    process.exit(1);
  }
  target.mark(outfile);
  fs.writeFileSync(stampFile, `${JSON.stringify({ inputs, bun: bun.version, target: target.bun }, null, 2)}\n`);
  const size = (fs.statSync(outfile).size / 2 ** 20).toFixed(0);
  console.log(`build-exe: ${path.relative(root, outfile)} (${size} MiB, ${Date.now() - started} ms)`);
}
