// The one line for a uv that the system refuses to start (the Wine suite shows it end to end).
import { describe, expect, it } from 'vitest';
import { spawnFailure } from '../../src/launch/run-child.js';
import { fitsRuntimeExit } from '../../src/platform/exit-status-win32-bun.js';

const err = (code: string) => Object.assign(new Error(`spawn ${code}`), { code });

describe('spawnFailure', () => {
  it.each(['UNKNOWN', 'EPERM', 'EACCES'])('on Windows, %s: blocked by policy, naming the program and its folder', (code) => {
    const failure = spawnFailure('C:\\Users\\me\\uv\\uv.exe', err(code), 'win32');
    expect(failure.exitCode).toBe(2);
    expect(failure.message).toBe(
      `cannot start uv at C:\\Users\\me\\uv\\uv.exe (${code}): Windows refused to run a program from C:\\Users\\me\\uv, ` +
        'most likely blocked by policy (AppLocker/WDAC)',
    );
    expect(failure.hint).toBe('move uv into a folder programs may run from, or point at one with `uv-path` in the uvx-safe config');
  });

  it('on Linux, EACCES: a noexec mount or a missing execute bit', () => {
    expect(spawnFailure('/home/me/bin/uv', err('EACCES'), 'linux').message).toMatch(
      /^cannot start uv at \/home\/me\/bin\/uv \(EACCES\): permission denied; \/home\/me\/bin may be mounted noexec/,
    );
  });

  it('a vanished file, and anything else, keep the code', () => {
    expect(spawnFailure('/x/uv', err('ENOENT'), 'linux').message).toBe('cannot start uv at /x/uv (ENOENT): no such file');
    expect(spawnFailure('/x/uv', err('E2BIG'), 'linux').message).toBe('cannot start uv at /x/uv (E2BIG)');
  });

  // Every one says what to do instead; the Windows words only on Windows (mutation testing, docs/design.md "Testing").
  it('each carries its hint, and a POSIX path is cut at / only', () => {
    expect(spawnFailure('/x/uv', err('ENOENT'), 'linux').hint).toBe('point at the real uv with UVX_SAFE_UV=/path/to/uv or `uv-path` in the uvx-safe config');
    const denied = spawnFailure('/x/we\\ird/uv', err('EACCES'), 'linux');
    expect(denied.message).toMatch(/permission denied; \/x\/we\\ird may be mounted noexec/);
    expect(denied.hint).toBe('move uv into a folder programs may run from, or point at one with `uv-path` in the uvx-safe config');
    expect(spawnFailure('/x/uv', err('E2BIG'), 'linux').hint).toBe('run `uvx-safe safe doctor`: it checks the real uv and the folders it runs from');
    for (const code of ['EFTYPE', 'EPERM', 'UNKNOWN']) expect(spawnFailure('/x/uv', err(code), 'linux').message, code).toBe(`cannot start uv at /x/uv (${code})`);
  });
});

describe('fitsRuntimeExit (Windows statuses above a byte end through ExitProcess)', () => {
  it.each([0, 1, 2, 255])('%i goes through the runtime', (status) => expect(fitsRuntimeExit(status)).toBe(true));
  it.each([256, 1000, 65536, 0xc0000005])('%i does not', (status) => expect(fitsRuntimeExit(status)).toBe(false));
});
