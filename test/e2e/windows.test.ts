// The standalone Windows executable under Wine, in front of the real Windows uv 0.13.9 (a stand-in
// uv.exe only where real uv cannot show a thing: the exact arguments and environment it received).
// One file, run serially, so every Wine process shares one warm wineserver; it is ended at the end.
// The test bed (prefixes, uv.exe, C programs) is built once by the global setup: test/setup/wine-bed.ts.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PROBE_PREFIX } from '../../src/platform/probe.js';
import type { DoctorReport } from '../../src/doctor/types.js';
import { NOBODY, wineEnv, type WineBed } from '../setup/wine-bed.js';
import { needTool, skipOrFail } from '../helpers/system-tools.js';
import { explain, runProgram } from '../helpers/uv.js';
import {
  installExe,
  readRecord,
  recordedVariables,
  runCommandLine,
  runPrefix,
  processesWith,
  runWine,
  startWine,
  startWineServers,
  stopWineServers,
  winPath,
  WINDOWS_EXE,
  type WineRun,
} from '../helpers/wine.js';
import { makeTempDir } from '../helpers/workspace.js';
import { fakeUvWheel, serveSimpleIndex } from '../helpers/simple-index.js';
import { zipSync } from 'fflate';
import { windowsShimsSuite } from './windows-shims.suite.js';
import { expectInvalid, expectRefused } from '../helpers/refusal.js';

/** The arguments every quoting layer gets wrong somewhere. */
const HARD_ARGUMENTS = ['plain', 'with space', 'embedded"quote', 'trailing\\', 'a\\\\"b c\\', '%PATH%', '^&|<>', '!x!', 'é€😀', '', 'end'];

/** A command-line argument as Windows programs parse it (CommandLineToArgvW / the MSVC runtime). */
function quoteArgument(arg: string): string {
  let out = '"';
  let backslashes = 0;
  for (const ch of arg) {
    if (ch === '\\') {
      backslashes += 1;
      continue;
    }
    out += ch === '"' ? `${'\\'.repeat(backslashes * 2 + 1)}"` : `${'\\'.repeat(backslashes)}${ch}`;
    backslashes = 0;
  }
  return `${out}${'\\'.repeat(backslashes * 2)}"`;
}

