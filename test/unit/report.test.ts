// The report's pure parts (the key, the line, the file it names, rule ids) and its appender on a real
// folder: rotation with a second writer holding the old file, a lost race, an unwritable path.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileLayer } from '../../src/config/layers.js';
import { mergeLayers } from '../../src/config/merge.js';
import { ConfigError, FolderError, PolicyRefusal, ruleOf, UvNotFoundError } from '../../src/errors.js';
import type { HostInfo } from '../../src/platform/dirs.js';
import { appendLine, type ReportFile } from '../../src/report/append.js';
import { LINE_LIMIT, REPORT_FIELDS, reportLine, type ReportFacts } from '../../src/report/line.js';
import { reportFile } from '../../src/relocate/report-target.js';
import { parseByteSize } from '../../src/text/byte-size.js';

const linux: HostInfo = { platform: 'linux', env: { LOGS: '/srv/logs' }, home: '/home/me', user: 'me' };
const admin = (text: string) => mergeLayers([fileLayer(text, '/etc/uvx-safe/config.toml', 'admin')]);

describe('the key', () => {
  it('takes a path or a table, and the file it names expands like any path value', () => {
    expect(reportFile(admin('data-root = "/data/{user}"\nreport = "{data-root}/report.jsonl"'), linux)).toEqual({
      path: '/data/me/report.jsonl',
      maxSize: 10 * 1024 * 1024,
      keep: 3,
      mayMakeFolder: true,
    });
    expect(reportFile(admin('report = { path = "{env:LOGS}/{user}.jsonl", max-size = "500 kB", keep = 7 }'), linux)).toEqual({
      path: '/srv/logs/me.jsonl',
      maxSize: 500_000,
      keep: 7,
      mayMakeFolder: false,
    });
    expect(reportFile(admin('report = { path = "/l/r.jsonl", max-size = 4096 }'), linux)?.maxSize).toBe(4096);
    expect(reportFile(admin('mode = "warn"'), linux)).toBeUndefined();
  });

  it('only a folder under the data root may be created', () => {
    const file = (report: string) => reportFile(admin(`data-root = "/data"\nreport = "${report}"`), linux)!;
    expect(file('/data/logs/deep/r.jsonl').mayMakeFolder).toBe(true);
    expect(file('/mnt/share/r.jsonl').mayMakeFolder).toBe(false);
    expect(file('/data-other/r.jsonl').mayMakeFolder).toBe(false);
  });

  it.each([
    ['report = "logs/r.jsonl"', 'report: "logs/r.jsonl" must be an absolute path'],
    ['report = "{user}/r.jsonl"', 'must be an absolute path'],
    ['report = ""', 'must not be empty'],
    ['report = { path = "/r.jsonl", max-size = "10 MiBs" }', 'report.max-size'],
    ['report = { path = "/r.jsonl", max-size = 0 }', 'report.max-size'],
    ['report = { path = "/r.jsonl", keep = 0 }', 'report.keep: 0 must be at least 1'],
    ['report = { path = "/r.jsonl", rotate = true }', 'rotate'],
    ['report = true', 'must be a path, or a table'],
  ])('%s is an error', (text, words) => {
    expect(() => admin(text)).toThrow(words);
  });

  it('absolute spellings of either platform pass: the policy may be checked on another machine', () => {
    for (const value of ['/var/log/r.jsonl', 'C:\\\\Logs\\\\r.jsonl', '\\\\\\\\server\\\\share\\\\r.jsonl', '~/r.jsonl', '{home}/r', '{data-root}/r', '{env:LOGS}/r'])
      expect(() => admin(`report = "${value}"`), value).not.toThrow();
  });

  it('a file that cannot be named is an error naming the key as written: report, report.path, or the data-root it uses', () => {
    const unset = '{env:UVX_SAFE_TEST_UNSET}';
    expect(() => reportFile(admin(`report = "${unset}/r.jsonl"`), linux)).toThrow(`/etc/uvx-safe/config.toml: report: ${unset} is used`);
    expect(() => reportFile(admin(`report = { path = "${unset}/r.jsonl" }`), linux)).toThrow(`/etc/uvx-safe/config.toml: report.path: ${unset} is used`);
    expect(() => reportFile(admin(`data-root = "${unset}/d"\nreport = "/l/r.jsonl"`), linux)).toThrow(`/etc/uvx-safe/config.toml: data-root: ${unset} is used`);
  });

  it('a user, project or environment layer cannot set it', () => {
    const user = fileLayer('report = "/tmp/mine.jsonl"', '/home/me/.config/uvx-safe/config.toml', 'user');
    const project = fileLayer('report = "/tmp/repo.jsonl"', '/repo/uvx-safe.toml', 'project');
    const merged = mergeLayers([fileLayer('report = "/srv/r.jsonl"', '/etc/uvx-safe/config.toml', 'admin'), user, project]);
    expect(merged.report?.value).toBe('/srv/r.jsonl');
    expect(merged.warnings).toEqual([
      '/home/me/.config/uvx-safe/config.toml: report can only be set by the admin policy; ignored',
      '/repo/uvx-safe.toml: report can only be set by the admin policy; ignored',
    ]);
    expect(mergeLayers([user]).report).toBeUndefined();
  });

  it('reads sizes as an admin writes them', () => {
    expect(parseByteSize('10 MiB')).toBe(10 * 1024 * 1024);
    expect(parseByteSize('1kb')).toBe(1000);
    expect(parseByteSize('2 GiB')).toBe(2 * 1024 ** 3);
    expect(parseByteSize('4096')).toBe(4096);
    for (const bad of ['', '0', '1.5 MiB', '-1', '10 MB extra', '10 XB']) expect(parseByteSize(bad), bad).toBeUndefined();
  });
});

