// Every relative link in README.md, docs/*.md and examples/*.md leads somewhere: the file exists and, with a
// `#anchor`, the target has a heading with that GitHub slug. Consolidating a fact into one place
// and linking to it from the others must not leave a dead link behind; nor may it strand a hint
// of the launcher's that names a doc section (`see docs/config-reference.md#data-root`).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { referenceHint } from '../../src/errors.js';
import { configSchema, LOCATION_KEYS } from '../../src/config/schema.js';
import { REPO_ROOT } from '../helpers/paths.js';

/** GitHub's heading anchor (github-slugger): lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
export function githubSlug(heading: string, seen: Map<string, number>): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link in a heading: its text
    .replace(/<[^>]+>/g, '')
    .toLowerCase()
    .trim();
  const base = text.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
  const count = seen.get(base) ?? 0;
  seen.set(base, count + 1);
  return count === 0 ? base : `${base}-${count}`;
}

/** The lines of a markdown file outside fenced code blocks. */
function proseLines(text: string): { line: string; number: number }[] {
  const out: { line: string; number: number }[] = [];
  let fence: string | undefined;
  text.split('\n').forEach((line, i) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (fence === undefined || marker.startsWith(fence))) {
      fence = fence === undefined ? marker : undefined;
      return;
    }
    if (fence === undefined) out.push({ line, number: i + 1 });
  });
  return out;
}

export function anchorsOf(text: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const { line } of proseLines(text)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading !== undefined) anchors.add(githubSlug(heading, seen));
  }
  return anchors;
}

export function linksOf(text: string): { target: string; line: number }[] {
  const links: { target: string; line: number }[] = [];
  for (const { line, number } of proseLines(text)) {
    // A code span is never a link, but link text may hold one: keep the brackets, drop the code.
    const prose = line.replace(/`[^`]*`/g, 'code');
    for (const match of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) links.push({ target: match[1]!, line: number });
  }
  return links;
}

const markdownIn = (dir: string) =>
  fs.existsSync(path.join(REPO_ROOT, dir)) ? fs.readdirSync(path.join(REPO_ROOT, dir)).filter((f) => f.endsWith('.md')).map((f) => `${dir}/${f}`) : [];
const DOCS = ['README.md', ...markdownIn('docs'), ...markdownIn('examples')];

function deadLinks(file: string): string[] {
  const text = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
  const dead: string[] = [];
  for (const { target, line } of linksOf(text)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: ...
    const [pathPart, anchor] = target.split('#', 2) as [string, string | undefined];
    const resolved = pathPart === '' ? path.join(REPO_ROOT, file) : path.resolve(path.dirname(path.join(REPO_ROOT, file)), decodeURI(pathPart));
    const where = `${file}:${line}: ${target}`;
    if (!fs.existsSync(resolved)) {
      dead.push(`${where} (no such file)`);
      continue;
    }
    if (anchor !== undefined && resolved.endsWith('.md') && !anchorsOf(fs.readFileSync(resolved, 'utf8')).has(anchor)) {
      dead.push(`${where} (no heading with that anchor in ${path.relative(REPO_ROOT, resolved)})`);
    }
  }
  return dead;
}

describe('links in the docs', () => {
  it('slugs headings as GitHub does', () => {
    const seen = new Map<string, number>();
    expect(githubSlug('5. Put uvx-safe in front of uv', seen)).toBe('5-put-uvx-safe-in-front-of-uv');
    expect(githubSlug("uvx-safe's own messages", seen)).toBe('uvx-safes-own-messages');
    expect(githubSlug('"This program is blocked by group policy. (os error 1260)"', seen)).toBe('this-program-is-blocked-by-group-policy-os-error-1260');
    expect(githubSlug('`safe shims install --venv P`', seen)).toBe('safe-shims-install---venv-p');
    expect(githubSlug('`locations.project-env`', seen)).toBe('locationsproject-env');
    expect(githubSlug('`UV_CONFIG_FILE` / `--config-file`', seen)).toBe('uv_config_file----config-file');
    expect(githubSlug('Intune', seen)).toBe('intune');
    expect(githubSlug('Intune', seen)).toBe('intune-1');
  });

  it('finds links outside code, and headings outside code', () => {
    const text = ['# Top', '```', '# not a heading [x](nowhere.md)', '```', 'See [the `a` b](other.md#top) and `[c](d.md)`.'].join('\n');
    expect(linksOf(text)).toEqual([{ target: 'other.md#top', line: 5 }]);
    expect([...anchorsOf(text)]).toEqual(['top']);
  });

  it('reads the links of every page (the check below is not vacuous)', () => {
    const relative = DOCS.flatMap((file) => linksOf(fs.readFileSync(path.join(REPO_ROOT, file), 'utf8')).filter((l) => !/^[a-z]+:/i.test(l.target)));
    expect(relative.length).toBeGreaterThan(DOCS.length);
    expect(relative.some((l) => l.target.includes('#'))).toBe(true);
  });

  it.each(DOCS)('every relative link and anchor in %s resolves', (file) => {
    expect(deadLinks(file)).toEqual([]);
  });
});

/** `docs/NAME.md` or `docs/NAME.md#anchor` in a string of the source (comments left out), and in every key's hint. */
function docSectionsNamedBySource(): { where: string; file: string; anchor?: string }[] {
  const named: { where: string; file: string; anchor?: string }[] = [];
  const add = (where: string, text: string) => {
    for (const m of text.matchAll(/docs\/([a-z-]+\.md)(?:#([a-z0-9_-]+))?/g)) named.push({ where, file: m[1]!, anchor: m[2] });
  };
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
  for (const file of walk(path.join(REPO_ROOT, 'src'))) {
    fs.readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (/^\s*(\/\/|\/?\*)/.test(line) || line.includes('${')) return; // a comment, or a template the hints below cover
        add(`${path.relative(REPO_ROOT, file)}:${i + 1}`, line);
      });
  }
  const keys = [...Object.keys(configSchema().entries), ...LOCATION_KEYS.map((k) => `locations.${k}`), undefined];
  for (const key of keys) add(`referenceHint(${key})`, referenceHint(key));
  return named;
}

describe('files the docs cite', () => {
  it.each(DOCS)('every source, test or script file %s names exists', (file) => {
    const text = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
    const cited = [...text.matchAll(/\b(?:src|test|scripts|bench|bin)\/[\w./-]+\.(?:ts|mjs|cjs|js|py|c)\b/g)].map((m) => m[0]);
    expect(cited.filter((f) => !fs.existsSync(path.join(REPO_ROOT, f)))).toEqual([]);
  });
});

describe('doc sections named by messages', () => {
  it('every docs/*.md (and #anchor) a string in src/ or a key hint names exists', () => {
    const named = docSectionsNamedBySource();
    expect(named.filter((n) => n.anchor).length).toBeGreaterThan(5);
    const dead = named
      .filter((n) => {
        const file = path.join(REPO_ROOT, 'docs', n.file);
        return !fs.existsSync(file) || (n.anchor !== undefined && !anchorsOf(fs.readFileSync(file, 'utf8')).has(n.anchor));
      })
      .map((n) => `${n.where}: docs/${n.file}${n.anchor ? `#${n.anchor}` : ''}`);
    expect(dead).toEqual([]);
  });
});
