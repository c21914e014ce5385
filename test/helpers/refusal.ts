// Shared by the fail-closed e2e tests: their sandbox, writing small config files, and what a refusal
// looks like.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { explain, sandboxEnv, type RunResult, type SandboxEnv } from './uv.js';
import { makeTempDir } from './workspace.js';

export interface PolicySandbox {
  /** A fresh temp folder (realpath), removed by the caller. */
  root: string;
  /** sandboxEnv under `root/sandbox`, pointing UVX_SAFE_SYSTEM_CONFIG at `adminFile`. */
  env: SandboxEnv;
  /** `root/allowed`, created: the folder a test's policy allows. */
  allowed: string;
  /** `root/outside`, not created. */
  outside: string;
  /** `root/etc/config.toml`, not written: each test writes the policy it needs. */
  adminFile: string;
}

export async function policySandbox(prefix: string): Promise<PolicySandbox> {
  const root = fs.realpathSync(await makeTempDir(prefix));
  const allowed = path.join(root, 'allowed');
  fs.mkdirSync(allowed);
  const adminFile = path.join(root, 'etc', 'config.toml');
  const env = { ...sandboxEnv(path.join(root, 'sandbox')), UVX_SAFE_SYSTEM_CONFIG: adminFile };
  return { root, env, allowed, outside: path.join(root, 'outside'), adminFile };
}

/** Writes `lines` (one per line) to `file`, making its folder. */
export function writeLines(file: string, lines: string[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
}

/** One message of ours on stderr, parsed from uv's layout (src/log.ts). */
export interface Said {
  level: 'error' | 'warning';
  message: string;
  causes: string[];
  hint?: string;
}

/** Every `error:`/`warning:` message of uvx-safe in `stderr`, with its `Caused by:` and `hint:` lines. */
export function messagesOf(stderr: string): Said[] {
  const said: Said[] = [];
  for (const line of stderr.split(/\r?\n/)) {
    const head = /^(error|warning): uvx-safe: (.*)$/.exec(line);
    if (head) said.push({ level: head[1] as Said['level'], message: head[2]!, causes: [] });
    else if (said.length && line.startsWith('  Caused by: ')) said[said.length - 1]!.causes.push(line.slice('  Caused by: '.length));
    else if (said.length && line.startsWith('hint: ')) said[said.length - 1]!.hint = line.slice('hint: '.length);
  }
  return said;
}

/**
 * A refusal: exit 2, nothing on stdout, and on stderr exactly one `error: uvx-safe: ...` (never an
 * internal error) with a `hint:` saying what to do instead; each fragment is in the message or the hint.
 * Every refusal test asserts through this, so every refusal in the suite is checked for its hint.
 */
export function expectRefused(r: RunResult, ...fragments: string[]): Said {
  return expectOneError(r, 2, fragments);
}

/** `safe config validate` finding one error: as a refusal, with exit status 1. */
export function expectInvalid(r: RunResult, ...fragments: string[]): Said {
  return expectOneError(r, 1, fragments);
}

function expectOneError(r: RunResult, status: number, fragments: string[]): Said {
  expect(r.exitCode, explain(r)).toBe(status);
  expect(r.stdout, explain(r)).toBe('');
  const said = messagesOf(r.stderr);
  expect(said.map((m) => m.level), explain(r)).toEqual(['error']);
  const [refusal] = said as [Said];
  // Nothing else of anyone's: the error line, its causes, a blank line and the hint.
  expect(r.stderr.split(/\r?\n/).filter((line) => line !== '').length, explain(r)).toBe(2 + refusal.causes.length);
  expect(r.stderr, explain(r)).toMatch(/^error: uvx-safe: /m);
  expect(refusal.message, explain(r)).not.toContain('internal error');
  expect(refusal.hint, `a refusal without a hint: line\n${explain(r)}`).toMatch(/\S/);
  for (const fragment of fragments) expect(`${refusal.message}\n${refusal.hint}`, explain(r)).toContain(fragment);
  return refusal;
}
