// Every path under a folder, for "nothing was created here" assertions.
import fs from 'node:fs';
import path from 'node:path';

/** Relative paths of every file and folder under `root` (sorted); folders end with "/". */
export function listTree(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      const rel = path.relative(root, full);
      if (entry.isDirectory()) {
        out.push(`${rel}/`);
        walk(full);
      } else out.push(rel);
    }
  };
  walk(root);
  return out.sort();
}

/** What appeared under `root` since `before` was taken, leaving out paths inside `allowed` folders. */
export function createdOutside(root: string, before: readonly string[], allowed: readonly string[]): string[] {
  const seen = new Set(before);
  const inside = (rel: string) =>
    allowed.some((dir) => {
      const r = path.relative(dir, path.join(root, rel));
      return r === '' || (!r.startsWith('..') && !path.isAbsolute(r));
    });
  return listTree(root).filter((rel) => !seen.has(rel) && !inside(rel));
}
