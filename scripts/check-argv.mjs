// Checks the argv tables of src/uv/argv.ts against uv binaries' `--help` (src/uv/argv-check.ts).
//
//   npm run argv:check -- /path/to/uv [/path/to/other/uv ...]
//   npm run argv:check-latest        (installs the newest uv on PyPI, and the checked range, into .cache/)
//
// Prints every difference and the table edits that fix the blocking ones; exits 1 when a uv's
// command line would be misread. Given several binaries, an option that takes a value in any of
// them may be read as taking one in all (docs/design.md, "uv versions").
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const usage = 'usage: npm run argv:check -- /path/to/uv [...]   |   npm run argv:check-latest';

async function loadChecker() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'uvx-safe-argv-check-'));
  try {
    const outfile = path.join(tmp, 'argv-check.cjs');
    await build({
      entryPoints: [path.join(root, 'src', 'uv', 'argv-check.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      logLevel: 'warning',
    });
    return createRequire(import.meta.url)(outfile);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Run uv with a wide, colourless help and no config file of the machine. */
function runner(uv) {
  const env = { ...process.env, COLUMNS: '200', NO_COLOR: '1', UV_NO_CONFIG: '1' };
  return (args) =>
    new Promise((resolve, reject) => {
      const child = spawn(uv, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ exitCode: code ?? (signal ? 128 : 1), stdout, stderr }));
    });
}

const python = () => process.env.PYTHON ?? 'python3';

/** The newest uv release on the package index pip uses. */
function newestOnPyPI() {
  const out = execFileSync(python(), ['-m', 'pip', 'index', 'versions', 'uv'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const version = /^uv \(([^)]+)\)/m.exec(out)?.[1];
  if (!version) throw new Error(`\`pip index versions uv\` printed no version:\n${out}`);
  return version;
}

/** .cache/uv-<version>/bin/uv, installed with pip on first use (the layout the test set-up uses). */
function installedUv(version) {
  const dir = path.join(root, '.cache', `uv-${version}`);
  const bin = path.join(dir, 'bin', 'uv');
  if (!fs.existsSync(bin)) {
    console.log(`installing uv ${version} into ${path.relative(root, dir)} ...`);
    const temp = `${dir}.partial-${process.pid}`;
    execFileSync(python(), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-deps', '--target', temp, `uv==${version}`], { stdio: 'inherit' });
    fs.renameSync(temp, dir);
  }
  return bin;
}

const args = process.argv.slice(2);
if (args.includes('-h') || args.includes('--help') || args.length === 0) {
  (args.length === 0 ? console.error : console.log)(usage);
  process.exit(args.length === 0 ? 2 : 0);
}

const checker = await loadChecker();
const { NEWEST_CHECKED_UV, OLDEST_CHECKED_UV } = checker;
let binaries = args.filter((a) => a !== '--latest');
let latest;
if (args.includes('--latest')) {
  latest = newestOnPyPI();
  // The checked range too, so that a difference that an older uv explains is not reported.
  binaries = [...new Set([OLDEST_CHECKED_UV, NEWEST_CHECKED_UV, latest])].map(installedUv).concat(binaries);
}

const clis = [];
for (const uv of binaries) {
  if (!fs.existsSync(uv)) {
    console.error(`check-argv: ${uv}: no such file`);
    process.exit(2);
  }
  clis.push(await checker.readUvCli(runner(uv)));
}

let blocking = 0;
for (const cli of clis) {
  const others = clis.filter((c) => c !== cli);
  const diffs = checker.explainedAcrossVersions(checker.compareWithTables(cli), others);
  const own = diffs.filter((d) => checker.BLOCKING.has(d.kind));
  blocking += own.length;
  const nodes = cli.nodes.size;
  const options = [...cli.nodes.values()].reduce((n, node) => n + node.options.size + node.probed.size, 0);
  console.log(`uv ${cli.version}: ${nodes} commands, ${options} options checked; ${own.length} blocking difference(s)`);
  for (const line of checker.describeDifferences(cli.version, diffs)) console.log(`  ${line}`);
  const edits = checker.suggestTableEdits(own);
  if (edits.length > 0) {
    console.log('  suggested edits to src/uv/argv.ts:');
    for (const edit of edits) console.log(`    ${edit}`);
  }
}

if (latest !== undefined) {
  const newer = checker.isNewerUv(latest, NEWEST_CHECKED_UV);
  console.log(
    newer
      ? `uv ${latest} is newer than NEWEST_CHECKED_UV (${NEWEST_CHECKED_UV}): once it has no blocking difference, set NEWEST_CHECKED_UV = '${latest}' in src/uv/argv.ts (the test suite then checks it too)`
      : `uv ${latest} is the newest on PyPI; the tables are checked up to ${NEWEST_CHECKED_UV}`,
  );
}
process.exit(blocking > 0 ? 1 : 0);
