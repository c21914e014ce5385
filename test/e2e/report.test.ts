// The admin's `report` key (issue 18): every refusal and warning of a uv call appends one JSON line to
// the report file, whole lines from parallel calls, rotated by size; a file that cannot be written is
// one warning and never changes the exit status; a planted link is not followed. bin/uvx-safe in front
// of the real uv.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectInvalid, expectRefused, messagesOf, policySandbox, writeLines, type PolicySandbox } from '../helpers/refusal.js';
import { explain, runLauncher, type RunResult } from '../helpers/uv.js';
import { skipOrFail } from '../helpers/system-tools.js';
import { launcherForms, needForm, NPM_FORM, type LauncherForm } from '../helpers/forms.js';
import { REPO_ROOT } from '../helpers/paths.js';

const VERSION = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

let box: PolicySandbox;
/** The shipped form under test: the npm form, or the standalone executable (Bun's fs on the same calls). */
let form: LauncherForm = NPM_FORM;
/** The folder of the report file (not created: the launcher makes it under the data root). */
let logs: string;
let report: string;

const policy = (mode: string, reportValue: string) =>
  writeLines(box.adminFile, [`mode = "${mode}"`, `allowed-roots = ["${box.allowed}"]`, `data-root = "${box.allowed}/data"`, reportValue]);

beforeEach(async () => {
  box = await policySandbox('uvx-safe-report-');
  logs = path.join(box.allowed, 'data', 'logs');
  report = path.join(logs, 'report.jsonl');
  policy('enforce', 'report = "{data-root}/logs/report.jsonl"');
});
afterEach(async () => {
  await fs.promises.rm(box.root, { recursive: true, force: true });
});

/** `uv --cache-dir OUTSIDE cache dir`: refused in enforce, a warning in warn. */
const outsideCache = (extra: Record<string, string> = {}) =>
  runLauncher(['--cache-dir', box.outside, 'cache', 'dir'], { env: { ...box.env, ...extra }, cwd: box.root, form });

