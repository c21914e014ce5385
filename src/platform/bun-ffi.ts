// Bun's FFI, for the few Windows and POSIX calls Node has no API for (the standalone executable
// only; under Node this throws). Modules that need it require it on first use, never at start-up.

/** The part of `bun:ffi` used here (no Bun types in this Node project). */
export interface BunFfi {
  dlopen(lib: string, symbols: Record<string, { args: string[]; returns: string }>): { symbols: Record<string, (...args: unknown[]) => unknown> };
  ptr(view: ArrayBufferView): number;
  read: { u8(p: number, offset: number): number; u16(p: number, offset: number): number; u32(p: number, offset: number): number; ptr(p: number, offset: number): number };
}

/** `bun:ffi`, or an Error saying it cannot be loaded (Node, or a Bun without FFI). */
export function loadBunFfi(): BunFfi {
  try {
    // In a try, so that esbuild (which bundles src for Node too) leaves this require to run time.
    return require('bun:ffi') as BunFfi;
  } catch (error) {
    throw new Error(`bun:ffi cannot be loaded (${error instanceof Error ? error.message : String(error)})`);
  }
}
