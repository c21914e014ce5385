// `npm run release`: every artefact of a release, from a checkout with `npm ci` done, into dist/release/:
//   uvx-safe-<v>-linux-x64, uvx-safe-<v>-win-x64.exe   the standalone executables (scripts/build-exe.mjs)
//   uvx-safe-<v>.tgz                                    the npm package (npm pack)
//   uvx-safe_<v>_amd64.deb                              Debian/Ubuntu (scripts/release/deb.mjs)
//   uvx-safe-<v>-x64.msi                                Windows Installer (scripts/release/msi.mjs)
//   uvx-safe-<v>.cdx.json                               CycloneDX SBOM (scripts/release/sbom.mjs)
//   SHA256SUMS                                          over all of the above
//
//   node scripts/release.mjs [--out DIR] [--only exe,npm,deb,msi]
//                            [--sign-pkcs12 F | --sign-cert F --sign-key F] [--sign-timestamp URL]
//
// The .exe and the .msi are signed when a certificate is given (scripts/release/sign.mjs).
// docs/release.md is the procedure around it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { writeChecksums } from './release/checksums.mjs';
import { buildDeb } from './release/deb.mjs';
import { buildMsi } from './release/msi.mjs';
import { run } from './release/run.mjs';
import { writeSbom } from './release/sbom.mjs';
import { sign, signingFrom } from './release/sign.mjs';

const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..');
const KINDS = ['exe', 'npm', 'deb', 'msi'];

function parseArgs(argv) {
  const flags = { out: path.join(root, 'dist', 'release'), only: KINDS };
  for (let i = 0; i < argv.length; i++) {
    const m = /^--(out|only|sign-pkcs12|sign-cert|sign-key|sign-timestamp)$/.exec(argv[i]);
    if (!m || argv[i + 1] === undefined) {
      console.error(`release: unexpected argument "${argv[i]}"; see the head of scripts/release.mjs`);
      process.exit(2);
    }
    const value = argv[++i];
    flags[m[1]] = m[1] === 'only' ? value.split(',') : value;
  }
  const unknown = flags.only.filter((k) => !KINDS.includes(k));
  if (unknown.length) {
    console.error(`release: --only ${unknown.join(',')}: not one of ${KINDS.join(', ')}`);
    process.exit(2);
  }
  return { ...flags, out: path.resolve(flags.out) };
}

function node(script, args) {
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', script), ...args], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`release: scripts/${script} ${args.join(' ')} failed (${r.status ?? r.signal})`);
}

const flags = parseArgs(process.argv.slice(2));
const wants = (kind) => flags.only.includes(kind);
const signing = signingFrom(flags, process.env);
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const { version } = pkg;
const out = flags.out;
const work = path.join(out, '.work');
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });

node('build.mjs', []);
const targets = [...(wants('exe') || wants('deb') ? ['linux-x64'] : []), ...(wants('exe') || wants('msi') ? ['win-x64'] : [])];
if (targets.length) node('build-exe.mjs', [...targets.flatMap((t) => ['--target', t]), '--if-stale']);

const artefacts = [];
const signed = (file) => {
  if (signing) sign(file, signing, { description: pkg.name, url: pkg.homepage });
  return file;
};
// The Windows executable as released: signed (when asked) before it goes into the MSI.
let winExe;
if (wants('exe') || wants('msi')) {
  winExe = path.join(wants('exe') ? out : work, `${pkg.name}-${version}-win-x64.exe`);
  fs.copyFileSync(path.join(root, 'dist', 'exe', 'uvx-safe-win-x64.exe'), winExe);
  signed(winExe);
  if (wants('exe')) artefacts.push({ file: winExe, kind: 'standalone executable, Windows x64', runtime: true });
}
if (wants('exe')) {
  const linuxExe = path.join(out, `${pkg.name}-${version}-linux-x64`);
  fs.copyFileSync(path.join(root, 'dist', 'exe', 'uvx-safe-linux-x64'), linuxExe);
  fs.chmodSync(linuxExe, 0o755);
  artefacts.push({ file: linuxExe, kind: 'standalone executable, Linux x64', runtime: true });
}
if (wants('npm')) {
  // The bundles were just built: prepack would build them again.
  const [info] = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', out], { cwd: root }));
  artefacts.push({ file: path.join(out, info.filename), kind: 'npm package (Node 20+)' });
}
if (wants('deb')) {
  const file = buildDeb({ exe: path.join(root, 'dist', 'exe', 'uvx-safe-linux-x64'), pkg, version, outDir: out, work, licenseFile: path.join(root, 'LICENSE') });
  artefacts.push({ file, kind: 'Debian package, amd64', runtime: true });
}
if (wants('msi')) {
  const file = signed(buildMsi({ exe: winExe, pkg, version, outDir: out, work: path.join(work, 'msi') }));
  artefacts.push({ file, kind: 'Windows Installer package, x64', runtime: true });
}

const require = createRequire(import.meta.url);
const sbom = await writeSbom(path.join(out, `${pkg.name}-${version}.cdx.json`), {
  pkg,
  lock: JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')),
  bundlesMeta: JSON.parse(fs.readFileSync(path.join(root, 'dist', 'bundles.meta.json'), 'utf8')),
  bunVersion: require('bun/package.json').version,
  artefacts,
  timestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
});
fs.rmSync(work, { recursive: true, force: true });
await writeChecksums(out, [...artefacts.map((a) => a.file), sbom]);

for (const file of fs.readdirSync(out).sort()) {
  const size = fs.statSync(path.join(out, file)).size;
  console.log(`release: ${path.relative(root, path.join(out, file))}  ${(size / 2 ** 20).toFixed(1)} MiB (${size} bytes)`);
}
if (!signing) console.log('release: not signed (no certificate given; see docs/release.md)');
