// The policies the docs show are policies the launcher reads: every ```toml block of README.md and
// docs/*.md loads as an admin policy (the schema, the TOML, `locked`) and merges without a warning.
// (Whether its folders exist is the machine's business: test/e2e/admin-flow.test.ts validates the
// admin guide's Linux policy with `safe config validate` on real folders.)
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileLayer } from '../../src/config/layers.js';
import { mergeLayers } from '../../src/config/merge.js';
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

  it('a mistake in an example would fail', () => {
    expect(() => fileLayer('data_root = "/x"\n', '/etc/uvx-safe/config.toml', 'admin')).toThrow(/data_root/);
  });
});
