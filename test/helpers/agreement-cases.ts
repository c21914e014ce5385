// Generated project layouts for test/e2e/uv-agreement.test.ts: seeded, so a failure names a case that
// the same seed rebuilds. Each case is a small tree of its own (projects, workspaces with member and
// exclude globs in several TOML spellings, nested projects, a folder named pyproject.toml, PEP 723
// scripts with odd headers, a link out of the tree), one folder of it allowed, and one uv command
// with flags and variables that move the project or its environment.
import fs from 'node:fs';
import path from 'node:path';

/** mulberry32: a small seeded generator, enough to spread cases. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface AgreementCase {
  id: number;
  /** The case's own tree. */
  base: string;
  /** The folder of the tree that the policy allows (with the shared sandbox). */
  allowed: string;
  cwd: string;
  /** uv's arguments. */
  args: string[];
  /** Variables on top of the shared environment (a value '' is set empty). */
  env: Record<string, string>;
  /** 'write': run it and see where uv writes; 'discover': `uv workspace dir`, compared with workspaceRoots. */
  kind: 'write' | 'discover';
  /** For `discover`: where the search starts (absolute). */
  start?: string;
  /** The layout, for a failure message. */
  layout: string[];
}

const NAMES = ['w', 'p', 'm', 'x', 'sub', 'pkg'];

type Pick = <T>(items: readonly T[]) => T;

function globFor(rel: string, pick: Pick, chance: (p: number) => boolean): string {
  if (rel === '') return pick(['*', '.', 'zz']);
  const parts = rel.split('/');
  const i = Math.floor(parts.length * Math.min(0.999, chance(0.5) ? 0.99 : 0.2));
  const variant = pick(['*', '?', '**', '[a-z]*', 'lit', 'lit', 'p*', '*x']);
  if (variant === '?' && parts[i]!.length === 1) parts[i] = '?';
  else if (variant !== 'lit') parts[i] = variant === '**' && i === parts.length - 1 ? '**' : variant;
  let glob = parts.join('/');
  if (chance(0.15)) glob = `./${glob}`;
  if (chance(0.1)) glob = `${glob}/`;
  if (chance(0.1)) glob = `${glob.split('/')[0]}/../${glob}`;
  return glob;
}

/** A [tool.uv.workspace] table in one of the TOML spellings uv reads alike. */
function workspaceToml(members: string[], exclude: string[], pick: Pick): { top: string[]; tail: string[] } {
  const list = (xs: string[]) => `[${xs.map((x) => JSON.stringify(x)).join(', ')}]`;
  const body = [`members = ${list(members)}`, ...(exclude.length ? [`exclude = ${list(exclude)}`] : [])];
  switch (pick(['plain', 'quoted', 'escaped', 'spaced', 'inline', 'dotted'])) {
    case 'plain':
      return { top: [], tail: ['[tool.uv.workspace]', ...body] };
    case 'quoted':
      return { top: [], tail: ['[tool."uv".workspace]', ...body] };
    case 'escaped':
      return { top: [], tail: ['[tool.uv."\\u0077orkspace"]', ...body] };
    case 'spaced':
      return { top: [], tail: ['[ tool . uv . workspace ]', ...body] };
    case 'inline':
      return { top: [], tail: ['[tool.uv]', `workspace = { ${body.join(', ')} }`] };
    default:
      return { top: body.map((line) => `tool.uv.workspace.${line}`), tail: [] };
  }
}

const SCRIPTS: Record<string, string> = {
  valid: '# /// script\n# dependencies = []\n# ///\nprint("ok")\n',
  trailing: '# /// script \n# dependencies = []\n# ///\nprint("ok")\n',
  crlf: '# /// script\r\n# dependencies = []\r\n# ///\r\nprint("ok")\r\n',
  'not-first': 'x = "# /// script"\n# /// script\n# dependencies = []\n# ///\nprint("ok")\n',
  nospace: '#/// script\n# dependencies = []\n# ///\nprint("ok")\n',
  unclosed: '# /// script\n# dependencies = []\nprint("ok")\n',
  shebang: '#!/usr/bin/env python3\n# /// script\n# requires-python = ">=3.8"\n# ///\nprint("ok")\n',
  plain: 'print("ok")\n',
};

