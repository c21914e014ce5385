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

/** Exit 2, nothing on stdout, one `uvx-safe:` line on stderr (never an internal error) holding each fragment. */
export function expectRefused(r: RunResult, ...fragments: string[]): void {
  expect(r.exitCode, explain(r)).toBe(2);
  expect(r.stdout, explain(r)).toBe('');
  const lines = r.stderr.trim().split('\n');
  expect(lines, explain(r)).toHaveLength(1);
  expect(lines[0], explain(r)).toMatch(/^uvx-safe: /);
  expect(lines[0], explain(r)).not.toContain('internal error');
  for (const fragment of fragments) expect(lines[0], explain(r)).toContain(fragment);
}
