// Owner SIDs on Windows through Bun's FFI (the standalone executable only: Node has no FFI). Loaded
// by src/platform/owner.ts only when a project config file was found on win32 under Bun, so no uv
// call without such a file pays for it; `safe doctor` also reads the admin policy file's DACL here.
// Every failure throws an Error naming the Windows function and its error code; the caller turns it
// into "owner unknown", which ignores the file (fail closed), or doctor's one warning line.

import { loadBunFfi } from './bun-ffi.js';
import type { Ace, SecurityFacts } from './windows-acl.js';

const SE_FILE_OBJECT = 1;
const OWNER_SECURITY_INFORMATION = 1;
const DACL_SECURITY_INFORMATION = 4;
const ACL_SIZE_INFORMATION = 2; // ACL_INFORMATION_CLASS AclSizeInformation
const TOKEN_QUERY = 0x0008;
const TOKEN_USER = 1; // TOKEN_INFORMATION_CLASS TokenUser
/** Longer than any SID string (at most 15 sub-authorities of 10 digits): a guard against a runaway read. */
const MAX_SID_CHARS = 256;

export interface WindowsSids {
  /** The owner SID of a file or folder, as `S-1-5-...`. */
  ownerOf(path: string): string;
  /** The SID of the user this process runs as. */
  currentUser(): string;
  /** The owner and the DACL of a file or folder (for `safe doctor`'s admin file check). */
  securityOf(path: string): SecurityFacts;
}

/** An ACE's type byte as the check sees it; the callback kinds share the plain kinds' layout. */
export function aceKind(type: number): Ace['type'] {
  if (type === 0 || type === 9) return 'allow'; // ACCESS_ALLOWED_ACE_TYPE, ..._CALLBACK_ACE_TYPE (counted: fail closed)
  if (type === 1 || type === 10) return 'deny';
  return 'other'; // object ACEs (not used on files), audit and label ACEs
}

/** A UTF-16 string as Windows expects it: little-endian, NUL-terminated. */
export function wideString(text: string): Buffer {
  return Buffer.from(`${text}\0`, 'utf16le');
}

/** The code units of a NUL-terminated UTF-16 string, read one by one through `unit(i)`. */
export function readWideString(unit: (index: number) => number, max = MAX_SID_CHARS): string {
  const units: number[] = [];
  for (let i = 0; i < max; i++) {
    const u = unit(i);
    if (u === 0) return String.fromCharCode(...units);
    units.push(u);
  }
  throw new Error(`string longer than ${max} characters`);
}

/** A SID string as ConvertSidToStringSidW writes it, or an error: never a value the trust rule could misread. */
export function checkedSid(text: string, from: string): string {
  if (!/^S-1-\d+(-\d+)*$/i.test(text)) throw new Error(`${from} gave "${text}", not a SID`);
  return text.toUpperCase();
}

