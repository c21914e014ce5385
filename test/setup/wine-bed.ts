// The Windows test bed, built once into the git-ignored .cache/ and reused: a Wine prefix of our
// own (Windows 10, with the one-function bcryptprimitives.dll that uv 0.13.9 needs and Wine 8
// lacks), the real Windows uv from its PyPI wheel, and the small C
// programs of test/fixtures/windows built with mingw. The folder name carries a hash of those C
// sources and the uv pin, so editing a fixture gives a fresh bed. Only one wineboot, ever.
// Beside it, in the temp folder, a copy of the prefix owned by `nobody`: a non-root Wine with an
// unreadable uv.exe is how a refused spawn is shown (Wine never produces AppLocker's error 1260).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { missingTools } from '../helpers/system-tools.js';
import { ensureDirAtomically } from './atomic-dir.js';
import { hashTree } from './fixture-wheels.js';
import { UV_PIN } from './uv-binary.js';

/** The user the "Windows refuses the spawn" tests run Wine as. */
export const NOBODY = { uid: 65534, gid: 65534 };

/** Where everything lies (Linux paths); see `wineBedLayout`. */
export interface WineBed {
  root: string;
  /** WINEPREFIX for root. */
  prefix: string;
  /**
   * WINEPREFIX owned by NOBODY, for the refused-spawn tests. It lies under the system temp folder,
   * not in .cache/: a checkout under a private folder (/root/...) is out of nobody's reach.
   */
  nobodyPrefix: string;
  /** The real Windows uv 0.13.9. */
  uvExe: string;
  /** Stand-in uv.exe that records its command line, argv and environment (record-args.c). */
  recordArgsExe: string;
  /** Starts a process from an exact command line read from a file (run-cmdline.c). */
  runCmdlineExe: string;
}

/** Tools the bed needs, with the Debian package that brings each. */
const TOOLS: [string, string][] = [
  ['wine', 'wine wine64'],
  ['wineserver', 'wine wine64'],
  ['x86_64-w64-mingw32-gcc', 'gcc-mingw-w64-x86-64'],
  ['setpriv', 'util-linux'],
];

/** One line naming what is missing and how to get it, or undefined when every tool is there. */
export const missingWineTools = (): string | undefined => missingTools(TOOLS, 'the Windows tests skip');

/** One per bed (its path), so two checkouts never share, or kill, nobody's wine server. */
function nobodyRootOf(bedRoot: string): string {
  return path.join(os.tmpdir(), `uvx-safe-wine-nobody-${createHash('sha256').update(bedRoot).digest('hex').slice(0, 12)}`);
}

export function wineBedLayout(root: string): WineBed {
  return {
    root,
    prefix: path.join(root, 'prefix'),
    nobodyPrefix: path.join(nobodyRootOf(root), 'prefix'),
    uvExe: path.join(root, 'uv', 'uv.exe'),
    recordArgsExe: path.join(root, 'bin', 'record-args.exe'),
    runCmdlineExe: path.join(root, 'bin', 'run-cmdline.exe'),
  };
}

/** The environment every Wine command of the bed runs with (nothing inherited). */
export function wineEnv(prefix: string, home: string, user = 'root'): Record<string, string> {
  return {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    USER: user,
    // Wine decodes Linux arguments and variables with the locale's charset: without UTF-8,
    // non-ASCII arguments arrive garbled.
    LANG: 'C.UTF-8',
    WINEPREFIX: prefix,
    WINEDEBUG: '-all',
    // No Mono or Gecko: wineboot would offer to download them.
    WINEDLLOVERRIDES: 'mscoree,mshtml=',
  };
}

const READY = '.ready';

async function run(file: string, args: string[], env: Record<string, string>, what: string): Promise<void> {
  const r = await execa(file, args, { env, extendEnv: false, reject: false, stdin: 'ignore', timeout: 120_000 });
  if (r.exitCode !== 0) {
    throw new Error(`Windows test bed: ${what} failed: \`${file} ${args.join(' ')}\` ${r.code ?? `exited ${r.exitCode}`}\n${r.stderr}`);
  }
}

async function buildPrograms(sources: string, bin: string): Promise<void> {
  fs.mkdirSync(bin, { recursive: true });
  const cc = 'x86_64-w64-mingw32-gcc';
  const env = { PATH: '/usr/local/bin:/usr/bin:/bin' };
  await Promise.all([
    run(cc, ['-O2', '-shared', '-o', path.join(bin, 'bcryptprimitives.dll'), path.join(sources, 'processprng.c'), '-ladvapi32'], env, 'building bcryptprimitives.dll'),
    run(cc, ['-O2', '-municode', '-o', path.join(bin, 'record-args.exe'), path.join(sources, 'record-args.c'), '-lshell32'], env, 'building record-args.exe'),
    run(cc, ['-O2', '-municode', '-o', path.join(bin, 'run-cmdline.exe'), path.join(sources, 'run-cmdline.c')], env, 'building run-cmdline.exe'),
  ]);
}

