// Issue 15, item 5: config keys that are not names, and NUL or control characters in values, are
// errors at load naming the file, the line and the key (not a silent key, nor a spawn error later).
import { describe, expect, it } from 'vitest';
import { envLayer, fileLayer } from '../../src/config/layers.js';
import { configError } from '../helpers/config-error.js';

const load = (text: string) => fileLayer(text, '/etc/uvx-safe/config.toml', 'admin');

describe('key names', () => {
  it.each([
    ['[env]\n__proto__ = "x"\n', 'env.__proto__', 2],
    ['[env]\nUV_LINK_MODE = "copy"\nconstructor = "x"\n', 'env.constructor', 3],
    ['mode = "warn"\n\n[env]\n"UV X" = "1"\n', 'env.UV X', 4],
    ['[locations]\ntoString = "/x"\n', 'locations.toString', 2],
  ])('%j is refused naming the key and its line', (text, key, line) => {
    const err = configError(() => load(text));
    expect(err.key).toBe(key);
    expect(err.line).toBe(line);
    expect(err.message).toMatch(/is not (a key name uvx-safe accepts|a valid variable name)/);
  });

  it('ordinary variable names pass', () => {
    expect(load('[env]\nUV_LINK_MODE = "copy"\n_private_1 = "x"\n').config.env).toEqual({ UV_LINK_MODE: 'copy', _private_1: 'x' });
  });
});

describe('NUL and control characters', () => {
  it.each([
    ['data-root = "/srv/uv\\u0000x"\n', 'data-root', 'NUL character (U+0000)'],
    ['allowed-roots = ["/a", "/b\\n"]\n', 'allowed-roots[1]', 'control character (U+000A)'],
    ['[locations]\ncache = "/c\\tx"\n', 'locations.cache', 'control character (U+0009)'],
  ])('%j names the key', (text, key, what) => {
    const err = configError(() => load(text));
    expect(err.key).toBe(key);
    expect(err.message).toContain(what);
    expect(err.line).toBe(text.startsWith('[') ? 2 : 1);
  });

  it('a UVX_SAFE_ variable with one names the variable', () => {
    const err = configError(() => envLayer({ UVX_SAFE_DATA_ROOT: '/srv/uv\u0007' }, 'linux', '/'));
    expect(err.message).toContain('control character (U+0007)');
    expect(err.message).toContain('UVX_SAFE_DATA_ROOT');
  });
});
