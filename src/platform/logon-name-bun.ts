// The logon name through Bun's FFI, for the standalone executable, whose os.userInfo() reads the
// USER (POSIX) or USERNAME (Windows) variable instead of asking the OS. Windows: GetUserNameW, the
// name of the user whose token the process runs with (what Node's os.userInfo() returns). POSIX:
// getpwuid(geteuid()), as Node's does. Required only when a path value uses `{user}`.

import { loadBunFfi } from './bun-ffi.js';
import type { Platform } from './env.js';

/** UNLEN + 1: the longest user name Windows allows, and its NUL. */
const UNLEN_WITH_NUL = 257;
/** Longer than any POSIX login name: a guard against a runaway read. */
const MAX_NAME_BYTES = 1024;

export function logonNameFromOs(platform: Platform): string {
  const ffi = loadBunFfi();
  if (platform === 'win32') {
    const { symbols } = ffi.dlopen('advapi32.dll', { GetUserNameW: { args: ['ptr', 'ptr'], returns: 'i32' } });
    const { symbols: kernel } = ffi.dlopen('kernel32.dll', { GetLastError: { args: [], returns: 'u32' } });
    const name = new Uint16Array(UNLEN_WITH_NUL);
    const size = new Uint32Array([UNLEN_WITH_NUL]);
    if (!symbols.GetUserNameW!(ffi.ptr(name), ffi.ptr(size))) throw new Error(`GetUserNameW failed (Windows error ${kernel.GetLastError!() as number})`);
    const end = name.indexOf(0);
    return String.fromCharCode(...name.subarray(0, end < 0 ? name.length : end));
  }
  const uid = process.geteuid!();
  const { symbols } = ffi.dlopen(platform === 'darwin' ? 'libSystem.B.dylib' : 'libc.so.6', {
    getpwuid: { args: ['u32'], returns: 'ptr' },
  });
  const entry = symbols.getpwuid!(uid) as number | null;
  if (!entry) throw new Error(`getpwuid(${uid}) found no user (uid ${uid} has no name)`);
  // struct passwd starts with `char *pw_name` on Linux and macOS alike.
  const name = ffi.read.ptr(entry, 0);
  const bytes: number[] = [];
  for (let i = 0; i < MAX_NAME_BYTES; i++) {
    const byte = ffi.read.u8(name, i);
    if (byte === 0) return Buffer.from(bytes).toString('utf8');
    bytes.push(byte);
  }
  throw new Error(`getpwuid(${uid}) gave a name longer than ${MAX_NAME_BYTES} bytes`);
}
