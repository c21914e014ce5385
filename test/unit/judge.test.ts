// The launcher's judgement of a policy (src/launch/judge.ts), the one `safe config validate` shares:
// what stops every uv call (a config error, placed at its line; the plan's refusals) and what is only
// said (warnings, a report file that cannot be named). End to end: test/e2e/config-command.test.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileLayer } from '../../src/config/layers.js';
import { ConfigError, PolicyRefusal } from '../../src/errors.js';
import { fileFacts, judgeLayers } from '../../src/launch/judge.js';
import type { HostInfo } from '../../src/platform/dirs.js';

let root: string;
let host: HostInfo;
beforeEach(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'uvx-safe-judge-')));
  fs.mkdirSync(path.join(root, 'allowed'));
  host = { platform: 'linux', env: {}, home: path.join(root, 'home'), user: 'me' };
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

/** An admin policy written to disk (config errors are placed by reading the file). */
function judge(lines: string[]) {
  const file = path.join(root, 'etc', 'config.toml');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const text = `${lines.join('\n')}\n`;
  fs.writeFileSync(file, text);
  return { file, judged: judgeLayers([fileLayer(text, file, 'admin')], host, path.join(root, 'allowed')) };
}

describe('what every uv call under a policy would stop on', () => {
  it('enforce without allowed-roots: a config error at the mode line, no plan', () => {
    const { file, judged } = judge(['# the policy', 'mode = "enforce"']);
    expect(judged.plan).toBeUndefined();
    expect(judged.warnings).toEqual([]);
    expect(judged.errors).toHaveLength(1);
    const [error] = judged.errors as [ConfigError];
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(new RegExp(`^${file}:2:\\d+: mode: "enforce" needs allowed-roots`));
    expect(error.hint).toContain('allowed-roots');
  });

  it('an allowed root that does not exist: a config error at its line (the plan asked the disk)', () => {
    const missing = path.join(root, 'missing');
    const { file, judged } = judge(['mode = "warn"', `allowed-roots = ["${path.join(root, 'allowed')}",`, `  "${missing}"]`]);
    expect(judged.errors).toHaveLength(1);
    expect(judged.errors[0]).toBeInstanceOf(ConfigError);
    expect(judged.errors[0]!.message).toMatch(new RegExp(`^${file}:3:\\d+: allowed-roots.1: ${missing} does not exist`));
    expect(judged.errors[0]!.hint).toMatch(/optional = true/);
  });

  it("enforce: the plan's refusals are the errors (uv's default folders outside the roots), with the plan", () => {
    const { judged } = judge(['mode = "enforce"', `allowed-roots = ["${path.join(root, 'allowed')}"]`]);
    expect(judged.plan?.mode).toBe('enforce');
    expect(judged.errors.length).toBeGreaterThan(0);
    expect(judged.errors.every((e) => e instanceof PolicyRefusal)).toBe(true);
    expect(judged.errors.map((e) => e.message).join('\n')).toContain("uv's default cache folder");
    expect(judged.errors).toEqual(judged.plan?.refusals);
  });

  it('a data root inside the roots: nothing to stop on, nothing to say', () => {
    const allowed = path.join(root, 'allowed');
    const { judged } = judge(['mode = "enforce"', `allowed-roots = ["${allowed}"]`, `data-root = "${allowed}/uv"`]);
    expect(judged.errors).toEqual([]);
    expect(judged.warnings).toEqual([]);
    expect(judged.config?.mode.value).toBe('enforce');
  });
});

describe('what is only said', () => {
  it("warn: the plan's findings are warnings, not errors", () => {
    const { judged } = judge(['mode = "warn"', `allowed-roots = ["${path.join(root, 'allowed')}"]`]);
    expect(judged.errors).toEqual([]);
    expect(judged.warnings.length).toBeGreaterThan(0);
    expect(judged.warnings.join('\n')).toContain("uv's default cache folder");
    expect(judged.warnings).toEqual(judged.plan?.warnings);
  });

  it('a report file that cannot be named is a warning at its line, never an error', () => {
    const allowed = path.join(root, 'allowed');
    const { file, judged } = judge(['mode = "enforce"', `allowed-roots = ["${allowed}"]`, `data-root = "${allowed}/uv"`, 'report = "{env:UVX_SAFE_TEST_UNSET_X}/r.jsonl"']);
    expect(judged.errors).toEqual([]);
    expect(judged.warnings).toHaveLength(1);
    expect(judged.warnings[0]).toMatch(new RegExp(`^${file}:4:\\d+: report: .*UVX_SAFE_TEST_UNSET_X.*; refusals and warnings would not be reported$`));
  });
});

describe("the file-system facts the launcher gives the plan", () => {
  it('canonical follows links, through the longest existing prefix', () => {
    fs.symlinkSync(path.join(root, 'allowed'), path.join(root, 'link'));
    expect(fileFacts(host).canonical(path.join(root, 'link', 'not', 'yet'))).toBe(path.join(root, 'allowed', 'not', 'yet'));
  });

  it('isDirectory: a folder yes; a file or nothing no', () => {
    fs.writeFileSync(path.join(root, 'f'), '');
    const { isDirectory } = fileFacts(host);
    expect([isDirectory!(path.join(root, 'allowed')), isDirectory!(path.join(root, 'f')), isDirectory!(path.join(root, 'none'))]).toEqual([true, false, false]);
  });

  it('adminOnlyProblem: a folder under the world-writable temp folder is not the machine\'s', () => {
    expect(fileFacts(host).adminOnlyProblem!(path.join(root, 'allowed'))).toEqual(expect.any(String));
  });
});