/** Builds case `id` under `root` and returns it. */
export function makeCase(root: string, id: number, seed: number): AgreementCase {
  const random = rng(seed * 7919 + id);
  const chance = (p: number) => random() < p;
  const pick: Pick = (items) => items[Math.floor(random() * items.length)]!;
  const base = path.join(root, `c${id}`);
  const dirs = new Set<string>(['']);
  const count = 2 + Math.floor(random() * 5);
  for (let i = 0; i < count; i++) {
    const depth = 1 + Math.floor(random() * 4);
    const parts = Array.from({ length: depth }, () => pick(NAMES));
    for (let d = 1; d <= parts.length; d++) dirs.add(parts.slice(0, d).join('/'));
  }
  const rels = [...dirs].sort();
  for (const rel of rels) fs.mkdirSync(path.join(base, rel), { recursive: true });
  const layout: string[] = [];
  const descendants = (rel: string) => rels.filter((r) => r !== rel && (rel === '' || r.startsWith(`${rel}/`))).map((r) => (rel === '' ? r : r.slice(rel.length + 1)));
  for (const rel of rels) {
    if (!chance(0.55)) continue;
    const file = path.join(base, rel, 'pyproject.toml');
    const name = `n${id}-${rel.replace(/\//g, '-') || 'root'}`;
    const project = ['[project]', `name = "${name}"`, 'version = "1"', 'requires-python = ">=3.8"', 'dependencies = []'];
    const kind = pick(['project', 'project', 'project', 'ws', 'ws', 'ws-only', 'other', 'managed-false', 'dir', 'broken']);
    const ws = () => {
      const under = descendants(rel);
      const members = Array.from({ length: 1 + Math.floor(random() * 2) }, () => globFor(under.length ? pick(under) : 'zz', pick, chance));
      if (chance(0.1)) members.push(path.join(base, rel, pick(under.length ? under : ['zz'])));
      const exclude = chance(0.3) && under.length ? [globFor(pick(under), pick, chance)] : [];
      return workspaceToml(members, exclude, pick);
    };
    let text: string[];
    if (kind === 'project') text = project;
    else if (kind === 'ws') {
      const t = ws();
      text = [...t.top, ...project, ...t.tail];
    } else if (kind === 'ws-only') {
      const t = ws();
      text = [...t.top, ...t.tail];
    } else if (kind === 'other') text = ['[tool.black]', 'line-length = 100'];
    else if (kind === 'managed-false') text = [...project, '[tool.uv]', 'managed = false'];
    else if (kind === 'broken') text = ['[project', 'name = "x"'];
    else {
      fs.mkdirSync(file);
      layout.push(`${rel || '.'}/pyproject.toml/ (a folder)`);
      continue;
    }
    fs.writeFileSync(file, `${text.join('\n')}\n`);
    layout.push(`${rel || '.'}/pyproject.toml: ${text.join(' | ')}`);
  }
  // A link inside the tree to another folder of it: a path through it is walked as written.
  const linkable = rels.filter((r) => r !== '');
  let link: string | undefined;
  if (chance(0.3) && linkable.length) {
    const target = pick(linkable);
    const at = pick(rels.filter((r) => !r.startsWith(target)));
    link = path.join(at, 'lnk');
    if (!fs.existsSync(path.join(base, link))) {
      fs.symlinkSync(path.join(base, target), path.join(base, link));
      layout.push(`${link} -> ${target}`);
    } else link = undefined;
  }
  const places = [...rels, ...(link ? [link] : [])];
  const allowed = path.join(base, pick(rels.length > 1 && chance(0.85) ? rels.filter((r) => r !== '') : rels));
  layout.push(`allowed: ${path.relative(base, allowed) || '.'}`);
  const cwdRel = pick(rels);
  const cwd = path.join(base, cwdRel);
  const somewhere = (): string => {
    const rel = pick(places);
    const abs = path.join(base, rel);
    return chance(0.5) ? abs : path.relative(cwd, abs) || '.';
  };

  if (chance(0.3)) {
    const start = path.join(base, pick(places));
    return { id, base, allowed, cwd, args: ['workspace', 'dir', '--project', start], env: {}, kind: 'discover', start, layout };
  }

  const env: Record<string, string> = {};
  const args: string[] = [];
  /** What `uv run` starts: a script, or `true`. */
  let target = 'true';
  const command = pick(['run', 'run', 'run-project', 'run-script', 'run-script', 'run-tool', 'venv', 'venv-project', 'venv-uv-project', 'venv-no-project']);
  if (command.startsWith('run')) {
    args.push('run', '--no-sync');
    if (command === 'run-project') {
      const project = somewhere();
      args.push('--project', chance(0.2) ? path.join(project, 'pyproject.toml') : project);
    }
    if (command === 'run-script' || command === 'run-tool') {
      const where = pick(rels);
      const header = pick(Object.keys(SCRIPTS));
      const fileName = command === 'run-tool' ? 'tool' : 's.py';
      fs.writeFileSync(path.join(base, where, fileName), SCRIPTS[header]!);
      layout.push(`${where || '.'}/${fileName}: ${header} header`);
      const abs = path.join(base, where, fileName);
      target = chance(0.4) ? abs : path.relative(cwd, abs);
      if (command === 'run-tool') args.push('--script');
    }
    if (chance(0.3)) args.push(...pick([['--active'], ['--no-active'], ['--active'], ['--no-active', '--active'], ['--active', '--no-active']]));
    if (chance(0.05)) args.push('--isolated');
    if (chance(0.15)) env.UV_NO_PROJECT = pick(['1', 'f', 'yes', 'off', 'N']);
  } else {
    args.push('venv');
    if (command === 'venv-project') args.push('--project', somewhere());
    if (command === 'venv-uv-project') env.UV_PROJECT = path.join(base, pick(places));
    if (command === 'venv-no-project') args.push(pick(['--no-project', '--no-workspace']));
  }
  if (chance(0.3)) env.VIRTUAL_ENV = pick(['', 'act', '../act', path.join(allowed, 'act'), path.join(base, 'act-out')]);
  if (chance(0.25)) env.UV_PROJECT_ENVIRONMENT = pick(['', 'penv', '../penv', path.join(allowed, 'penv'), path.join(base, 'penv-out')]);
  if (chance(0.12)) {
    const dir = path.join(base, pick(rels));
    if (chance(0.5)) args.unshift('--directory', dir);
    else env.UV_WORKING_DIR = dir;
  }
  if (args.includes('run')) args.push(target);
  return { id, base, allowed, cwd, args, env, kind: 'write', layout };
}