/** `cmd.exe /d /s /c "..."` running `program args` with cmd's metacharacters escaped by carets. */
function cmdCommandLine(program: string, args: string[]): string {
  const line = [program, ...args].map(quoteArgument).join(' ').replace(/[()%!^"<>&|;, ]/g, '^$&');
  return `C:\\windows\\system32\\cmd.exe /d /s /c "${line}"`;
}

const bed = inject('wineBed');
const unavailable = !bed ? inject('wineMissing') : !fs.existsSync(WINDOWS_EXE) ? `${WINDOWS_EXE} is missing: run \`npm run build:exe\`` : undefined;

if (unavailable) {
  it('Windows suite under Wine', (ctx) => skipOrFail(ctx, unavailable));
} else {
  describe('the Windows executable under Wine', () => windowsSuite(bed!));
}

function windowsSuite(bed: WineBed): void {
  let root: string;
  /** Our executable as an admin installs it: uv.exe and uvx.exe in a folder with a space. */
  let shimDir: string;
  let ourUv: string;
  let ourUvx: string;
  /** A folder holding only the real uv.exe. */
  let realUvDir: string;
  /** Drive D: of the prefix, a Linux folder of this suite; the policy's allowed root is D:\dev. */
  let driveD: string;
  const driveLink = () => path.join(bed.prefix, 'dosdevices', 'd:');
  let policy: string;
  const opts = (extra: Partial<WineRun> = {}): WineRun => ({ cwd: root, ...extra });

  beforeAll(async () => {
    root = await makeTempDir('uvx-safe-win-');
    fs.chmodSync(root, 0o755); // nobody's Wine works here too
    bed.prefix = runPrefix(bed.prefix, path.join(root, 'prefix')); // D: below is this run's alone
    shimDir = path.join(root, 'Program Files', 'uvx-safe');
    [ourUv, ourUvx] = installExe(shimDir, ['uv.exe', 'uvx.exe']) as [string, string];
    realUvDir = path.join(root, 'real-uv');
    fs.mkdirSync(realUvDir);
    fs.copyFileSync(bed.uvExe, path.join(realUvDir, 'uv.exe'));
    driveD = path.join(root, 'd');
    fs.mkdirSync(path.join(driveD, 'dev'), { recursive: true });
    fs.rmSync(driveLink(), { force: true });
    fs.symlinkSync(driveD, driveLink());
    policy = path.join(root, 'policy.toml');
    fs.writeFileSync(
      policy,
      [
        'mode = "enforce"',
        // Forward slashes, a lower-case drive and another case than the folder has: all the same folder.
        `allowed-roots = ["d:/DEV"]`,
        `data-root = 'D:\\dev\\uv'`,
        'locked = ["mode", "allowed-roots", "data-root"]',
        '',
      ].join('\n'),
    );
    await startWineServers(bed, root);
  });

  afterAll(async () => {
    if (!root) return;
    await stopWineServers(bed, root);
    fs.rmSync(driveLink(), { force: true });
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** Our uv.exe under the admin policy, with the real uv on PATH. */
  const policyEnv = () => ({ UVX_SAFE_SYSTEM_CONFIG: winPath(policy) });
  const runOurs = (args: string[], env: Record<string, string | undefined> = {}, extra: Partial<WineRun> = {}) =>
    runWine(bed, ourUv, args, opts({ path: [realUvDir], env: { ...policyEnv(), ...env }, ...extra }));

  describe('relocation under a policy written with Windows paths', () => {
    it.each([
      [['cache', 'dir'], 'D:\\dev\\uv\\cache'],
      [['tool', 'dir'], 'D:\\dev\\uv\\tools'],
      [['python', 'dir'], 'D:\\dev\\uv\\python'],
      [['auth', 'dir'], 'D:\\dev\\uv\\credentials'],
    ])('uv %j lies under the data root', async (args, expected) => {
      const r = await runOurs(args);
      expect(r.exitCode, explain(r)).toBe(0);
      expect(r.stdout.trim(), explain(r)).toBe(expected);
    });

    it('puts uv --no-cache in a throw-away cache under the data root (TMP and TEMP)', async () => {
      const r = await runOurs(['--no-cache', 'cache', 'dir']);
      expect(r.exitCode, explain(r)).toBe(0);
      expect(r.stdout.trim(), explain(r)).toMatch(/^D:\\dev\\uv\\tmp\\\.tmp\w+$/);
      // Which of the two uv read is uv's business: both must be there, and nothing else.
      const record = path.join(root, 'temp-record.json');
      const s = await runWine(bed, ourUv, ['cache', 'dir'], opts({
        env: { ...policyEnv(), UVX_SAFE_UV: winPath(bed.recordArgsExe), RECORD_ARGS_FILE: winPath(record) },
      }));
      expect(s.exitCode, explain(s)).toBe(0);
      const recorded = readRecord(record);
      expect(recordedVariables(recorded, 'TMP')).toEqual(['TMP=D:\\dev\\uv\\tmp']);
      expect(recordedVariables(recorded, 'TEMP')).toEqual(['TEMP=D:\\dev\\uv\\tmp']);
    });

    it('refuses a --cache-dir outside the allowed roots with exit 2, and creates nothing', async () => {
      const outside = path.join(root, 'outside');
      const r = await runOurs(['--cache-dir', winPath(outside), 'cache', 'clean']);
      // The root as the admin wrote it (d:/DEV), which is the same folder as D:\dev.
      expect(expectRefused(r).message).toMatch(/^--cache-dir Z:\\.*\\outside lies outside allowed-roots \(d:\/DEV\).*refused/i);
      expect(fs.existsSync(outside)).toBe(false);
      const profile = await runOurs(['--cache-dir', 'C:\\Users\\root\\uv-cache', 'cache', 'dir']);
      expect(profile.exitCode, explain(profile)).toBe(2);
      // A sibling whose name starts like the root is not inside it.
      const sibling = await runOurs(['--cache-dir', 'D:\\dev-evil\\cache', 'cache', 'dir']);
      expect(sibling.exitCode, explain(sibling)).toBe(2);
    });

    it('appends one report line per refusal (report under the data root, its folder made), whole lines from parallel calls', async () => {
      const withReport = path.join(root, 'policy-report.toml');
      fs.writeFileSync(withReport, `${fs.readFileSync(policy, 'utf8')}report = '{data-root}\\logs\\report.jsonl'\n`);
      const file = path.join(driveD, 'dev', 'uv', 'logs', 'report.jsonl');
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
      const env = { UVX_SAFE_SYSTEM_CONFIG: winPath(withReport) };
      const runs = await Promise.all([1, 2, 3].map(() => runOurs(['--cache-dir', 'C:\\elsewhere', 'cache', 'dir'], env)));
      for (const r of runs) expectRefused(r, '--cache-dir C:\\elsewhere');
      const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines.length).toBe(3);
      for (const line of lines)
        expect(line).toMatchObject({ level: 'error', rule: 'outside-allowed-roots:--cache-dir', argv: ['uv', '--cache-dir', 'C:\\elsewhere', 'cache', 'dir'], mode: 'enforce', cwd: winPath(root) });
      // A clean call adds nothing.
      const clean = await runOurs(['cache', 'dir'], env);
      expect([clean.exitCode, clean.stderr], explain(clean)).toEqual([0, '']);
      expect(fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).length).toBe(3);
    });

    it('judges containment case-insensitively, as Windows does', async () => {
      const r = await runOurs(['--cache-dir', 'd:\\Dev\\UV\\Other-Cache', 'cache', 'dir']);
      expect(r.exitCode, explain(r)).toBe(0);
      expect(r.stdout.trim()).toBe('d:\\Dev\\UV\\Other-Cache');
    });

    it('merges variables whose names differ only in case, and judges the one uv gets', async () => {
      const record = path.join(root, 'case-record.json');
      const outside = 'C:\\users\\root\\uv-cache';
      const env = {
        ...policyEnv(),
        UVX_SAFE_UV: winPath(bed.recordArgsExe),
        RECORD_ARGS_FILE: winPath(record),
        foo: 'first',
        FOO: 'second',
        Foo: 'third',
      };
      const r = await runWine(bed, ourUv, ['cache', 'dir'], opts({ env }));
      expect(r.exitCode, explain(r)).toBe(0);
      expect(recordedVariables(readRecord(record), 'FOO')).toHaveLength(1);
      // A uv variable in lower case is still uv's (Windows names are case-insensitive): judged, refused.
      const lower = await runWine(bed, ourUv, ['cache', 'dir'], opts({ path: [realUvDir], env: { ...policyEnv(), uv_cache_dir: outside } }));
      expect(lower.exitCode, explain(lower)).toBe(2);
      expect(lower.stderr, explain(lower)).toMatch(/UV_CACHE_DIR.*lies outside allowed-roots/i);
    });
  });

  // Issue 14 item 2: {user} is the token's user (GetUserNameW), never USERNAME or USER. Wine names
  // its user after the Unix user running it: root here. The variables are set inside Wine, by cmd
  // (Wine puts its own USERNAME in place of a Linux one).
  it.each([
    ['USERNAME=.. (USER unset)', ['USER=', 'USERNAME=..']],
    ['USER=other', ['USER=other']],
    ['USERNAME=other, USER=.., LOGNAME=x', ['USERNAME=other', 'USER=..', 'LOGNAME=x']],
  ])('set %s leaves {user} the logon name', async (_what, sets) => {
    const userPolicy = path.join(root, 'user-policy.toml');
    fs.writeFileSync(userPolicy, `mode = "enforce"\nallowed-roots = ['D:\\dev']\ndata-root = 'D:\\dev\\{user}\\uv'\n`);
    const batch = path.join(root, 'user-template.cmd');
    fs.writeFileSync(batch, ['@echo off', ...sets.map((s) => `set ${s}`), 'echo %USERNAME%', `"${winPath(ourUv)}" cache dir`, ''].join('\r\n'));
    const r = await runWine(bed, 'cmd.exe', ['/d', '/c', winPath(batch)], opts({ path: [realUvDir], env: { UVX_SAFE_SYSTEM_CONFIG: winPath(userPolicy) } }));
    expect(r.exitCode, explain(r)).toBe(0);
    const [username, cache] = r.stdout.trim().split(/\r?\n/);
    expect(username, 'the variable was set').toBe(sets.find((s) => s.startsWith('USERNAME='))?.slice(9) ?? 'root');
    expect(cache, explain(r)).toBe('D:\\dev\\root\\uv\\cache');
  });

  // Issue 14 item 3: policies in the encodings Windows tools write.
  describe('a policy file in the encodings Windows tools write', () => {
    const lines = ['mode = "enforce"', `allowed-roots = ['D:\\dev']`, `data-root = 'D:\\dev\\café'`].join('\r\n') + '\r\n';
    const runWith = (name: string, bytes: Buffer) => {
      const file = path.join(root, name);
      fs.writeFileSync(file, bytes);
      return runWine(bed, ourUv, ['cache', 'dir'], opts({ path: [realUvDir], env: { UVX_SAFE_SYSTEM_CONFIG: winPath(file) } }));
    };

    it.each([
      ['utf16le.toml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(lines, 'utf16le')]), ': is saved as UTF-16 LE'],
      ['utf16be.toml', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(lines, 'utf16le').swap16()]), ': is saved as UTF-16 BE'],
      ['ansi.toml', Buffer.from(lines, 'latin1'), ':3: is not valid UTF-8 (saved as ANSI?)'],
    ])('%s: one line naming the file and saying to save it as UTF-8; nothing created', async (name, bytes, problem) => {
      const r = await runWith(name, bytes);
      expectRefused(r, `${winPath(path.join(root, name))}${problem}`, 'save it as UTF-8');
      expect(fs.readdirSync(path.join(driveD, 'dev')).filter((f) => f.startsWith('caf'))).toEqual([]);
    });

    it('%USERPROFILE% in a root: refused naming {env:USERPROFILE}, in validate and at launch alike', async () => {
      const file = path.join(root, 'percent.toml');
      fs.writeFileSync(file, `mode = "enforce"\r\nallowed-roots = ['%USERPROFILE%\\dev']\r\n`);
      const hint = '%USERPROFILE% is Windows shell syntax, which uvx-safe does not expand: write {env:USERPROFILE}';
      const env = { UVX_SAFE_SYSTEM_CONFIG: winPath(file) };
      const launch = await runWine(bed, ourUv, ['--version'], opts({ path: [realUvDir], env }));
      expectRefused(launch, winPath(file), 'allowed-roots', hint);
      const validate = await runWine(bed, ourUv, ['safe', 'config', 'validate', winPath(file)], opts({ env }));
      expectInvalid(validate, winPath(file), 'allowed-roots', hint);
      // What to write instead works (a folder that exists: validate judges the roots as the launcher does).
      fs.writeFileSync(file, `mode = "enforce"\r\nallowed-roots = ['{env:USERPROFILE}']\r\n`);
      const fixed = await runWine(bed, ourUv, ['safe', 'config', 'validate', winPath(file)], opts({ env }));
      expect(fixed.exitCode, explain(fixed)).toBe(0);
    });

    it('UTF-8 with a byte-order mark and CRLF is read as written', async () => {
      const r = await runWith('utf8-bom.toml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines)]));
      expect(r.exitCode, explain(r)).toBe(0);
      expect(r.stdout.trim(), explain(r)).toBe('D:\\dev\\café\\cache');
      fs.rmSync(path.join(driveD, 'dev', 'café'), { recursive: true, force: true });
    });
  });

  // Issue 14 item 5: an optional root that is absent (a laptop without Q:, an offline share) is skipped,
  // with a doctor warning; an ordinary one still stops every call, --version included.
  it('an optional allowed root that is absent is skipped (doctor warns); an ordinary one is fatal', async () => {
    const file = path.join(root, 'optional-roots.toml');
    const write = (roots: string) =>
      fs.writeFileSync(file, `mode = "enforce"\r\nallowed-roots = ['D:\\dev', ${roots}]\r\ndata-root = 'D:\\dev\\uv'\r\n`);
    const env = { UVX_SAFE_SYSTEM_CONFIG: winPath(file) };
    write(`{ path = 'Q:\\dev', optional = true }, { path = '\\\\nosuchserver\\share', optional = true }`);
    const r = await runWine(bed, ourUv, ['cache', 'dir'], opts({ path: [realUvDir], env }));
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stdout.trim(), explain(r)).toBe('D:\\dev\\uv\\cache');
    const doctor = await runWine(bed, ourUv, ['safe', 'doctor', '--json'], opts({ path: [realUvDir], env }));
    const absent = (JSON.parse(doctor.stdout) as DoctorReport).checks.filter((c) => c.id.startsWith('policy.allowed-roots.absent'));
    expect(absent.map((c) => [c.status, c.message.split(' (')[0]]), explain(doctor)).toEqual([
      ['warn', 'Q:\\dev'],
      ['warn', '\\\\nosuchserver\\share\\'], // a share's root, as Windows writes it
    ]);
    write(`'Q:\\dev'`);
    const fatal = await runWine(bed, ourUv, ['--version'], opts({ path: [realUvDir], env }));
    expectRefused(fatal, 'allowed-roots.1: Q:\\dev does not exist (or is not a folder)', 'create it, remove it from allowed-roots, or write it { path = "Q:\\\\dev", optional = true }');
  });

  // Issue 14 item 7: Windows words. A refused path that leads elsewhere (a link; Wine shows a Unix
  // symlink under Z: as one) names where it resolves; a uv.exe that is no program says so.
  describe('messages in Windows words', () => {
    it('a refused path that resolves elsewhere shows the path given, where it resolves, and the root as written', async () => {
      const target = path.join(root, 'elsewhere');
      fs.mkdirSync(target, { recursive: true });
      const link = path.join(driveD, 'dev', 'link');
      fs.rmSync(link, { force: true });
      fs.symlinkSync(target, link);
      try {
        const r = await runOurs(['--cache-dir', 'D:\\dev\\link\\cache', 'cache', 'dir']);
        expect(r.exitCode, explain(r)).toBe(2);
        expect(r.stderr, explain(r)).toContain(`--cache-dir D:\\dev\\link\\cache, which resolves to ${winPath(target)}\\cache lies outside allowed-roots (d:/DEV)`);
        expect(fs.existsSync(path.join(target, 'cache'))).toBe(false);
      } finally {
        fs.rmSync(link, { force: true });
      }
    });

    it('a uv.exe that is not a program: "not a Windows program", and a Windows path in the hints', async () => {
      const fake = path.join(root, 'not-a-program', 'uv.exe');
      fs.mkdirSync(path.dirname(fake), { recursive: true });
      fs.writeFileSync(fake, '@echo this is text, not a program\r\n');
      const r = await runWine(bed, ourUv, ['--version'], opts({ env: { UVX_SAFE_UV: winPath(fake) } }));
      expectRefused(r, `cannot start uv at ${winPath(fake)}: not a Windows program`, 'point UVX_SAFE_UV or `uv-path` at the real uv.exe');
      expect(r.stderr, explain(r)).not.toMatch(/EFTYPE/);
      const none = await runWine(bed, ourUv, ['--version'], opts({ path: [shimDir] }));
      expect(none.stderr, explain(none)).toContain('UVX_SAFE_UV=C:\\path\\to\\uv.exe');
    });
  });

  // Issue 8 item 3 on Windows: the executable reads owner SIDs through Bun's FFI. Wine reports a file
  // of the Unix user running it as its user (S-1-5-21-0-0-0-1000) and any other Unix owner as
  // ANONYMOUS LOGON (S-1-5-7), so a chown to nobody makes a real foreign owner.
  describe('a project config file owned by someone else (owner SID through FFI)', () => {
    const WINE_USER = 'S-1-5-21-0-0-0-1000';
    let project: string;
    let file: string;
    let warnPolicy: string;
    /** Applied, the project's `mode = "enforce"` refuses an outside --cache-dir the warn policy lets through. */
    const cacheOutside = (policyFile: string) =>
      runWine(bed, ourUv, ['--cache-dir', winPath(path.join(root, 'outside-owner')), 'cache', 'dir'], {
        cwd: project,
        path: [realUvDir],
        env: { UVX_SAFE_SYSTEM_CONFIG: winPath(policyFile) },
      });
    const warnPolicyText = `mode = "warn"\nallowed-roots = ['D:\\dev']\ndata-root = 'D:\\dev\\uv'\n`;

    beforeAll(() => {
      project = path.join(root, 'shared', 'app');
      fs.mkdirSync(project, { recursive: true });
      file = path.join(project, '.uvx-safe.toml');
      fs.writeFileSync(file, 'mode = "enforce"\n');
      warnPolicy = path.join(root, 'warn-policy.toml');
      fs.writeFileSync(warnPolicy, warnPolicyText);
    });

    afterAll(() => {
      if (project) fs.rmSync(path.dirname(project), { recursive: true, force: true });
    });

    it("is applied when the file and its folder are the user's", async () => {
      const r = await cacheOutside(warnPolicy);
      expect(expectRefused(r).message, explain(r)).toMatch(/^--cache-dir Z:\\.*\\outside-owner lies outside allowed-roots/);
      expect(fs.existsSync(path.join(root, 'outside-owner'))).toBe(false);
    });

    it('is ignored, with one line naming it and its owner SID, when another user owns the file or its folder', async () => {
      fs.chownSync(file, NOBODY.uid, NOBODY.gid);
      try {
        const r = await cacheOutside(warnPolicy);
        expect(r.exitCode, explain(r)).toBe(0);
        const lines = r.stderr.trim().split(/\r?\n/);
        expect(lines[0], explain(r)).toBe(
          `warning: uvx-safe: ${winPath(file)}: owned by S-1-5-7, not by the user running uvx-safe (${WINE_USER}) or Administrators or SYSTEM; ` +
            `ignored (list ${winPath(project)} in safe-directories of the admin or user config to trust it)`,
        );
      } finally {
        fs.chownSync(file, 0, 0);
      }
      fs.chownSync(project, NOBODY.uid, NOBODY.gid);
      try {
        const r = await cacheOutside(warnPolicy);
        expect(r.exitCode, explain(r)).toBe(0);
        expect(r.stderr, explain(r)).toContain(`${winPath(file)}: its folder ${winPath(project)} is owned by S-1-5-7, not by the user running uvx-safe (${WINE_USER})`);
      } finally {
        fs.chownSync(project, 0, 0);
      }
    });

    it('is applied again when the admin lists its folder in safe-directories', async () => {
      const trusting = path.join(root, 'safe-directories-policy.toml');
      fs.writeFileSync(trusting, `${warnPolicyText}safe-directories = ['${winPath(path.dirname(project))}\\*']\n`);
      fs.chownSync(file, NOBODY.uid, NOBODY.gid);
      try {
        const r = await cacheOutside(trusting);
        expect(expectRefused(r).message, explain(r)).toMatch(/^--cache-dir Z:\\.*\\outside-owner lies outside allowed-roots/);
      } finally {
        fs.chownSync(file, 0, 0);
      }
    });
  });

  describe('arguments and exit status', () => {
    const record = () => path.join(root, 'args-record.json');
    const standIn = (exit = '0') => ({
      UVX_SAFE_UV: winPath(bed.recordArgsExe),
      RECORD_ARGS_FILE: winPath(record()),
      RECORD_ARGS_EXIT: exit,
    });

    it('reach uv exactly from a Windows command line', async () => {
      const line = [winPath(ourUv), ...HARD_ARGUMENTS].map(quoteArgument).join(' ');
      const r = await runCommandLine(bed, line, opts({ env: standIn() }));
      expect(r.exitCode, explain(r)).toBe(0);
      expect(readRecord(record()).argv.slice(1)).toEqual(HARD_ARGUMENTS);
    });

    it('reach uv exactly from Linux through Wine', async () => {
      const r = await runWine(bed, ourUv, HARD_ARGUMENTS, opts({ env: standIn() }));
      expect(r.exitCode, explain(r)).toBe(0);
      expect(readRecord(record()).argv.slice(1)).toEqual(HARD_ARGUMENTS);
    });

    it('reach uv exactly through cmd.exe /c, as they reach a program cmd starts directly', async () => {
      const direct = await runCommandLine(bed, cmdCommandLine(winPath(bed.recordArgsExe), HARD_ARGUMENTS), opts({ env: standIn() }));
      expect(direct.exitCode, explain(direct)).toBe(0);
      const fromCmd = readRecord(record()).argv.slice(1);
      // Wine's cmd expands %PATH% in spite of the carets (Windows' cmd leaves ^%PATH^% alone); every
      // other argument comes through cmd unchanged.
      const expected = HARD_ARGUMENTS.map((arg) => (arg === '%PATH%' ? expect.stringMatching(/^C:\\windows\\system32;/i) : arg));
      expect(fromCmd, 'cmd itself, without uvx-safe').toEqual(expected);
      fs.rmSync(record());
      const r = await runCommandLine(bed, cmdCommandLine(winPath(ourUv), HARD_ARGUMENTS), opts({ env: standIn() }));
      expect(r.exitCode, explain(r)).toBe(0);
      expect(readRecord(record()).argv.slice(1)).toEqual(fromCmd);
    });

    it('hands standard input to uv untouched', async () => {
      const input = 'line one\r\nline two\n\u00e9\u20ac\n'.repeat(2000);
      const r = await runWine(bed, ourUv, ['pip', 'compile', '-'], opts({ env: { ...standIn(), RECORD_ARGS_STDIN: '1' }, input }));
      expect(r.exitCode, explain(r)).toBe(0);
      expect(readRecord(record()).stdin).toBe(input);
    });

    it('takes uv with it when it is killed: no orphan (the job object libuv puts children in)', async () => {
      const marker = `orphan-check-${Math.random().toString(36).slice(2)}`;
      fs.rmSync(record(), { force: true });
      const launcher = startWine(bed, ourUv, [marker], opts({ env: { ...standIn(), RECORD_ARGS_SLEEP_MS: '30000' } }));
      const exited = new Promise((resolve) => launcher.once('exit', resolve));
      const until = async (what: string, ok: () => boolean) => {
        for (let i = 0; i < 100 && !ok(); i++) await new Promise((r) => setTimeout(r, 100));
        expect(ok(), what).toBe(true);
      };
      // The stand-in records, then sleeps: two processes carry the marker, ours and uv's.
      await until('uv started', () => fs.existsSync(record()) && processesWith(marker).length === 2);
      launcher.kill('SIGKILL');
      await exited;
      await until('uv ended with its launcher', () => processesWith(marker).length === 0);
    });

    it.each(['0', '1', '2', '42'])('passes exit status %s through', async (status) => {
      const r = await runWine(bed, ourUv, ['sync'], opts({ env: standIn(status) }));
      expect(r.exitCode, explain(r)).toBe(Number(status));
      expect(r.stderr, explain(r)).toBe('');
    });

    // Issue 14 item 1. Wine hands Linux only the low byte of a status (256 would read 0), so cmd.exe
    // reads it inside Wine: %ERRORLEVEL% after the program, the stand-in itself first as the control.
    it('passes statuses above 255 through whole, as %ERRORLEVEL% in a batch file shows (256, 1000, 65536, 0xC0000005)', async () => {
      const statuses = ['256', '1000', '65536', '-1073741819']; // the last is 0xC0000005, as cmd prints it
      const batch = path.join(root, 'exit-status.cmd');
      const lines = ['@echo off'];
      for (const status of statuses) {
        lines.push(`set RECORD_ARGS_EXIT=${status}`);
        lines.push(`"${winPath(bed.recordArgsExe)}" sync`, `echo direct=%ERRORLEVEL%`);
        lines.push(`"${winPath(ourUv)}" sync`, `echo ours=%ERRORLEVEL%`);
      }
      // The real uv: an unknown command is its usage error, 2.
      lines.push('set UVX_SAFE_UV=', `"${winPath(ourUv)}" no-such-command 2>nul`, 'echo real=%ERRORLEVEL%');
      fs.writeFileSync(batch, `${lines.join('\r\n')}\r\n`);
      const r = await runWine(bed, 'cmd.exe', ['/d', '/c', winPath(batch)], opts({ path: [realUvDir], env: standIn() }));
      const seen = r.stdout.trim().split(/\r?\n/);
      const expected = statuses.flatMap((status) => [`direct=${status}`, `ours=${status}`]);
      expect(seen, explain(r)).toEqual([...expected, 'real=2']);
    });

    it('uvx.exe --version reaches the real uv', async () => {
      const r = await runWine(bed, ourUvx, ['--version'], opts({ path: [realUvDir] }));
      expect(r.exitCode, explain(r)).toBe(0);
      expect(r.stdout, explain(r)).toMatch(/^uvx 0\.13\.9 .*x86_64-pc-windows-msvc/);
    });
  });

  describe('finding the real uv', () => {
    it('starts only uv.exe: passes over uv.cmd, uv.bat and copies of itself earlier on PATH', async () => {
      const decoys = path.join(root, 'decoys');
      installExe(decoys, ['uv.exe']);
      const ran = path.join(root, 'decoy-ran');
      for (const name of ['uv.cmd', 'uv.bat']) fs.writeFileSync(path.join(decoys, name), `@echo ran> "${winPath(ran)}"\r\n@exit /b 7\r\n`);
      const r = await runWine(bed, ourUv, ['--version'], opts({ path: [shimDir, decoys, realUvDir], env: { UVX_SAFE_DEBUG: '1' } }));
      expect(r.exitCode, explain(r)).toBe(0);
      expect(r.stdout, explain(r)).toMatch(/^uv 0\.13\.9 .*windows/);
      expect(fs.existsSync(ran), 'a decoy script ran').toBe(false);
      expect(r.stderr, explain(r)).toContain(`uv: ${winPath(path.join(realUvDir, 'uv.exe'))} (PATH entry`);
      for (const name of ['uv.exe', 'uv.bat', 'uv.cmd']) expect(r.stderr, explain(r)).toMatch(new RegExp(`passed over .*decoys\\\\${name.replace('.', '\\.')}`, 'i'));
    });

    it('reports clearly when PATH holds only copies of itself', async () => {
      const r = await runWine(bed, ourUv, ['--version'], opts({ path: [shimDir] }));
      expect(expectRefused(r).message, explain(r)).toMatch(/^the real uv was not found on PATH \(passed over: .*uv\.exe, uvx-safe itself\)/i);
      const named = await runWine(bed, ourUv, ['--version'], opts({ env: { UVX_SAFE_UV: winPath(ourUvx) } }));
      expect(expectRefused(named).message, explain(named)).toMatch(/^UVX_SAFE_UV: ".*uvx\.exe" is uvx-safe itself, not the real uv/);
    });
  });

  // Issue 14 item 6: the script CALLed from a batch file under cmd /v:off and /v:on. cmd needs a
  // console for chcp, so Wine runs under `script` (a pseudo-terminal); the values come back through a file.
  describe('safe env --shell cmd under delayed expansion', () => {
    const values = { RT_BANG: 'a!b^c%d&e f!g!h', RT_CARET: 'x^y&z%w', RT_UTF8: 'café' };
    const callEnv = async (ctx: { skip: (note?: string) => void }, delayed: 'on' | 'off') => {
      const scriptTool = needTool(ctx, 'script', 'bsdutils');
      const dir = path.join(root, `env-${delayed}`);
      fs.mkdirSync(dir, { recursive: true });
      const policyFile = path.join(dir, 'policy.toml');
      fs.writeFileSync(policyFile, `mode = "warn"\n[env]\n${Object.entries(values).map(([k, v]) => `${k} = '${v}'`).join('\n')}\n`);
      const made = await runWine(bed, ourUv, ['safe', 'env', '--shell', 'cmd', '--no-hooks'], opts({ env: { UVX_SAFE_SYSTEM_CONFIG: winPath(policyFile) } }));
      expect(made.exitCode, explain(made)).toBe(0);
      fs.writeFileSync(path.join(dir, 'env.cmd'), made.stdout);
      const out = path.join(dir, 'out.txt');
      const caller = ['@echo off', 'chcp', `call "${winPath(path.join(dir, 'env.cmd'))}"`, 'chcp', `>"${winPath(out)}" set RT_`, ''].join('\r\n');
      fs.writeFileSync(path.join(dir, 'caller.cmd'), caller);
      const line = `wine cmd.exe /v:${delayed} /d /c '${winPath(path.join(dir, 'caller.cmd'))}'`;
      const r = await runProgram(scriptTool, ['-qec', line, '/dev/null'], { env: { ...wineEnv(bed.prefix, root) }, cwd: dir });
      const pages = [...r.stdout.matchAll(/Active code page: (\d+)/g)].map((m) => m[1]);
      const set = Object.fromEntries(fs.readFileSync(out, 'latin1').split(/\r?\n/).filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
      return { r, pages, set };
    };

    it('cmd /v:off: ! ^ % & round-trip, and the console is back on its code page after chcp 65001', async (ctx) => {
      const { r, pages, set } = await callEnv(ctx, 'off');
      expect(pages, explain(r)).toEqual(['437', '437']);
      expect(set.RT_BANG).toBe(values.RT_BANG);
      expect(set.RT_CARET).toBe(values.RT_CARET);
    });

    it('cmd /v:on: ^ % & round-trip and the code page is restored; ! is beyond Wine 8\'s cmd', async (ctx) => {
      const { r, pages, set } = await callEnv(ctx, 'on');
      expect(pages, explain(r)).toEqual(['437', '437']);
      expect(set.RT_CARET).toBe(values.RT_CARET);
      // Windows' cmd reads `^!` as a literal ! in its delayed phase (the unit tests' model of it,
      // shell-quote.test.ts); Wine 8's cmd has no caret escape there and re-reads expanded text, so no
      // SET can give it a !. Pinned, so that a Wine that learns it shows here.
      expect(set.RT_BANG, 'Wine 8 cmd: ! under /v:on').toBe('a^g^h');
    });
  });

  it('safe env --shell cmd, run by cmd.exe, gives plain uv.exe the same folders', async () => {
    const script = await runOurs(['safe', 'env', '--shell', 'cmd', '--temp']);
    expect(script.exitCode, explain(script)).toBe(0);
    const batch = path.join(root, 'use-env.cmd');
    const realUv = winPath(path.join(realUvDir, 'uv.exe'));
    // What our uv.exe gives uv for the same queries (the relocation tests above run them through it).
    const expected: [string, RegExp][] = [
      ['cache dir', /^D:\\dev\\uv\\cache$/],
      ['tool dir', /^D:\\dev\\uv\\tools$/],
      ['python dir', /^D:\\dev\\uv\\python$/],
      ['auth dir', /^D:\\dev\\uv\\credentials$/],
      ['--no-cache cache dir', /^D:\\dev\\uv\\tmp\\\.tmp\w+$/],
    ];
    fs.writeFileSync(batch, [script.stdout.trimEnd(), ...expected.map(([q]) => `@"${realUv}" ${q}`), ''].join('\r\n'));
    const plain = await runWine(bed, 'cmd.exe', ['/d', '/c', winPath(batch)], opts({ env: policyEnv() }));
    expect(plain.exitCode, explain(plain)).toBe(0);
    const lines = plain.stdout.trim().split(/\r?\n/);
    expect(lines, explain(plain)).toHaveLength(expected.length);
    for (const [i, [query, where]] of expected.entries()) expect(lines[i], `${query}\n${explain(plain)}`).toMatch(where);
  });

  it('safe doctor runs its execution probe (a copy of uv.exe) in every location and reports', async () => {
    const r = await runOurs(['safe', 'doctor', '--json']);
    expect(r.exitCode, explain(r)).toBe(0);
    const report = JSON.parse(r.stdout) as DoctorReport;
    const cache = report.locations.find((l) => l.name === 'cache');
    expect(cache, explain(r)).toMatchObject({ path: 'D:\\dev\\uv\\cache', writable: true, canRun: true, status: 'ok', insideAllowedRoots: true });
    for (const location of report.locations) expect(location.canRun, location.name).toBe(true);
    const leftovers = fs.readdirSync(driveD, { recursive: true, encoding: 'utf8' }).filter((f) => path.basename(f).startsWith(PROBE_PREFIX));
    expect(leftovers).toEqual([]);
  });

  describe('safe doctor: who besides an admin can change the admin policy (policy.admin-file)', () => {
    // Wine synthesizes each Z: file's security descriptor from its Unix owner and mode (mainline
    // Wine keeps no ACLs): the owner is Wine's user (S-1-5-21-0-0-0-1000) for files of the Unix user
    // running Wine and Anonymous (S-1-5-7) for anyone else's; the owner gets an ACE with write rights, and
    // "other" write bits become a write ACE for Everyone (S-1-1-0); group bits show nowhere (0664 and
    // 0775 read like 0644 and 0755). So Wine
    // can show a writable file or folder and a foreign owner, never an Administrators-owned strict one
    // (no Wine file is owned by an admin): the no-warning case is the unit tests' (windows-acl.test.ts).
    let adminDir: string;
    let adminFile: string;
    beforeAll(() => {
      adminDir = path.join(root, 'admin-policy');
      adminFile = path.join(adminDir, 'config.toml');
      fs.mkdirSync(adminDir, { mode: 0o755 });
      fs.writeFileSync(adminFile, 'mode = "warn"\n', { mode: 0o644 });
    });
    afterAll(() => {
      fs.chmodSync(adminDir, 0o755);
      fs.chownSync(adminFile, 0, 0);
      fs.chmodSync(adminFile, 0o644);
    });

    /** The policy.admin-file message of `safe doctor --json`; the report itself must come out whole. */
    const adminFileMessage = async (extra: Partial<WineRun> = {}) => {
      const r = await runWine(bed, ourUv, ['safe', 'doctor', '--json'], opts({ path: [realUvDir], env: { UVX_SAFE_SYSTEM_CONFIG: winPath(adminFile) }, ...extra }));
      expect(r.stdout, explain(r)).toMatch(/^\{/);
      const checks = (JSON.parse(r.stdout) as DoctorReport).checks.filter((c) => c.id === 'policy.admin-file');
      expect(checks, explain(r)).toHaveLength(1);
      expect(checks[0]!.status).toBe('warn');
      // One finding per "; ", then the way out.
      const [findings, wayOut] = checks[0]!.message.split(': users other than Administrators could change the policy');
      expect(wayOut, checks[0]!.message).toBe(" (set its owner and ACL with the admin guide's icacls lines)");
      return findings!.split('; ');
    };
    const everyone = (linuxPath: string) => `S-1-1-0 (Everyone) can write ${winPath(linuxPath)}`;

    it('names Everyone for a world-writable file (0666), not for its 0755 folder', async () => {
      fs.chmodSync(adminFile, 0o666);
      const findings = await adminFileMessage();
      expect(findings).toContain(everyone(adminFile));
      expect(findings).not.toContain(everyone(adminDir));
      // Root runs Wine here: the owner Wine reports is its own user, which is not an admin.
      expect(findings).toContain(`${winPath(adminFile)} is owned by S-1-5-21-0-0-0-1000, not Administrators, SYSTEM or TrustedInstaller`);
    });

    it('names Everyone for a world-writable folder (0777), not for its 0644 file, and a foreign owner', async () => {
      fs.chmodSync(adminFile, 0o644);
      fs.chmodSync(adminDir, 0o777);
      fs.chownSync(adminFile, NOBODY.uid, NOBODY.gid);
      try {
        const findings = await adminFileMessage();
        expect(findings).toContain(everyone(adminDir));
        expect(findings).not.toContain(everyone(adminFile));
        expect(findings).toContain(`${winPath(adminFile)} is owned by S-1-5-7 (Anonymous), not Administrators, SYSTEM or TrustedInstaller`);
      } finally {
        fs.chmodSync(adminDir, 0o755);
        fs.chownSync(adminFile, 0, 0);
      }
    });

    it('a failed GetNamedSecurityInfoW is one warning naming it (a folder nobody may list)', async () => {
      fs.chmodSync(adminDir, 0o711);
      try {
        const findings = await adminFileMessage({ asNobody: true });
        expect(findings).toContain(`cannot read the permissions of ${winPath(adminDir)} (GetNamedSecurityInfoW failed (Windows error 5))`);
      } finally {
        fs.chmodSync(adminDir, 0o755);
      }
    });
  });

  it('installs the managed uv.exe from a simple index on first use, runs it, and refuses `uv self update`', async () => {
    // The real uv.exe in a wheel the test builds (stored, not deflated: the installer reads both).
    const data = zipSync({
      'uv-0.13.9.data/scripts/uv.exe': [fs.readFileSync(bed.uvExe), { level: 0 }],
      'uv-0.13.9.data/scripts/uvx.exe': [fs.readFileSync(path.join(path.dirname(bed.uvExe), 'uvx.exe')), { level: 0 }],
    });
    const index = await serveSimpleIndex([{ filename: 'uv-0.13.9-py3-none-win_amd64.whl', data }, fakeUvWheel('0.13.10')]);
    try {
      const managedPolicy = path.join(root, 'managed.toml');
      fs.writeFileSync(managedPolicy, `${fs.readFileSync(policy, 'utf8')}uv-source = "${index.url}"\nuv-version = ">=0.13, <0.14"\n`);
      const env = { UVX_SAFE_SYSTEM_CONFIG: winPath(managedPolicy) };
      // No uv on PATH: only the managed one can answer.
      const first = await runWine(bed, ourUv, ['--version'], opts({ env }));
      expect(first.exitCode, explain(first)).toBe(0);
      expect(first.stdout, explain(first)).toMatch(/^uv 0\.13\.9 \(.*windows/m);
      expect(first.stderr.trim(), explain(first)).toBe(`uvx-safe: installed uv 0.13.9 into D:\\dev\\uv\\uv\\0.13.9 (from ${index.url}/)`);
      // The install record (uvx-safe-install.json) beside the binaries: the finder runs only what it lists.
      expect(fs.readdirSync(path.join(driveD, 'dev', 'uv', 'uv', '0.13.9')).sort()).toEqual(['uv.exe', 'uvx-safe-install.json', 'uvx.exe']);
      expect(fs.readdirSync(path.join(driveD, 'dev', 'uv', 'uv'))).toEqual(['0.13.9']); // no temp folder, no lock left

      const update = await runWine(bed, ourUv, ['self', 'update'], opts({ env }));
      expect(expectRefused(update).message, explain(update)).toMatch(/^uv self update: this uv is managed by uvx-safe; the policy decides its version: uv-version ">=0\.13, <0\.14"/);
    } finally {
      await index.close();
      fs.rmSync(path.join(driveD, 'dev', 'uv', 'uv'), { recursive: true, force: true });
    }
  });

  describe('safe shims install / uninstall', () => {
    it('makes uv.exe and uvx.exe of itself, idempotently; the shims run the real uv', async () => {
      const dir = path.join(driveD, 'dev', 'shims');
      const install = await runOurs(['safe', 'shims', 'install', '--dir', 'D:\\dev\\shims']);
      expect(install.exitCode, explain(install)).toBe(0);
      expect(install.stdout, explain(install)).toMatch(/^installed D:\\dev\\shims\\uv\.exe/m);
      expect(install.stdout, explain(install)).toMatch(/^installed D:\\dev\\shims\\uvx\.exe/m);
      expect(fs.readdirSync(dir).sort()).toEqual(['uv.exe', 'uvx.exe']);
      const again = await runOurs(['safe', 'shims', 'install', '--dir', 'D:\\dev\\shims']);
      expect(again.exitCode, explain(again)).toBe(0);
      expect(again.stdout.trim().split(/\r?\n/), explain(again)).toEqual(['unchanged D:\\dev\\shims\\uv.exe', 'unchanged D:\\dev\\shims\\uvx.exe']);
      const shim = await runWine(bed, path.join(dir, 'uvx.exe'), ['--version'], opts({ path: [dir, realUvDir] }));
      expect(shim.exitCode, explain(shim)).toBe(0);
      expect(shim.stdout, explain(shim)).toMatch(/^uvx 0\.13\.9 /);
    });

    it('refuses to overwrite a real uv.exe, and uninstall removes only its own files', async () => {
      const dir = path.join(driveD, 'dev', 'mixed');
      fs.mkdirSync(dir, { recursive: true });
      fs.copyFileSync(bed.uvExe, path.join(dir, 'uv.exe'));
      const refused = await runOurs(['safe', 'shims', 'install', '--dir', 'D:\\dev\\mixed']);
      expect(expectRefused(refused).message, explain(refused)).toMatch(/^refusing to overwrite D:\\dev\\mixed\\uv\.exe/);
      expect(fs.readdirSync(dir)).toEqual(['uv.exe']);
      expect(fs.readFileSync(path.join(dir, 'uv.exe')).equals(fs.readFileSync(bed.uvExe))).toBe(true);

      // Ours beside a real uv.exe and a file of the user's: only ours goes. A copy, not a link of
      // the running executable, which Windows would not delete (uninstall then renames it aside).
      installExe(dir, ['uvx.exe'], 'copy');
      fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');
      const removed = await runOurs(['safe', 'shims', 'uninstall', '--dir', 'D:\\dev\\mixed']);
      expect(removed.exitCode, explain(removed)).toBe(0);
      expect(removed.stdout, explain(removed)).toMatch(/^removed D:\\dev\\mixed\\uvx\.exe/m);
      expect(removed.stderr, explain(removed)).toMatch(/left D:\\dev\\mixed\\uv\.exe alone/);
      expect(fs.readdirSync(dir).sort()).toEqual(['notes.txt', 'uv.exe']);
    });

    it('warns when the folder lies under the user profile (no policy: enforce would refuse it)', async () => {
      const dir = 'C:\\users\\root\\uv-shims';
      const r = await runWine(bed, ourUv, ['safe', 'shims', 'install', '--dir', dir], opts());
      expect(r.exitCode, explain(r)).toBe(0);
      expect(r.stderr, explain(r)).toMatch(/uv-shims lies under the user profile/);
      const undo = await runWine(bed, ourUv, ['safe', 'shims', 'uninstall', '--dir', dir], opts());
      expect(undo.exitCode, explain(undo)).toBe(0);
      // The shims are hard links of the running executable, which cannot be deleted: renamed aside.
      const left = path.join(bed.prefix, 'drive_c', 'users', 'root', 'uv-shims');
      expect(fs.readdirSync(left).filter((f) => !/\.old-\d+$/.test(f))).toEqual([]);
      fs.rmSync(left, { recursive: true, force: true }); // the prefix is kept between runs
    });
  });

  windowsShimsSuite({ bed, root: () => root, realUvDir: () => realUvDir, driveD: () => driveD });

  describe('a uv.exe that Windows refuses to start', () => {
    // Wine never produces AppLocker's error 1260; a non-root Wine and an unreadable uv.exe make the
    // spawn fail the same way (thrown at once, not an 'error' event).
    let blockedDir: string;
    beforeAll(() => {
      blockedDir = path.join(root, 'blocked');
      fs.mkdirSync(blockedDir, { mode: 0o755 });
      fs.copyFileSync(bed.uvExe, path.join(blockedDir, 'uv.exe'));
      fs.chmodSync(path.join(blockedDir, 'uv.exe'), 0o000);
    });

    it.each([
      ['UVX_SAFE_UV', (dir: string) => ({ env: { UVX_SAFE_UV: winPath(path.join(dir, 'uv.exe')) } })],
      ['PATH', (dir: string) => ({ path: [dir] })],
    ])('says so in one line naming the program, its folder and the way out (found by %s), exit 2', async (_how, place) => {
      const given = place(blockedDir) as Partial<WineRun>;
      const r = await runWine(bed, ourUv, ['--version'], opts({ asNobody: true, ...given }));
      const program = winPath(path.join(blockedDir, 'uv.exe'));
      expectRefused(r, `cannot start uv at ${program} (EPERM)`, 'move uv into a folder programs may run from');
      expect(r.stderr, explain(r)).toContain(`from ${winPath(blockedDir)}`);
      expect(r.stderr, explain(r)).toMatch(/blocked by policy[\s\S]*move uv into a folder programs may run from[\s\S]*`uv-path`/);
    });
  });
}
