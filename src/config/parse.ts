// One config file's text -> a validated layer. Every failure names the file, the line where
// known, and the key (design.md: "An unknown key, a wrong type, or a TOML syntax error is an error").

import { parse as parseToml, TomlError } from 'smol-toml';
import * as v from 'valibot';
import { ConfigError } from '../errors.js';
import { configSchema, type RawConfig } from './schema.js';

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

/** Validates data from a file (or `[tool.uvx-safe]`); `keyPrefix` names the table it came from. */
export function validateConfig(data: unknown, file: string, text?: string, keyPrefix = ''): RawConfig {
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
