// What `safe env --persist` writes, as text for each place: values split into literal text and
// references to the variables that make them per user (`{home}`, `{user}`, `{env:NAME}` in the
// policy), so that one machine-wide entry gives every user their own folders. Pure.

import { UsageError } from '../errors.js';
import { pathFor, type Platform } from '../platform/env.js';

export type Piece = { text: string } | { variable: string };

/** A folder of this user that stands for a variable in what is written (`/home/ann` for HOME). */
export interface Substitution {
  value: string;
  variable: string;
}

/**
 * The per-user parts of the policy's paths: the templates the raw values use, each with what it
 * expanded to for this user and the variable every user's session has for it.
 */
export function perUserSubstitutions(raws: readonly string[], facts: { home: string; user?: string; env: (name: string) => string | undefined }, platform: Platform): Substitution[] {
  const subs: Substitution[] = [];
  const text = raws.join('\n');
  if (/\{home\}/.test(text) || raws.some((raw) => raw === '~' || raw.startsWith('~/') || raw.startsWith('~\\')))
    subs.push({ value: facts.home, variable: platform === 'win32' ? 'USERPROFILE' : 'HOME' });
  if (/\{user\}/.test(text) && facts.user) subs.push({ value: facts.user, variable: platform === 'win32' ? 'USERNAME' : 'USER' });
  for (const match of text.matchAll(/\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g)) {
    const value = facts.env(match[1]!);
    if (value) subs.push({ value, variable: match[1]! });
  }
  // Longest first: the home folder before the user name inside it.
  return subs.filter((s) => s.value.length > 0).sort((a, b) => b.value.length - a.value.length);
}

/** `value` with every whole-folder-name occurrence of a substitution's value replaced by its variable. */
export function splitValue(value: string, subs: readonly Substitution[], platform: Platform): Piece[] {
  const sep = platform === 'win32' ? /[\\/;]/ : /[/:]/;
  const fold = (s: string) => (platform === 'win32' ? s.toLowerCase() : s);
  const pieces: Piece[] = [];
  let text = '';
  let at = 0;
  outer: while (at < value.length) {
    const before = at === 0 ? '' : value[at - 1]!;
    if (at === 0 || sep.test(before)) {
      for (const sub of subs) {
        const end = at + sub.value.length;
        const after = value[end];
        if (fold(value.slice(at, end)) === fold(sub.value) && (after === undefined || sep.test(after))) {
          if (text) pieces.push({ text });
          text = '';
          pieces.push({ variable: sub.variable });
          at = end;
          continue outer;
        }
      }
    }
    text += value[at];
    at += 1;
  }
  if (text) pieces.push({ text });
  return pieces;
}

function refuse(name: string, where: string, what: string): never {
  throw new UsageError(`safe env --persist: the value of ${name} holds ${what}, which ${where} cannot hold as written`, { hint: 'choose a data-root without it' });
}

/** REG_EXPAND_SZ data: `%NAME%` references; a literal `%` cannot be written. */
export function registryText(name: string, pieces: readonly Piece[]): string {
  return pieces
    .map((piece) => {
      if ('variable' in piece) return `%${piece.variable}%`;
      if (piece.text.includes('%')) refuse(name, 'the registry (REG_EXPAND_SZ)', 'a "%"');
      return piece.text;
    })
    .join('');
}

/** systemd environment.d (environment.d(5)): `${NAME}` references; no quoting, so no `$ \ " ' \`` or newline. */
export function environmentDText(name: string, pieces: readonly Piece[]): string {
  return pieces
    .map((piece) => {
      if ('variable' in piece) return `\${${piece.variable}}`;
      const bad = /[$\\"'`\n\r]/.exec(piece.text);
      if (bad) refuse(name, 'an environment.d file', `"${bad[0] === '\n' ? '\\n' : bad[0]}"`);
      return piece.text;
    })
    .join('');
}

/** POSIX sh: a double-quoted word, `${NAME}` for references and the rest escaped. */
export function shellText(name: string, pieces: readonly Piece[]): string {
  const body = pieces
    .map((piece) => {
      if ('variable' in piece) return `\${${piece.variable}}`;
      if (/[\n\r]/.test(piece.text)) refuse(name, 'a profile.d script', 'a line break');
      return piece.text.replace(/[\\"$`]/g, (c) => `\\${c}`);
    })
    .join('');
  return `"${body}"`;
}

/** The entry PATH gets: the tool bin folder, after everything already there (never ahead of the shims). */
export function pathJoin(platform: Platform, ...entries: string[]): string {
  return entries.join(platform === 'win32' ? ';' : ':');
}

/** Is `dir` one of PATH's entries (same spelling, case-insensitive on Windows)? */
export function pathHas(pathValue: string, dir: string, platform: Platform): boolean {
  const p = pathFor(platform);
  const norm = (d: string) => {
    const n = p.normalize(d).replace(/[\\/]+$/, '');
    return platform === 'win32' ? n.toLowerCase() : n;
  };
  return pathValue.split(platform === 'win32' ? ';' : ':').some((entry) => entry !== '' && norm(entry) === norm(dir));
}
