// One config file's text -> a validated layer. Every failure is `file:line:col: key: message` with
// the value at fault shown (design.md: "An unknown key, a wrong type, or a TOML syntax error is an error").

import { parse as parseToml, TomlError } from 'smol-toml';
import * as v from 'valibot';
import { ConfigError, referenceHint, showValue } from '../errors.js';
import { closest, didYouMean } from '../text/suggest.js';
import { configSchema, LOCATION_KEYS, LOCKABLE_KEYS, type RawConfig } from './schema.js';

const TOML_HINT = 'TOML strings need quotes and end on the same line ("""...""" spans lines): https://toml.io/en/v1.0.0';

/** smol-toml's message, said as what the writer of the file got wrong. */
function tomlProblem(err: TomlError, text: string): string {
  const said = err.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
  const lineText = text.split(/\r?\n/)[err.line - 1] ?? '';
  const at = lineText.slice(err.column - 1);
  if (/control characters are not allowed in strings|unfinished string/.test(said) && /^[\r\n]?$/.test(at.slice(0, 1)))
    return 'unterminated string: the closing quote is missing';
  if (said === 'invalid value') {
    // A bare word or path where a string was meant (`mode = warn`, `data-root = /srv`).
    const word = /^[^\s"'[{0-9+#,\]}-][^\s#,\]}]*/.exec(at)?.[0];
    if (word && !['true', 'false', 'inf', 'nan'].includes(word)) return `invalid value ${word}: a string needs quotes ("${word}")`;
  }
  if (said === 'illegal character in key' && lineText.trimStart().startsWith('[') && !lineText.includes(']'))
    return 'unclosed table header: the closing ] is missing';
  return `TOML syntax error: ${said}`;
}

const SAVE_AS_UTF8 = 'save it as UTF-8 (in Notepad: Save As, Encoding "UTF-8"; in PowerShell: Set-Content -Encoding utf8)';

/**
 * A config file's bytes as text, the one way the launcher and `safe config validate` read them.
 * TOML is UTF-8: a UTF-8 byte-order mark is dropped (and CRLF is TOML's own), but UTF-16 (what
 * PowerShell 5.1's `>` and Out-File and Notepad's "Unicode" write) and bytes that are not UTF-8
 * (ANSI, Windows-1252) are refused in one line, never read as U+FFFD: an é read so would name a
 * folder that nobody wrote.
 */
export function decodeConfigBytes(bytes: Uint8Array, file: string): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) throw new ConfigError(file, 'is saved as UTF-16 LE', { hint: SAVE_AS_UTF8 });
  if (bytes[0] === 0xfe && bytes[1] === 0xff) throw new ConfigError(file, 'is saved as UTF-16 BE', { hint: SAVE_AS_UTF8 });
  // Most policies are plain ASCII: read as such without setting up a strict decoder (every uv call).
  if (bytes.every((byte) => byte < 0x80)) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  try {
    // fatal: invalid bytes throw instead of becoming U+FFFD; the BOM is dropped (ignoreBOM: false).
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ConfigError(file, 'is not valid UTF-8 (saved as ANSI?)', { line: firstInvalidLine(bytes), hint: SAVE_AS_UTF8 });
  }
}

/** The 1-based line holding the first byte sequence that is not UTF-8 (only on the error path). */
function firstInvalidLine(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 0x0a) continue;
    try {
      decoder.decode(bytes.subarray(start, i));
    } catch {
      return line;
    }
    line += 1;
    start = i + 1;
  }
  return line;
}

export function parseTomlText(text: string, file: string): Record<string, unknown> {
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof TomlError)
      throw new ConfigError(file, tomlProblem(err, text), { line: err.line, column: err.column, hint: TOML_HINT });
    throw err;
  }
}

/** Names no config key may have: they mean something to every JavaScript object (`__proto__`, `constructor`, ...). */
function isObjectMember(key: string): boolean {
  return key === '__proto__' || key === 'prototype' || key in Object.prototype;
}

/**
 * Before the schema (which checks `[env]` names against ENV_NAME): no key may be a member every
 * JavaScript object has (`__proto__`, `constructor`, `toString`, ...), and no string value may hold a NUL or another control character (a path with one
 * would only fail later, as a spawn or mkdir error far from the key at fault).
 */