/** uv.exe and uvx.exe from the win_amd64 wheel of uv==UV_PIN (pip downloads it; nothing is installed). */
async function fetchWindowsUv(python: string, target: string): Promise<void> {
  const download = path.join(target, 'wheel');
  fs.mkdirSync(download, { recursive: true });
  const args = ['-m', 'pip', 'download', '--quiet', '--disable-pip-version-check', '--no-deps', '--only-binary=:all:',
    '--platform', 'win_amd64', '-d', download, `uv==${UV_PIN}`];
  const r = await execa(python, args, { reject: false });
  if (r.exitCode !== 0) throw new Error(`Windows test bed: \`${python} ${args.join(' ')}\` failed\n${r.stderr}`);
  // A wheel is a zip: python's zipfile extracts the two programs, so no unzip tool is needed.
  const extract = [
    'import sys, zipfile, glob',
    'wheel = zipfile.ZipFile(glob.glob(sys.argv[1] + "/*.whl")[0])',
    'for name in ("uv.exe", "uvx.exe"):',
    '    member = next(n for n in wheel.namelist() if n.endswith(".data/scripts/" + name))',
    '    open(sys.argv[2] + "/" + name, "wb").write(wheel.read(member))',
  ].join('\n');
  const x = await execa(python, ['-c', extract, download, target], { reject: false });
  if (x.exitCode !== 0) throw new Error(`Windows test bed: extracting uv.exe from the wheel failed\n${x.stderr}`);
  fs.rmSync(download, { recursive: true, force: true });
}

/** One wineboot, Windows 10, the DLL in system32; the server is waited for so the folder can move. */
async function makePrefix(prefix: string, dll: Promise<string>, home: string): Promise<void> {
  const env = wineEnv(prefix, home);
  await run('wineboot', ['--init'], env, 'wineboot --init');
  // A new prefix says Windows 7; programs built for 10 (Bun, Node) refuse to start there.
  await run('wine', ['winecfg', '-v', 'win10'], env, 'winecfg -v win10');
  fs.copyFileSync(await dll, path.join(prefix, 'drive_c', 'windows', 'system32', 'bcryptprimitives.dll'));
  await run('wineserver', ['-w'], env, 'wineserver -w');
}

/**
 * `nobody`'s prefix is a copy of root's (a second wineboot would cost ~9 s). Debian's Wine keeps
 * a pointer to its server folder in <prefix>/wineserver, which must not be shared with root's.
 */
function copyPrefixForNobody(prefix: string, target: string): void {
  fs.cpSync(prefix, target, { recursive: true, verbatimSymlinks: true });
  fs.rmSync(path.join(target, 'wineserver'), { force: true });
  const chown = (p: string) => {
    fs.lchownSync(p, NOBODY.uid, NOBODY.gid);
    const stat = fs.lstatSync(p);
    if (stat.isDirectory()) for (const entry of fs.readdirSync(p)) chown(path.join(p, entry));
  };
  chown(target);
}

/** Build (once) or find the bed under <cacheDir>/windows-<hash>; returns its layout. */
export async function ensureWineBed(cacheDir: string, sourcesDir: string, python: string): Promise<WineBed> {
  const root = path.join(cacheDir, `windows-${hashTree(sourcesDir)}-uv${UV_PIN}`);
  const isValid = async (dir: string) => fs.existsSync(path.join(dir, READY));
  await ensureDirAtomically(root, isValid, async (temp) => {
    console.log(`[global-setup] building the Windows test bed (Wine prefix, uv.exe ${UV_PIN}, C fixtures) into ${root} (once)`);
    const bed = wineBedLayout(temp);
    const home = path.join(temp, 'home');
    fs.mkdirSync(home, { recursive: true });
    // wineboot (the slow part) runs while the C programs build and the wheel downloads.
    const programs = buildPrograms(sourcesDir, path.join(temp, 'bin'));
    await Promise.all([programs, fetchWindowsUv(python, path.dirname(bed.uvExe)), makePrefix(bed.prefix, programs.then(() => path.join(temp, 'bin', 'bcryptprimitives.dll')), home)]);
    fs.writeFileSync(path.join(temp, READY), '');
  });
  const bed = wineBedLayout(root);
  // Made again whenever the temp folder lost it (a reboot, a cleaner): a copy costs ~3 s.
  const nobodyRoot = path.dirname(bed.nobodyPrefix);
  const nobodyReady = async (dir: string) => fs.existsSync(path.join(dir, READY));
  await ensureDirAtomically(nobodyRoot, nobodyReady, async (temp) => {
    copyPrefixForNobody(bed.prefix, path.join(temp, 'prefix'));
    fs.chmodSync(temp, 0o755);
    fs.writeFileSync(path.join(temp, READY), '');
  });
  // A bed of older fixtures is ~1.4 GB of prefixes that nothing uses any more.
  for (const entry of fs.readdirSync(cacheDir)) {
    if (!/^windows-[0-9a-f]{16}-uv[0-9.]+$/.test(entry) || entry === path.basename(root)) continue;
    fs.rmSync(path.join(cacheDir, entry), { recursive: true, force: true });
    fs.rmSync(nobodyRootOf(path.join(cacheDir, entry)), { recursive: true, force: true });
  }
  return bed;
}
