// The policies the docs show are policies the launcher reads: every ```toml block of README.md and
// docs/*.md loads as an admin policy (the schema, the TOML, `locked`) and merges without a warning.
// The admin guide's worked example (in Windows paths) is also judged as the launcher judges it on a
// Windows machine where its folders exist: no refusal, no warning. (test/e2e/admin-flow.test.ts runs
// `safe config validate` on the guide's Linux policy and real folders.)
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileLayer } from '../../src/config/layers.js';
import { checkEnforceHasRoots, mergeLayers } from '../../src/config/merge.js';
import type { HostInfo } from '../../src/platform/dirs.js';
import { planRelocation } from '../../src/relocate/plan.js';
import { parseUvArgs } from '../../src/uv/argv.js';
import { REPO_ROOT } from '../helpers/paths.js';

/** The ```toml blocks of a markdown file, dedented (a block may sit in a list item), with their line. */
function tomlBlocks(text: string): { line: number; toml: string }[] {
  const blocks: { line: number; toml: string }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```toml\s*$/.exec(lines[i]!);
    if (!open) continue;
    const indent = open[1]!.length;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !/^\s*```\s*$/.test(lines[j]!); j++) body.push(lines[j]!.slice(indent));
    blocks.push({ line: i + 1, toml: body.join('\n') });
    i = j;
  }
  return blocks;
}

const DOCS = ['README.md', ...fs.readdirSync(path.join(REPO_ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const EXAMPLES = DOCS.flatMap((file) => tomlBlocks(fs.readFileSync(path.join(REPO_ROOT, file), 'utf8')).map((b) => ({ where: `${file}:${b.line}`, toml: b.toml })));

describe('policy examples in the docs', () => {
  it('the admin guide shows a complete policy', () => {
    const guide = EXAMPLES.filter((e) => e.where.startsWith('docs/admin-guide.md'));
    expect(guide.some((e) => ['mode', 'allowed-roots', 'data-root', 'locked', '[locations]', '[env]'].every((k) => e.toml.includes(k)))).toBe(true);
  });

  it.each(EXAMPLES)('$where loads as an admin policy and merges without a warning', ({ toml }) => {
    const layer = fileLayer(toml, '/etc/uvx-safe/config.toml', 'admin');
    expect(mergeLayers([layer]).warnings).toEqual([]);
  });

  it("the admin guide's worked example: the launcher's judgement on Windows, every folder present, refuses and warns about nothing", () => {
    const example = EXAMPLES.find((e) => e.where.startsWith('docs/admin-guide.md') && e.toml.includes('[locations]'))!;
    const host: HostInfo = { platform: 'win32', env: { APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, home: 'C:\\Users\\ann', user: 'ann' };
    const config = mergeLayers([fileLayer(example.toml, 'C:\\ProgramData\\uvx-safe\\config.toml', 'admin')]);
    checkEnforceHasRoots(config);
    const plan = planRelocation({ config, args: parseUvArgs(['sync']), host, cwd: 'D:\\dev\\src\\app', canonical: (p) => p, isDirectory: () => true });
    expect(plan.refusals.map((r) => r.message)).toEqual([]);
    expect([...config.warnings, ...plan.warnings]).toEqual([]);
    expect(plan.env.UV_CACHE_DIR?.toLowerCase()).toBe('d:\\dev\\uv\\ann\\cache');
  });

  it('a mistake in an example would fail', () => {
    expect(() => fileLayer('data_root = "/x"\n', '/etc/uvx-safe/config.toml', 'admin')).toThrow(/data_root/);
  });
});
