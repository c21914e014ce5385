// The project page of a simple index (PEP 503 HTML, PEP 691 JSON), or a local folder of wheels,
// as a list of files with their sha256. Parsing is pure; `listUvFiles` reads.

import fs = require('node:fs');
import path = require('node:path');
import { pathToFileURL } from 'node:url';
import { UvSourceError } from '../errors.js';
import type { HttpClient } from './http.js';
import type { UvSourceSpec } from './source.js';
import type { IndexFile } from './wheel.js';

export const ACCEPT = 'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.1';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'" };
const unescape = (text: string) => text.replace(/&(amp|lt|gt|quot|#39|apos);/g, (_m, name: string) => ENTITIES[name]!);

function withHash(href: string, base: URL, filename: string | undefined, yanked: boolean, sha256?: string): IndexFile | undefined {
  let url: URL;
  try {
    url = new URL(href, base);
  } catch {
    return undefined;
  }
  const fragment = /(?:^|&)sha256=([0-9a-fA-F]{64})(?:&|$)/.exec(url.hash.slice(1))?.[1];
  url.hash = '';
  const name = filename || decodeURIComponent(url.pathname.split('/').pop() ?? '');
  return { filename: name, url: url.href, sha256: (sha256 ?? fragment)?.toLowerCase(), yanked };
}

/** PEP 503: `<a href="...#sha256=...">file</a>`, `data-yanked` marks a yanked file (PEP 592). */
export function parseSimpleHtml(text: string, base: URL): IndexFile[] {
  const files: IndexFile[] = [];
  for (const match of text.matchAll(/<a\s([^>]*)>([^<]*)<\/a\s*>/gi)) {
    const attrs = match[1]!;
    const href = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(attrs);
    if (!href) continue;
    const yanked = /\bdata-yanked\b/i.test(attrs);
    const file = withHash(unescape(href[1] ?? href[2] ?? ''), base, unescape(match[2]!.trim()), yanked);
    if (file) files.push(file);
  }
  return files;
}

/** PEP 691: `{"files": [{"filename", "url", "hashes": {"sha256"}, "yanked"}]}`. */
export function parseSimpleJson(text: string, base: URL): IndexFile[] {
  const data = JSON.parse(text) as { files?: { filename?: string; url?: string; hashes?: Record<string, string>; yanked?: unknown }[] };
  const files: IndexFile[] = [];
  for (const entry of data.files ?? []) {
    if (typeof entry.url !== 'string') continue;
    const sha = entry.hashes?.sha256;
    const file = withHash(entry.url, base, entry.filename, entry.yanked !== undefined && entry.yanked !== false, typeof sha === 'string' && /^[0-9a-fA-F]{64}$/.test(sha) ? sha : undefined);
    if (file) files.push(file);
  }
  return files;
}

/** A folder of wheels: each `X.whl` needs its `X.whl.sha256` beside it (as `sha256sum` writes it). */
export function listFolder(dir: string): IndexFile[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (err) {
    throw new UvSourceError(`cannot read the uv-source folder ${dir}: ${(err as NodeJS.ErrnoException).code ?? err}`, { hint: 'uv-source must name a folder every user can read, or an index URL' });
  }
  return names
    .filter((name) => name.endsWith('.whl'))
    .map((name) => {
      let sha256: string | undefined;
      try {
        sha256 = /^[0-9a-fA-F]{64}\b/.exec(fs.readFileSync(path.join(dir, `${name}.sha256`), 'utf8'))?.[0]?.toLowerCase();
      } catch {
        sha256 = undefined;
      }
      return { filename: name, url: pathToFileURL(path.join(dir, name)).href, sha256, yanked: false };
    });
}

/** Every file of the `uv` project on the source. */
export async function listUvFiles(source: UvSourceSpec, client: HttpClient): Promise<IndexFile[]> {
  if (source.kind === 'folder') return listFolder(source.dir);
  const page = new URL('uv/', source.url);
  const what = `uv-source (from ${source.origin})`;
  const response = await client.get(page, what, ACCEPT);
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  try {
    return type.includes('json') ? parseSimpleJson(text, new URL(response.url || page.href)) : parseSimpleHtml(text, new URL(response.url || page.href));
  } catch (err) {
    throw new UvSourceError(`${what}: ${source.shown}uv/ is not a simple index page: ${(err as Error).message}`, { hint: 'uv-source must be a PEP 503/691 simple index (its /simple/ URL) or a folder of wheels' });
  }
}
