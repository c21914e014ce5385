// The child's whole exit status on Windows, for the standalone executable (Bun). A Windows status
// is 32 bits (0xC0000005, 256, 65536), but Bun's child-exit event and its process.exit keep only
// the low byte: 256 would come back as 0, a failure as success. So the launcher opens the child
// process by its pid right after the spawn (the runtime still holds the child's own handle then,
// so the pid cannot name another process), reads GetExitCodeProcess after the exit event, and ends
// with ExitProcess when the status does not fit in a byte.

import { loadBunFfi } from './bun-ffi.js';

const PROCESS_QUERY_LIMITED_INFORMATION = 0x1000;
const SYNCHRONIZE = 0x0010_0000;
const INFINITE = 0xffff_ffff;
const WAIT_OBJECT_0 = 0;

/** A status the runtime's own exit path passes on unchanged: 0-255. */
export function fitsRuntimeExit(status: number): boolean {
  return Number.isInteger(status) && status >= 0 && status <= 255;
}

export interface WindowsProcessStatus {
  /** The whole exit status of the process opened by `open` (waits for it to end), or an Error. */
  read(): number;
}

interface Kernel32 {
  OpenProcess(access: number, inherit: number, pid: number): number | null;
  WaitForSingleObject(handle: number, ms: number): number;
  GetExitCodeProcess(handle: number, out: number): number;
  CloseHandle(handle: number): number;
  GetLastError(): number;
  ExitProcess(code: number): void;
}

let kernel: Kernel32 | undefined;
let ptrOf: ((view: ArrayBufferView) => number) | undefined;

function kernel32(): Kernel32 {
  if (kernel) return kernel;
  const ffi = loadBunFfi();
  const { symbols } = ffi.dlopen('kernel32.dll', {
    OpenProcess: { args: ['u32', 'i32', 'u32'], returns: 'ptr' },
    WaitForSingleObject: { args: ['ptr', 'u32'], returns: 'u32' },
    GetExitCodeProcess: { args: ['ptr', 'ptr'], returns: 'i32' },
    CloseHandle: { args: ['ptr'], returns: 'i32' },
    GetLastError: { args: [], returns: 'u32' },
    ExitProcess: { args: ['u32'], returns: 'void' },
  });
  ptrOf = (view) => ffi.ptr(view);
  return (kernel = symbols as unknown as Kernel32);
}

/** Opens the process `pid` for its exit status; throws an Error naming the Windows call that failed. */
export function openProcessStatus(pid: number): WindowsProcessStatus {
  const k = kernel32();
  const handle = k.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION | SYNCHRONIZE, 0, pid);
  if (!handle) throw new Error(`OpenProcess failed (Windows error ${k.GetLastError()})`);
  return {
    read() {
      try {
        if (k.WaitForSingleObject(handle, INFINITE) !== WAIT_OBJECT_0) throw new Error(`WaitForSingleObject failed (Windows error ${k.GetLastError()})`);
        const out = new Uint32Array(1);
        if (!k.GetExitCodeProcess(handle, ptrOf!(out))) throw new Error(`GetExitCodeProcess failed (Windows error ${k.GetLastError()})`);
        return out[0]!;
      } finally {
        k.CloseHandle(handle);
      }
    },
  };
}

/** Ends this process with the whole status (ExitProcess): the runtime's exit would cut it to a byte. */
export function exitProcess(status: number): never {
  kernel32().ExitProcess(status >>> 0);
  throw new Error('ExitProcess returned');
}