describe('rules', () => {
  it('an error names its rule: its own, its config key, or its kind', () => {
    expect(ruleOf(new PolicyRefusal('x', { hint: 'h', rule: 'outside-allowed-roots:--cache-dir' }))).toBe('outside-allowed-roots:--cache-dir');
    expect(ruleOf(new PolicyRefusal('x', { hint: 'h' }))).toBe('policy-refusal');
    expect(ruleOf(new ConfigError('/p/pyproject.toml', 'bad', { key: 'tool.uvx-safe.mode' }))).toBe('config:mode');
    expect(ruleOf(new ConfigError('/f.toml', 'bad'))).toBe('config');
    expect(ruleOf(new UvNotFoundError('x', { hint: 'h' }))).toBe('uv-not-found');
    expect(ruleOf(new FolderError('x', { hint: 'h' }))).toBe('folder');
  });
});

const facts = (over: Partial<ReportFacts> = {}): ReportFacts => ({
  time: new Date('2026-12-03T14:05:09.123Z'),
  user: 'me',
  host: 'pc-17',
  cwd: '/home/me/proj',
  argv: ['uv', '--cache-dir', '/x', 'sync'],
  pid: 4242,
  launcher: '1.2.3',
  mode: 'enforce',
  ...over,
});

describe('a line', () => {
  it('is one JSON object with the documented fields, in order, and a newline', () => {
    const line = reportLine({ level: 'error', rule: 'r', message: 'm', hint: 'h' }, facts());
    expect(line.endsWith('\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(REPORT_FIELDS.map(([name]) => name).filter((name) => name !== 'truncated'));
    expect(parsed).toMatchObject({ time: '2026-12-03T14:05:09.123Z', level: 'error', hint: 'h', argv: ['uv', '--cache-dir', '/x', 'sync'] });
    expect(JSON.parse(reportLine({ level: 'warning', rule: 'r', message: 'm' }, facts())).hint).toBeNull();
  });

  it('stays under PIPE_BUF whatever it holds: long values shortened, and marked', () => {
    const cases: Partial<ReportFacts>[] = [
      { argv: ['uv', 'run', 'x'.repeat(100_000)] },
      { argv: ['uv', ...Array.from({ length: 5000 }, (_, i) => `--arg-${i}`)] },
      { cwd: `/${'deep/'.repeat(2000)}` },
      { argv: ['uv', 'é🙂'.repeat(3000)] },
    ];
    for (const over of cases) {
      const line = reportLine({ level: 'error', rule: 'outside-allowed-roots:--cache-dir', message: 'm'.repeat(5000), hint: 'h'.repeat(3000) }, facts(over));
      expect(Buffer.byteLength(line)).toBeLessThanOrEqual(LINE_LIMIT);
      const parsed = JSON.parse(line) as Record<string, unknown>;
      expect(parsed.truncated).toBe(true);
      expect(parsed.rule).toBe('outside-allowed-roots:--cache-dir');
      expect((parsed.argv as string[])[0]).toBe('uv');
    }
  });
});

describe('appending', () => {
  let dir: string;
  let file: ReportFile;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uvx-safe-report-unit-'));
    file = { path: path.join(dir, 'r.jsonl'), maxSize: 10, keep: 2, mayMakeFolder: false };
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');

  it('rotates at max-size, shifting old files up to keep', () => {
    for (const n of [1, 2, 3, 4]) appendLine(file, `line ${n} padded\n`);
    expect(fs.readdirSync(dir).sort()).toEqual(['r.jsonl', 'r.jsonl.1', 'r.jsonl.2']);
    expect([read('r.jsonl.2'), read('r.jsonl.1'), read('r.jsonl')]).toEqual(['line 2 padded\n', 'line 3 padded\n', 'line 4 padded\n']);
  });

  it('a writer holding the old file keeps appending to it: the line lands in .1, none is lost', () => {
    appendLine(file, 'first line, long\n');
    const held = fs.openSync(file.path, fs.constants.O_WRONLY | fs.constants.O_APPEND);
    appendLine(file, 'rotates it\n');
    fs.writeSync(held, 'late writer\n');
    fs.closeSync(held);
    expect(read('r.jsonl.1')).toBe('first line, long\nlate writer\n');
    expect(read('r.jsonl')).toBe('rotates it\n');
  });

  it('a writer that finds the full file already rotated by another appends to the new one', () => {
    appendLine(file, 'first line, long\n');
    // Another call rotated between this call's open and its check: simulated by a new file at the path.
    fs.renameSync(file.path, `${file.path}.1`);
    fs.writeFileSync(file.path, 'other\n');
    appendLine(file, 'mine\n');
    expect(read('r.jsonl')).toBe('other\nmine\n');
    expect(read('r.jsonl.1')).toBe('first line, long\n');
  });

  it('creates a missing folder only when allowed, with the file 0640', () => {
    const nested = { ...file, path: path.join(dir, 'a', 'b', 'r.jsonl') };
    expect(() => appendLine(nested, 'x\n')).toThrow(/ENOENT/);
    appendLine({ ...nested, mayMakeFolder: true }, 'x\n');
    expect(fs.statSync(nested.path).mode & 0o777).toBe(0o640 & ~process.umask());
    expect(fs.statSync(path.dirname(nested.path)).mode & 0o777).toBe(0o700 & ~process.umask());
  });

  it('refuses a link, a folder, and leaves the target alone', () => {
    fs.writeFileSync(path.join(dir, 'target'), 'keep\n');
    fs.symlinkSync(path.join(dir, 'target'), file.path);
    expect(() => appendLine(file, 'x\n')).toThrow('symbolic link');
    expect(read('target')).toBe('keep\n');
    fs.unlinkSync(file.path);
    fs.mkdirSync(file.path);
    expect(() => appendLine(file, 'x\n')).toThrow(/EISDIR/);
  });
});
