// WM_SETTINGCHANGE with "Environment" to every top-level window, as the System Properties dialog
// sends it after an edit, so that Explorer (and the programs it starts next) reload the registry's
// environment. Bun's FFI only (the standalone executable); under Node this throws, and the caller says
// that a new sign-in is needed instead.

import { loadBunFfi } from './bun-ffi.js';
import { wideString } from './owner-win32-bun.js';

const HWND_BROADCAST = 0xffff;
const WM_SETTINGCHANGE = 0x001a;
const SMTO_ABORTIFHUNG = 0x0002;

export function broadcastEnvironmentChange(): void {
  if (process.platform !== 'win32') throw new Error('not Windows');
  const ffi = loadBunFfi();
  const { symbols } = ffi.dlopen('user32.dll', {
    SendMessageTimeoutW: { args: ['ptr', 'u32', 'u64', 'ptr', 'u32', 'u32', 'ptr'], returns: 'i64' },
  });
  const text = wideString('Environment');
  const result = new BigUint64Array(1);
  // A window that does not answer within 5 s is skipped, not waited for.
  const ok = symbols.SendMessageTimeoutW!(HWND_BROADCAST, WM_SETTINGCHANGE, 0, ffi.ptr(text), SMTO_ABORTIFHUNG, 5000, ffi.ptr(result));
  if (!ok) throw new Error('SendMessageTimeoutW failed');
}
