// The launcher's voice (src/log.ts): uv's layout and escapes, uv's colour choice, and "did you mean".
import { describe, expect, it } from 'vitest';
import { ConfigError, PolicyRefusal, referenceHint } from '../../src/errors.js';
import { colourChoice, formatMessage } from '../../src/log.js';
import { closest, didYouMean } from '../../src/text/suggest.js';

describe('formatMessage', () => {
  it('lays an error out as uv does: the message, its causes, a blank line, the hint', () => {
    expect(formatMessage('error', 'Failed to write file', { causes: ['Permission denied'], hint: 'use another folder' }, false)).toBe(
      'error: uvx-safe: Failed to write file\n  Caused by: Permission denied\n\nhint: use another folder\n',
    );
    expect(formatMessage('warning', 'ignored', {}, false)).toBe('warning: uvx-safe: ignored\n');
  });

  it("colours with uv's own escapes (uv-errors' snapshot of an error chain, owo-colors' bold cyan hint)", () => {
    // uv's test_error_chain_with_cause snapshot, with our name after the label.
    expect(formatMessage('error', 'Failed to write file', { causes: ['Permission denied'] }, true)).toBe(
      '\u001b[1m\u001b[31merror\u001b[39m\u001b[0m\u001b[1m:\u001b[0m uvx-safe: Failed to write file\n  \u001b[1m\u001b[31mCaused by\u001b[39m\u001b[0m: Permission denied\n',
    );
    expect(formatMessage('error', 'm', { hint: 'h' }, true)).toContain('\n\n\u001b[36m\u001b[1mhint\u001b[0m\u001b[39m\u001b[1m:\u001b[0m h\n');
    // warn_user!: "warning".yellow().bold(), ":".bold(), the message bold.
    expect(formatMessage('warning', 'w', {}, true)).toBe('\u001b[1m\u001b[33mwarning\u001b[39m\u001b[0m\u001b[1m:\u001b[0m \u001b[1muvx-safe: w\u001b[0m\n');
  });
});

describe('colourChoice (uv: resolve_color, then anstream auto)', () => {
  const tty = { TERM: 'xterm-256color' };
  it.each([
    ['a terminal', [], tty, true, true],
    ['a pipe', [], tty, false, false],
    ['a terminal with NO_COLOR', [], { ...tty, NO_COLOR: '1' }, true, false],
    ['NO_COLOR empty is unset', [], { ...tty, NO_COLOR: '' }, true, true],
    ['a pipe with FORCE_COLOR', [], { FORCE_COLOR: '1' }, false, true],
    ['a pipe with CLICOLOR_FORCE', [], { CLICOLOR_FORCE: '1' }, false, true],
    ['NO_COLOR beats FORCE_COLOR', [], { NO_COLOR: '1', FORCE_COLOR: '1' }, true, false],
    ['--color always beats NO_COLOR', ['--color', 'always'], { NO_COLOR: '1' }, false, true],
    ['--color=never on a terminal', ['sync', '--color=never'], tty, true, false],
    ['--no-color on a terminal', ['--no-color', 'sync'], tty, true, false],
    ['--color after -- is the program\'s', ['run', '--', 'x', '--color', 'always'], {}, false, false],
    ['--color auto still honours NO_COLOR (anstream)', ['--color', 'auto'], { ...tty, NO_COLOR: '1' }, true, false],
    ['--color auto ignores FORCE_COLOR (uv reads it only without --color)', ['--color', 'auto'], { FORCE_COLOR: '1' }, false, false],
    ['TERM=dumb', [], { TERM: 'dumb' }, true, false],
    ['no TERM', [], {}, true, false],
    ['no TERM but CI', [], { CI: 'true' }, true, true],
    ['CLICOLOR=0', [], { ...tty, CLICOLOR: '0' }, true, false],
  ])('%s', (_what, args, env, isTerminal, expected) => {
    expect(colourChoice(args, env, isTerminal, 'linux')).toBe(expected);
  });

  it('on Windows a terminal without TERM is coloured (anstyle-query assumes ANSI support there)', () => {
    expect(colourChoice([], {}, true, 'win32')).toBe(true);
  });
});

describe('errors carry their hint', () => {
  it('a refusal keeps its hint apart from its message', () => {
    const e = new PolicyRefusal('outside', { hint: 'use a folder inside /dev' });
    expect([e.message, e.hint]).toEqual(['outside', 'use a folder inside /dev']);
  });

  it('a config error is file:line:col: key: message, shows the value, and points at the key in the reference', () => {
    const e = new ConfigError('/etc/uvx-safe/config.toml', 'does not exist', { key: 'allowed-roots.0', line: 2, column: 18, value: '/nope' });
    expect(e.message).toBe('/etc/uvx-safe/config.toml:2:18: allowed-roots.0: does not exist (got "/nope")');
    expect(e.hint).toBe('see docs/config-reference.md#allowed-roots');
    expect(referenceHint('tool.uvx-safe.locations.cache')).toBe('see docs/config-reference.md#locationscache');
  });
});

describe('did you mean', () => {
  it.each([
    ['data_root', ['mode', 'data-root', 'allowed-roots'], 'data-root'],
    ['doctr', ['doctor', 'env', 'shims'], 'doctor'],
    ['cahce', ['cache', 'temp'], 'cache'],
    ['mood', ['mode', 'locked'], 'mode'],
    ['frobnicate', ['doctor', 'env'], undefined],
    ['uv', ['uv', 'env'], undefined],
  ])('%s', (word, known, expected) => {
    expect(closest(word, known)).toBe(expected);
  });

  it('says nothing when nothing is close', () => {
    expect(didYouMean('zzz', ['doctor'])).toBe('');
    expect(didYouMean('--jsn', ['--json'])).toBe(' (did you mean "--json"?)');
  });
});
