// Sizes as an admin writes them in a policy: "10 MiB", "500 KiB", "1 GB", "4096". Pure.

const UNITS: Record<string, number> = {
  b: 1,
  kb: 1000,
  kib: 1024,
  mb: 1000 ** 2,
  mib: 1024 ** 2,
  gb: 1000 ** 3,
  gib: 1024 ** 3,
};

/** Bytes, or undefined when `text` is not a whole number followed by an optional unit (B, kB, KiB, MB, MiB, GB, GiB). */
export function parseByteSize(text: string): number | undefined {
  const match = /^\s*(\d+)\s*([A-Za-z]*)\s*$/.exec(text);
  if (!match) return undefined;
  const factor = match[2] === '' ? 1 : UNITS[match[2]!.toLowerCase()];
  if (factor === undefined) return undefined;
  const bytes = Number(match[1]) * factor;
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}