function checkNamesAndValues(node: unknown, keys: string[], file: string, text: string | undefined, keyPrefix: string): void {
  const fail = (problem: string, at: string[], hint: string) => {
    throw new ConfigError(file, problem, { key: keyPrefix + at.join('.'), ...(text ? findKey(text, at.map((k) => k.replace(/\[\d+\]$/, ''))) : {}), hint });
  };
  if (typeof node === 'string') {
    const bad = /[\u0000-\u001f\u007f]/.exec(node);
    if (bad) fail(`contains a ${bad[0] === '\0' ? 'NUL' : 'control'} character (U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')})`, keys, 'remove it');
    return;
  }
  if (Array.isArray(node)) {
    node.forEach((item, i) => checkNamesAndValues(item, [...keys.slice(0, -1), `${keys[keys.length - 1] ?? ''}[${i}]`], file, text, keyPrefix));
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  for (const key of Object.keys(node)) {
    const at = [...keys, key];
    if (isObjectMember(key)) fail(`"${key}" is not a key name uvx-safe accepts`, at, referenceHint(undefined));
    checkNamesAndValues((node as Record<string, unknown>)[key], at, file, text, keyPrefix);
  }
}

const TOP_KEYS = () => Object.keys(configSchema().entries);

/** The keys that could have been meant at `keys` (the path of an unknown key). */
function knownKeysAt(keys: string[]): readonly string[] {
  if (keys.length === 1) return TOP_KEYS();
  if (keys.length === 2 && keys[0] === 'locations') return LOCATION_KEYS;
  return [];
}

/** Validates data from a file (or `[tool.uvx-safe]`); `keyPrefix` names the table it came from. */
export function validateConfig(data: unknown, file: string, text?: string, keyPrefix = ''): RawConfig {
  checkNamesAndValues(data, [], file, text, keyPrefix);
  const result = v.safeParse(configSchema(), data, { abortEarly: true });
  if (result.success) return result.output;
  let issue = result.issues[0];
  // A table where a string-or-table is allowed (`allowed-roots`, `report`): say what is wrong inside the table.
  // (valibot gives the table branch's issue a path from the table down.)
  const inTable = issue.type === 'union' && typeof issue.input === 'object' && issue.input !== null && !Array.isArray(issue.input)
    ? issue.issues?.find((sub) => (sub.path?.length ?? 0) > 0)
    : undefined;
  if (inTable) issue = { ...inTable, path: [...(issue.path ?? []), ...inTable.path!] } as typeof issue;
  const keys = (issue.path ?? []).map((item) => String(item.key));
  const key = keyPrefix + keys.join('.');
  const last = keys[keys.length - 1] ?? '';
  let problem: string;
  let value: { value?: unknown } = { value: issue.input };
  let hint: { hint?: string } = {};
  if (issue.type === 'strict_object' && keys.length > 0) {
    const known = knownKeysAt(keys);
    const meant = closest(last, known);
    problem = `unknown key${meant ? ` (did you mean "${meant}"?)` : ''}`;
    value = {};
    hint = { hint: meant ? `${referenceHint([...keys.slice(0, -1), meant].join('.'))}` : `the keys here are ${known.join(', ')}: docs/config-reference.md` };
  } else if (issue.expected && issue.received && !issue.message.startsWith('must') && !issue.message.startsWith('is'))
    problem = `expected ${describeExpected(issue.expected)}, got ${issue.received}`;
  else {
    problem = issue.input === '' ? issue.message : `${showValue(issue.input)} ${issue.message}`;
    if (issue.message === 'is not a key that can be locked' && typeof issue.input === 'string')
      problem += didYouMean(issue.input, LOCKABLE_KEYS);
    if (keys[0] === 'mode' && typeof issue.input === 'string') problem += didYouMean(issue.input, ['enforce', 'warn', 'off']);
  }
  const place = text ? findKey(text, keys, issue.input) : {};
  throw new ConfigError(file, problem, { key: key || undefined, ...place, ...value, ...hint });
}

function describeExpected(expected: string): string {
  return expected === 'Array' ? 'an array' : expected === 'Object' ? 'a table' : expected.replace(/^"?(\w+)"?$/, 'a $1');
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Best-effort line and column of a key: the last named segment written as `key =`, `[key]` or a
 * dotted key, after the header of its table when there is one. For an array item (`locked.0`), the
 * item's own spelling at or after the key's line.
 */
export function findKey(text: string, keys: string[], value?: unknown): { line?: number; column?: number } {
  const named = keys.filter((key) => !/^\d+$/.test(key));
  const last = named[named.length - 1];
  if (last === undefined) return {};
  const lines = text.split(/\r?\n/);
  const pattern = new RegExp(`^(\\s*(?:\\[\\s*)?(?:[\\w."'-]+\\.)?)(["']?)${escape(last)}\\2\\s*(=|\\]|\\.)`);
  // Inside `[table]` first (`cache` of [locations], not a `cache` elsewhere), then anywhere.
  const table = named.length > 1 ? lines.findIndex((line) => new RegExp(`^\\s*\\[\\s*(tool\\.uvx-safe\\.)?${escape(named[0]!)}\\s*\\]`).test(line)) : -1;
  let index = lines.findIndex((line, i) => i > table && pattern.test(line));
  if (index < 0) index = lines.findIndex((line) => pattern.test(line));
  if (index < 0) return {};
  const column = pattern.exec(lines[index]!)![1]!.length + 1;
  if (named.length < keys.length && typeof value === 'string') {
    const spelled = [JSON.stringify(value), `'${value}'`];
    for (let i = index; i < lines.length; i++) {
      const found = Math.max(...spelled.map((s) => lines[i]!.indexOf(s)));
      if (found >= 0) return { line: i + 1, column: found + 1 };
    }
  }
  return { line: index + 1, column };
}

/**
 * The same error with the line and column of its key, read from its file: for the errors that only the
 * merge or the relocation finds (a location variable in [env], enforce without roots, a missing root).
 * Runs only when a config error is already on its way out, never on a uv call that succeeds.
 */
export function locate(err: ConfigError): ConfigError {
  if (err.line !== undefined || err.key === undefined || !/\.toml$/i.test(err.file)) return err;
  let text: string;
  try {
    text = require('node:fs').readFileSync(err.file, 'utf8') as string;
  } catch {
    return err;
  }
  const keys = err.key.replace(/^tool\.uvx-safe\./, '').split('.');
  const place = findKey(text, keys, err.place.value);
  return place.line === undefined ? err : new ConfigError(err.file, err.problem, { ...err.place, ...place });
}

/** The line of a key (findKey's), for callers that know no more than the key. */
export function findKeyLine(text: string, keys: string[]): number | undefined {
  return findKey(text, keys).line;
}
