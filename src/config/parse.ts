// One config file's text -> a validated layer. Every failure names the file, the line where
// known, and the key (design.md: "An unknown key, a wrong type, or a TOML syntax error is an error").

import { parse as parseToml, TomlError } from 'smol-toml';
import * as v from 'valibot';
import { ConfigError } from '../errors.js';
import { configSchema, type RawConfig } from './schema.js';

const SAVE_AS_UTF8 = 'save it as UTF-8 (in Notepad: Save As, Encoding "UTF-8"; in PowerShell: Set-Content -Encoding utf8)';

/**
 * A config file's bytes as text, the one way the launcher and `safe config validate` read them.
 * TOML is UTF-8: a UTF-8 byte-order mark is dropped (and CRLF is TOML's own), but UTF-16 (what
 * PowerShell 5.1's `>` and Out-File and Notepad's "Unicode" write) and bytes that are not UTF-8
 * (ANSI, Windows-1252) are refused in one line, never read as U+FFFD: an é read so would name a
 * folder that nobody wrote.
 */
export function decodeConfigBytes(bytes: Uint8Array, file: string): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) throw new ConfigError(file, `is saved as UTF-16 LE; ${SAVE_AS_UTF8}`);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) throw new ConfigError(file, `is saved as UTF-16 BE; ${SAVE_AS_UTF8}`);
  try {
    // fatal: invalid bytes throw instead of becoming U+FFFD; the BOM is dropped (ignoreBOM: false).
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ConfigError(file, `is not valid UTF-8 (saved as ANSI?); ${SAVE_AS_UTF8}`, undefined, firstInvalidLine(bytes));
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
    if (err instanceof TomlError) {
      const problem = `TOML syntax error: ${err.message.split('\n')[0]}`;
      throw new ConfigError(file, problem, undefined, err.line);
    }
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
  const fail = (problem: string, at: string[]) => {
    throw new ConfigError(file, problem, keyPrefix + at.join('.'), text ? findKeyLine(text, at.map((k) => k.replace(/\[\d+\]$/, ''))) : undefined);
  };
  if (typeof node === 'string') {
    const bad = /[\u0000-\u001f\u007f]/.exec(node);
    if (bad) fail(`contains a ${bad[0] === '\0' ? 'NUL' : 'control'} character (U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}): remove it`, keys);
    return;
  }
  if (Array.isArray(node)) {
    node.forEach((item, i) => checkNamesAndValues(item, [...keys.slice(0, -1), `${keys[keys.length - 1] ?? ''}[${i}]`], file, text, keyPrefix));
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  for (const key of Object.keys(node)) {
    const at = [...keys, key];
    if (isObjectMember(key)) fail(`"${key}" is not a key name uvx-safe accepts`, at);
    checkNamesAndValues((node as Record<string, unknown>)[key], at, file, text, keyPrefix);
  }
}

/** Validates data from a file (or `[tool.uvx-safe]`); `keyPrefix` names the table it came from. */
export function validateConfig(data: unknown, file: string, text?: string, keyPrefix = ''): RawConfig {
  checkNamesAndValues(data, [], file, text, keyPrefix);
  const result = v.safeParse(configSchema(), data, { abortEarly: true });
  if (result.success) return result.output;
  const issue = result.issues[0];
  const keys = (issue.path ?? []).map((item) => String(item.key));
  const key = keyPrefix + keys.join('.');
  let problem: string;
  if (issue.type === 'strict_object' && keys.length > 0) problem = 'unknown key';
  else if (issue.expected && issue.received && !issue.message.startsWith('must') && !issue.message.startsWith('is'))
    problem = `expected ${describeExpected(issue.expected)}, got ${issue.received}`;
  else problem = issue.message;
  const line = text ? findKeyLine(text, keys) : undefined;
  throw new ConfigError(file, problem, key || undefined, line);
}

function describeExpected(expected: string): string {
  return expected === 'Array' ? 'an array' : expected === 'Object' ? 'a table' : expected.replace(/^"?(\w+)"?$/, 'a $1');
}

/** Best-effort line of a key: the last named segment written as `key =` or `[key]`. */
export function findKeyLine(text: string, keys: string[]): number | undefined {
  const named = keys.filter((key) => !/^\d+$/.test(key));
  const last = named[named.length - 1];
  if (last === undefined) return undefined;
  const escaped = last.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^\\s*(\\[\\s*)?(["']?)${escaped}\\2\\s*(=|\\]|\\.)`);
  const lines = text.split(/\r?\n/);
  const index = lines.findIndex((line) => pattern.test(line));
  return index >= 0 ? index + 1 : undefined;
}
