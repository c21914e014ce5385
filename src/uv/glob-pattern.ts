// uv's `[tool.uv.workspace] members`/`exclude` globs, matched as uv 0.13 matches them: the `glob`
// crate's `Pattern::new` (its errors make uv fail: "Failed to parse" the pyproject.toml) and
// `matches_path_with` case-sensitive, with a literal separator required (`*`, `?` and `[...]` never
// match `/`; only `**` crosses folders) and no literal leading dot (`*` matches `.hidden`). That
// last pair is what uv 0.13.0 and 0.13.9 do (test/unit/uv-resolution.test.ts and
// test/e2e/uv-agreement.test.ts ask them); uv's newer sources call `matches_path`, whose default
// lets `*` cross `/`. A port of rust-lang/glob src/lib.rs (`Pattern::new`, `Pattern::escape`,
// `matches_from`, `parse_char_specifiers`, `in_char_specifiers`); uv-workspace's
// `is_included_in_workspace` builds each pattern as `Pattern::escape(root) / normalize_path(glob)`. Pure.

type CharSpecifier = { single: string } | { from: string; to: string };
type Token =
  | { kind: 'char'; c: string }
  | { kind: 'any-char' }
  | { kind: 'any-sequence' }
  | { kind: 'any-recursive' }
  | { kind: 'within'; specs: CharSpecifier[] }
  | { kind: 'except'; specs: CharSpecifier[] };

export class GlobPatternError extends Error {}

function charSpecifiers(chars: string[]): CharSpecifier[] {
  const out: CharSpecifier[] = [];
  for (let i = 0; i < chars.length; ) {
    if (i + 3 <= chars.length && chars[i + 1] === '-') {
      out.push({ from: chars[i]!, to: chars[i + 2]! });
      i += 3;
    } else out.push({ single: chars[i++]! });
  }
  return out;
}

/** `Pattern::new`: the tokens, or GlobPatternError where the crate refuses the pattern (uv then fails). */
export function compileGlob(pattern: string): Token[] {
  const chars = [...pattern];
  const tokens: Token[] = [];
  const isSep = (c: string | undefined) => c === '/';
  let i = 0;
  while (i < chars.length) {
    const c = chars[i]!;
    if (c === '?') {
      tokens.push({ kind: 'any-char' });
      i++;
    } else if (c === '*') {
      const old = i;
      while (i < chars.length && chars[i] === '*') i++;
      const count = i - old;
      if (count > 2) throw new GlobPatternError('wildcards are either regular `*` or recursive `**`');
      if (count === 2) {
        // `**` only as a whole path component.
        if (!(i === 2 || isSep(chars[i - count - 1]))) throw new GlobPatternError('recursive wildcards must form a single path component');
        if (i < chars.length && isSep(chars[i])) i++;
        else if (i !== chars.length) throw new GlobPatternError('recursive wildcards must form a single path component');
        const last = tokens[tokens.length - 1];
        if (!(tokens.length > 1 && last?.kind === 'any-recursive')) tokens.push({ kind: 'any-recursive' });
      } else tokens.push({ kind: 'any-sequence' });
    } else if (c === '[') {
      if (i + 4 <= chars.length && chars[i + 1] === '!') {
        const j = chars.slice(i + 3).indexOf(']');
        if (j >= 0) {
          tokens.push({ kind: 'except', specs: charSpecifiers(chars.slice(i + 2, i + 3 + j)) });
          i += j + 4;
          continue;
        }
      } else if (i + 3 <= chars.length && chars[i + 1] !== '!') {
        const j = chars.slice(i + 2).indexOf(']');
        if (j >= 0) {
          tokens.push({ kind: 'within', specs: charSpecifiers(chars.slice(i + 1, i + 2 + j)) });
          i += j + 3;
          continue;
        }
      }
      throw new GlobPatternError('invalid range pattern');
    } else {
      tokens.push({ kind: 'char', c });
      i++;
    }
  }
  return tokens;
}

const inSpecifiers = (specs: CharSpecifier[], c: string) =>
  specs.some((s) => ('single' in s ? s.single === c : c >= s.from && c <= s.to));

type MatchResult = 'match' | 'sub-mismatch' | 'entire-mismatch';

/**
 * `matches_from` with `case_sensitive: true, require_literal_separator: true, require_literal_leading_dot: false`.
 * The crate's `follows_separator` serves only the literal leading dot, which is off: not carried here.
 */
function matchesFrom(tokens: Token[], file: string[], at: number, ti0: number): MatchResult {
  let pos = at;
  for (let ti = ti0; ti < tokens.length; ti++) {
    const token = tokens[ti]!;
    if (token.kind === 'any-sequence' || token.kind === 'any-recursive') {
      const empty = matchesFrom(tokens, file, pos, ti + 1);
      if (empty !== 'sub-mismatch') return empty;
      while (pos < file.length) {
        const separator = file[pos++] === '/';
        // `**` resumes only after a separator; `*` never consumes one.
        if (token.kind === 'any-recursive' && !separator) continue;
        if (token.kind === 'any-sequence' && separator) return 'sub-mismatch';
        const rest = matchesFrom(tokens, file, pos, ti + 1);
        if (rest !== 'sub-mismatch') return rest;
      }
      // The crate falls through to the next token with the input used up.
      continue;
    }
    if (pos >= file.length) return 'entire-mismatch';
    const c = file[pos++]!;
    let ok: boolean;
    if (token.kind === 'char') ok = token.c === c;
    else if (c === '/') ok = false; // require_literal_separator
    else if (token.kind === 'within') ok = inSpecifiers(token.specs, c);
    else if (token.kind === 'except') ok = !inSpecifiers(token.specs, c);
    else ok = true;
    if (!ok) return 'sub-mismatch';
  }
  return pos >= file.length ? 'match' : 'sub-mismatch';
}

/** `Pattern::matches_path_with` with the options above. */
export function globMatches(tokens: Token[], path: string): boolean {
  return matchesFrom(tokens, [...path], 0, 0) === 'match';
}

/** `Pattern::escape`: `?`, `*`, `[`, `]` wrapped in brackets. */
export function escapeGlob(text: string): string {
  return text.replace(/[?*[\]]/g, (c) => `[${c}]`);
}

/**
 * uv-fs `normalize_path` for a POSIX path: `.` dropped, `..` pops a component (kept when there is
 * none to pop, even above `/`), repeated `/` collapsed; no trailing `/`.
 */
export function normalizePosixPath(p: string): string {
  const absolute = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else out.push('..');
    } else out.push(part);
  }
  return (absolute ? '/' : '') + out.join('/');
}

/**
 * Whether `projectPath` (absolute, normalized) matches one of `globs` below `workspaceRoot`, as
 * uv-workspace `is_included_in_workspace` builds each pattern:
 * `PathBuf::from(Pattern::escape(root)).join(normalize_path(glob))` (an absolute glob replaces the root).
 * Throws GlobPatternError for a pattern uv refuses.
 */
export function matchesWorkspaceGlob(projectPath: string, workspaceRoot: string, globs: readonly string[]): boolean {
  for (const glob of globs) {
    const normalized = normalizePosixPath(glob);
    const absolute = normalized.startsWith('/')
      ? normalized
      : `${escapeGlob(workspaceRoot).replace(/\/+$/, '')}/${normalized}`;
    if (globMatches(compileGlob(absolute), projectPath)) return true;
  }
  return false;
}