function load(): WindowsSids {
  const ffi = loadBunFfi();
  const { symbols: advapi } = ffi.dlopen('advapi32.dll', {
    GetNamedSecurityInfoW: { args: ['ptr', 'u32', 'u32', 'ptr', 'ptr', 'ptr', 'ptr', 'ptr'], returns: 'u32' },
    ConvertSidToStringSidW: { args: ['ptr', 'ptr'], returns: 'i32' },
    OpenProcessToken: { args: ['i64', 'u32', 'ptr'], returns: 'i32' },
    GetTokenInformation: { args: ['i64', 'u32', 'ptr', 'u32', 'ptr'], returns: 'i32' },
    GetAclInformation: { args: ['ptr', 'ptr', 'u32', 'u32'], returns: 'i32' },
    GetAce: { args: ['ptr', 'u32', 'ptr'], returns: 'i32' },
  });
  const { symbols: kernel } = ffi.dlopen('kernel32.dll', {
    GetCurrentProcess: { args: [], returns: 'i64' },
    CloseHandle: { args: ['i64'], returns: 'i32' },
    LocalFree: { args: ['ptr'], returns: 'ptr' },
    GetLastError: { args: [], returns: 'u32' },
  });
  const failed = (fn: string, code = kernel.GetLastError!() as number) => new Error(`${fn} failed (Windows error ${code})`);

  /** ConvertSidToStringSidW on a SID pointer; the string it allocates is freed here. */
  const sidString = (sid: number): string => {
    const out = new BigUint64Array(1);
    if (!advapi.ConvertSidToStringSidW!(sid, ffi.ptr(out))) throw failed('ConvertSidToStringSidW');
    const text = Number(out[0]);
    try {
      return checkedSid(readWideString((i) => ffi.read.u16(text, i * 2)), 'ConvertSidToStringSidW');
    } finally {
      kernel.LocalFree!(text);
    }
  };

  let me: string | undefined;
  return {
    ownerOf(path) {
      const owner = new BigUint64Array(1);
      const descriptor = new BigUint64Array(1);
      const name = wideString(path);
      const code = advapi.GetNamedSecurityInfoW!(ffi.ptr(name), SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION, ffi.ptr(owner), null, null, null, ffi.ptr(descriptor)) as number;
      if (code !== 0) throw failed('GetNamedSecurityInfoW', code);
      try {
        // The owner SID points into the security descriptor: read it before the descriptor is freed.
        if (owner[0] === 0n) throw new Error('GetNamedSecurityInfoW returned no owner');
        return sidString(Number(owner[0]));
      } finally {
        kernel.LocalFree!(Number(descriptor[0]));
      }
    },
    currentUser() {
      return (me ??= tokenUser());
    },
    securityOf(path) {
      const owner = new BigUint64Array(1);
      const dacl = new BigUint64Array(1);
      const descriptor = new BigUint64Array(1);
      const name = wideString(path);
      const info = OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION;
      const code = advapi.GetNamedSecurityInfoW!(ffi.ptr(name), SE_FILE_OBJECT, info, ffi.ptr(owner), null, ffi.ptr(dacl), null, ffi.ptr(descriptor)) as number;
      if (code !== 0) throw failed('GetNamedSecurityInfoW', code);
      try {
        // Both point into the security descriptor: read them before it is freed.
        if (owner[0] === 0n) throw new Error('GetNamedSecurityInfoW returned no owner');
        return { owner: sidString(Number(owner[0])), dacl: dacl[0] === 0n ? null : aces(Number(dacl[0])) };
      } finally {
        kernel.LocalFree!(Number(descriptor[0]));
      }
    },
  };

  /** The ACEs of a DACL: ACE_HEADER (type, flags, size), then the mask and the SID for allow and deny ACEs. */
  function aces(acl: number): Ace[] {
    const size = new Uint32Array(3); // ACL_SIZE_INFORMATION: AceCount, AclBytesInUse, AclBytesFree
    if (!advapi.GetAclInformation!(acl, ffi.ptr(size), size.byteLength, ACL_SIZE_INFORMATION)) throw failed('GetAclInformation');
    const list: Ace[] = [];
    const out = new BigUint64Array(1);
    for (let i = 0; i < size[0]!; i++) {
      if (!advapi.GetAce!(acl, i, ffi.ptr(out))) throw failed('GetAce');
      const ace = Number(out[0]);
      const type = aceKind(ffi.read.u8(ace, 0));
      const flags = ffi.read.u8(ace, 1);
      list.push(type === 'other' ? { type, flags, mask: 0, sid: '' } : { type, flags, mask: ffi.read.u32(ace, 4), sid: sidString(ace + 8) });
    }
    return list;
  }

  /** The SID in this process's token (TokenUser). */
  function tokenUser(): string {
    const handle = new BigUint64Array(1);
    if (!advapi.OpenProcessToken!(kernel.GetCurrentProcess!(), TOKEN_QUERY, ffi.ptr(handle))) throw failed('OpenProcessToken');
    const token = BigInt.asIntN(64, handle[0]!);
    try {
      // TOKEN_USER: a SID pointer (into this same buffer) and attributes, then the SID (at most 68 bytes).
      const info = new BigUint64Array(64);
      const needed = new Uint32Array(1);
      if (!advapi.GetTokenInformation!(token, TOKEN_USER, ffi.ptr(info), info.byteLength, ffi.ptr(needed))) throw failed('GetTokenInformation');
      return sidString(Number(info[0]));
    } finally {
      kernel.CloseHandle!(token);
    }
  }
}

let sids: WindowsSids | undefined;

/** The process-wide lookup; the libraries are opened on first use. */
export function windowsSids(): WindowsSids {
  return (sids ??= load());
}