function linesOf(file: string): Record<string, unknown>[] {
  if (!fs.existsSync(file)) return [];
  const text = fs.readFileSync(file, 'utf8');
  expect(text === '' || text.endsWith('\n'), `a partial line in ${file}`).toBe(true);
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** One warning about the report file, and everything else as without it. */
function reportWarning(r: RunResult): string {
  const warnings = messagesOf(r.stderr).filter((m) => m.level === 'warning');
  expect(warnings.length, explain(r)).toBe(1);
  expect(warnings[0]!.message, explain(r)).toMatch(/^cannot append to the report file .*; this call is not reported$/);
  expect(warnings[0]!.hint, explain(r)).toContain('docs/config-reference.md#report');
  return warnings[0]!.message;
}

/** doctor's `report` check, from its JSON. */
async function doctorReportLine(): Promise<unknown> {
  const r = await runLauncher(['safe', 'doctor', '--json'], { env: box.env, cwd: box.root, form });
  const checks = (JSON.parse(r.stdout) as { checks: { id: string }[] }).checks;
  return checks.find((check) => check.id === 'report');
}

describe.each(launcherForms())('$name form', (shipped) => {
  beforeEach((ctx) => {
    needForm(ctx, shipped);
    form = shipped;
  });
  afterEach(() => {
    form = NPM_FORM;
  });

  describe('lines', () => {
    it('a refusal appends exactly one line with the fields, saying what stderr said', async () => {
      const before = Date.now();
      const r = await outsideCache();
      const refusal = expectRefused(r, `--cache-dir ${box.outside}`);
      const [line, ...more] = linesOf(report);
      expect(more, explain(r)).toEqual([]);
      expect(Object.keys(line!)).toEqual(['time', 'level', 'rule', 'message', 'hint', 'user', 'host', 'cwd', 'argv', 'pid', 'launcher', 'mode']);
      expect(line).toMatchObject({
        level: 'error',
        rule: 'outside-allowed-roots:--cache-dir',
        message: refusal.message,
        hint: refusal.hint,
        user: os.userInfo().username,
        host: os.hostname(),
        cwd: box.root,
        argv: ['uvx-safe', '--cache-dir', box.outside, 'cache', 'dir'],
        launcher: VERSION,
        mode: 'enforce',
      });
      expect(line!.pid).toEqual(expect.any(Number));
      expect(line!.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const time = Date.parse(line!.time as string);
      expect(time >= before - 1000 && time <= Date.now() + 1000, String(line!.time)).toBe(true);
      // Private to its writer and, through the folder's group, to a collector: never world-readable.
      expect(fs.statSync(report).mode & 0o777).toBe(0o640 & ~process.umask());
      // The refusal created nothing else: the data root holds only the report's folder.
      expect(fs.readdirSync(path.join(box.allowed, 'data'))).toEqual(['logs']);
    });

    it('a warning in warn mode appends one line, and uv runs', async () => {
      policy('warn', 'report = "{data-root}/logs/report.jsonl"');
      const r = await outsideCache();
      expect(r.exitCode, explain(r)).toBe(0);
      expect(r.stdout.trim(), explain(r)).toBe(box.outside);
      const said = messagesOf(r.stderr);
      expect(said.map((m) => m.level), explain(r)).toEqual(['warning']);
      const lines = linesOf(report);
      expect(lines.map((l) => [l.level, l.rule, l.message, l.mode]), explain(r)).toEqual([
        ['warning', 'outside-allowed-roots:--cache-dir', said[0]!.message, 'warn'],
      ]);
      expect(lines[0]!.hint).toBeNull();
    });

    it('a clean call appends nothing and prints nothing', async () => {
      const r = await runLauncher(['cache', 'dir'], { env: box.env, cwd: box.root, form });
      expect(r.exitCode, explain(r)).toBe(0);
      expect(r.stderr, explain(r)).toBe('');
      expect(fs.existsSync(logs), explain(r)).toBe(false);
      // Doctor says where refusals would go, and writes nothing there either.
      expect(await doctorReportLine()).toMatchObject({ status: 'ok', message: expect.stringContaining(`${report}: refusals and warnings are appended here`) });
      expect(fs.existsSync(logs)).toBe(false);
      writeLines(box.adminFile, ['mode = "enforce"', `allowed-roots = ["${box.allowed}"]`, `data-root = "${box.allowed}/data"`]);
      expect(await doctorReportLine()).toBeUndefined();
    });

    it('other refusals carry their own rule: a variable, a config error before the merge', async () => {
      const variable = await runLauncher(['cache', 'dir'], { env: { ...box.env, UV_CACHE_DIR: box.outside }, cwd: box.root, form });
      expectRefused(variable, `UV_CACHE_DIR=${box.outside}`);
      // A project file that cannot be parsed stops the call before the policy is merged: the admin's report still hears it.
      const project = path.join(box.allowed, 'proj');
      writeLines(path.join(project, 'uvx-safe.toml'), ['mode = enforce']);
      const broken = await runLauncher(['cache', 'dir'], { env: box.env, cwd: project, form });
      expectRefused(broken, 'uvx-safe.toml');
      expect(linesOf(report).map((l) => [l.level, l.rule, l.cwd])).toEqual([
        ['error', 'outside-allowed-roots:UV_CACHE_DIR', box.root],
        ['error', 'config', project],
      ]);
    });

    it('a variable that tries to override the admin\'s locked key is reported by its name: refused in enforce, a warning in warn', async () => {
    const locked = (mode: string) =>
      writeLines(box.adminFile, [`mode = "${mode}"`, `allowed-roots = ["${box.allowed}"]`, `data-root = "${box.allowed}/data"`, 'locked = ["data-root"]', 'report = "{data-root}/logs/report.jsonl"']);
    const call = () => runLauncher(['cache', 'dir'], { env: { ...box.env, UVX_SAFE_DATA_ROOT: `${box.allowed}/mine` }, cwd: box.root, form });
    locked('enforce');
    expectRefused(await call(), 'UVX_SAFE_DATA_ROOT');
    locked('warn');
    const warned = await call();
    expect(warned.exitCode, explain(warned)).toBe(0);
    expect(linesOf(report).map((l) => [l.level, l.rule, l.mode])).toEqual([
      ['error', 'admin-policy-overridden:UVX_SAFE_DATA_ROOT', 'enforce'],
      ['warning', 'admin-policy-overridden:UVX_SAFE_DATA_ROOT', 'warn'],
    ]);
  });

  it('20 parallel refused calls append 20 whole lines', async () => {
      const runs = await Promise.all(Array.from({ length: 20 }, (_, i) => outsideCache({ CALL_NUMBER: String(i) })));
      for (const r of runs) expectRefused(r, '--cache-dir');
      const lines = linesOf(report);
      expect(lines.length).toBe(20);
      expect(new Set(lines.map((l) => l.pid)).size).toBe(20);
      for (const line of lines) expect(line.rule).toBe('outside-allowed-roots:--cache-dir');
    });
  });

  describe('rotation', () => {
    const rotated = (n: number) => `${report}.${n}`;

    it('renames the file to .1 once it has reached max-size, keeping `keep` old files', async () => {
      policy('enforce', `report = { path = "{data-root}/logs/report.jsonl", max-size = "1 KiB", keep = 2 }`);
      const pids: unknown[] = [];
      for (let i = 0; i < 10; i++) {
        const r = await outsideCache();
        expectRefused(r, '--cache-dir');
        pids.push(linesOf(report).at(-1)?.pid);
      }
      expect(fs.readdirSync(logs).sort()).toEqual(['report.jsonl', 'report.jsonl.1', 'report.jsonl.2']);
      // Each old file was rotated only at 1 KiB: without its last line it was still below.
      for (const old of [rotated(2), rotated(1)]) {
        const text = fs.readFileSync(old, 'utf8');
        const last = text.slice(text.lastIndexOf('\n', text.length - 2) + 1);
        expect(text.length).toBeGreaterThanOrEqual(1024);
        expect(text.length - last.length).toBeLessThan(1024);
      }
      // The lines still kept are the newest, in order, none lost between the files.
      const kept = [...linesOf(rotated(2)), ...linesOf(rotated(1)), ...linesOf(report)].map((l) => l.pid);
      expect(kept.length).toBeLessThan(10);
      expect(kept).toEqual(pids.slice(10 - kept.length));
    });

    it('20 parallel calls rotating at once lose no line and leave no stray file', async () => {
      policy('enforce', `report = { path = "{data-root}/logs/report.jsonl", max-size = 600, keep = 99 }`);
      const runs = await Promise.all(Array.from({ length: 20 }, () => outsideCache()));
      for (const r of runs) expectRefused(r, '--cache-dir');
      const files = fs.readdirSync(logs);
      for (const file of files) expect(file).toMatch(/^report\.jsonl(\.\d+)?$/);
      expect(files.length).toBeGreaterThan(1);
      const lines = files.flatMap((file) => linesOf(path.join(logs, file)));
      expect(lines.length).toBe(20);
      expect(new Set(lines.map((l) => l.pid)).size).toBe(20);
    });
  });

  describe('a report that cannot be written', () => {
    it('a read-only folder: one warning, and the same exit status as without a report', async (ctx) => {
      if (process.platform !== 'linux' || process.getuid?.() !== 0) skipOrFail(ctx, 'a read-only mount needs Linux and root');
      const share = path.join(box.root, 'share');
      fs.mkdirSync(share);
      const mounted = await execa('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', share], { reject: false });
      if (mounted.exitCode !== 0) skipOrFail(ctx, `cannot mount a read-only tmpfs: ${mounted.stderr.trim()}`);
      try {
        const base = ['mode = "enforce"', `allowed-roots = ["${box.allowed}"]`, `data-root = "${box.allowed}/data"`];
        writeLines(box.adminFile, base);
        const without = await outsideCache();
        expectRefused(without, '--cache-dir');
        writeLines(box.adminFile, [...base, `report = "${share}/report.jsonl"`]);
        const r = await outsideCache();
        expect(r.exitCode, explain(r)).toBe(without.exitCode);
        expect(messagesOf(r.stderr).map((m) => m.level), explain(r)).toEqual(['error', 'warning']);
        expect(messagesOf(r.stderr)[0], explain(r)).toEqual(messagesOf(without.stderr)[0]);
        expect(reportWarning(r)).toContain(`${share}/report.jsonl (EROFS)`);
        // A clean call has nothing to report: silent.
        const clean = await runLauncher(['cache', 'dir'], { env: box.env, cwd: box.root, form });
        expect([clean.exitCode, clean.stderr], explain(clean)).toEqual([0, '']);
        // Doctor tells the fleet this machine's refusals go unreported.
        expect(await doctorReportLine()).toEqual({
          id: 'report',
          label: 'report',
          status: 'warn',
          message: expect.stringContaining(`${share}/report.jsonl: its folder ${share} cannot be written to (EROFS)`),
        });
      } finally {
        await execa('umount', [share], { reject: false });
      }
    });

    it('a symbolic link planted at the report path is not followed', async () => {
      fs.mkdirSync(logs, { recursive: true, mode: 0o700 });
      const target = path.join(box.root, 'elsewhere.txt');
      fs.writeFileSync(target, 'untouched\n');
      fs.symlinkSync(target, report);
      const r = await outsideCache();
      expect(r.exitCode, explain(r)).toBe(2);
      expect(reportWarning(r)).toContain('symbolic link');
      expect(await doctorReportLine()).toMatchObject({ status: 'warn', message: expect.stringContaining('symbolic link') });
      expect(fs.readFileSync(target, 'utf8')).toBe('untouched\n');
      expect(fs.lstatSync(report).isSymbolicLink()).toBe(true);
    });

    it('a file another user owns (not root) is not written to', async (ctx) => {
      if (process.getuid?.() !== 0) skipOrFail(ctx, 'giving a file to another user needs root');
      fs.mkdirSync(logs, { recursive: true });
      fs.writeFileSync(report, '');
      fs.chownSync(report, 65534, 65534);
      const r = await outsideCache();
      expect(r.exitCode, explain(r)).toBe(2);
      expect(reportWarning(r)).toContain('owned by another user (uid 65534)');
      expect(fs.readFileSync(report, 'utf8')).toBe('');
    });

    it('a FIFO planted at the report path fails at once instead of waiting for a reader', async () => {
      fs.mkdirSync(logs, { recursive: true });
      await execa('mkfifo', [report]);
      const r = await outsideCache();
      expect(r.exitCode, explain(r)).toBe(2);
      expect(reportWarning(r)).toContain('not a regular file');
    });
  });

});

describe('the key', () => {
  it('a relative path is refused with the same words by validate and by every uv call', async () => {
    policy('enforce', 'report = "logs/report.jsonl"');
    const words = 'report: "logs/report.jsonl" must be an absolute path';
    expectInvalid(await runLauncher(['safe', 'config', 'validate', box.adminFile], { env: box.env, cwd: box.root }), words, `${box.adminFile}:4:`);
    expectRefused(await runLauncher(['cache', 'dir'], { env: box.env, cwd: box.root }), words, `${box.adminFile}:4:`);
  });

  it('validate names a report file that cannot be expanded: a misspelt template fails, an unset variable warns', async () => {
    const validate = () => runLauncher(['safe', 'config', 'validate', box.adminFile], { env: box.env, cwd: box.root });
    policy('enforce', 'report = "/var/log/{usr}.jsonl"');
    expectInvalid(await validate(), 'report: unknown template {usr} (did you mean "user"?)');
    policy('enforce', 'report = { path = "{env:UVX_SAFE_TEST_NO_SUCH}/report.jsonl" }');
    const unset = await validate();
    expect(unset.exitCode, explain(unset)).toBe(0);
    expect(messagesOf(unset.stderr).map((m) => [m.level, m.message]), explain(unset)).toEqual([
      ['warning', expect.stringMatching(/report\.path: \{env:UVX_SAFE_TEST_NO_SUCH\} is used but UVX_SAFE_TEST_NO_SUCH is not set.*; refusals and warnings would not be reported$/)],
    ]);
    // What the launcher says then: the refusal as ever, and one warning that it went unreported.
    const r = await outsideCache();
    expect(r.exitCode, explain(r)).toBe(2);
    expect(reportWarning(r)).toContain('UVX_SAFE_TEST_NO_SUCH is not set');
  });

  it('safe config show lists it with its origin', async () => {
    const r = await runLauncher(['safe', 'config', 'show'], { env: box.env, cwd: box.root });
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stdout, explain(r)).toMatch(new RegExp(`^report = "\\{data-root\\}/logs/report\\.jsonl" +admin: ${box.adminFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
  });

  it('a user or project file cannot set it: ignored with a warning', async () => {
    const userFile = path.join(box.env.XDG_CONFIG_HOME, 'uvx-safe', 'config.toml');
    writeLines(userFile, [`report = "${box.root}/mine.jsonl"`]);
    const r = await outsideCache();
    expect(messagesOf(r.stderr).map((m) => [m.level, m.message]), explain(r)).toEqual([
      ['warning', `${userFile}: report can only be set by the admin policy; ignored`],
      ['error', expect.stringContaining('--cache-dir')],
    ]);
    expect(fs.existsSync(path.join(box.root, 'mine.jsonl'))).toBe(false);
    expect(linesOf(report).map((l) => [l.level, l.rule])).toEqual([
      ['warning', 'config-ignored'],
      ['error', 'outside-allowed-roots:--cache-dir'],
    ]);
  });
});
