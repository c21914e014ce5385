// Shared by the fail-closed e2e tests: writing small config files, and what a refusal looks like.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { explain, type RunResult } from './uv.js';

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
