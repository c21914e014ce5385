// Who, besides an admin, could change a file or folder on Windows: its owner and the write rights
// its DACL allows. Pure (ACE list in, findings out), so Windows' rule is tested on any machine; the
// owner and the DACL are read by owner-win32-bun.ts (standalone executable only).

/** One ACE of a DACL, as read from Windows. Types other than allow and deny are kept as `other`. */
export interface Ace {
  type: 'allow' | 'deny' | 'other';
  /** AceFlags: OBJECT_INHERIT_ACE 0x1, CONTAINER_INHERIT_ACE 0x2, INHERIT_ONLY_ACE 0x8, INHERITED_ACE 0x10 ... */
  flags: number;
  mask: number;
  sid: string;
}

/** The owner and the DACL of a file or folder; `dacl: null` is a NULL DACL (everyone has every right). */
export interface SecurityFacts {
  owner: string;
  dacl: Ace[] | null;
}

const INHERIT_ONLY_ACE = 0x8;

/** Administrators, SYSTEM, TrustedInstaller. */
export const WINDOWS_ADMIN_SIDS: readonly string[] = [
  'S-1-5-32-544',
  'S-1-5-18',
  'S-1-5-80-956008885-3418522649-1831038044-1851417840-3413044240',
];

/**
 * CREATOR OWNER stands for the creator of a child object: Windows never matches it against anyone
 * on the object that holds it (it is copied as the creator's SID into what is created below, whose
 * own DACL is then read). Who may create below is judged by FILE_ADD_FILE, so it grants nothing here.
 */
const CREATOR_OWNER = 'S-1-3-0';

const FILE_WRITE_DATA = 0x2; // FILE_ADD_FILE on a folder
const FILE_APPEND_DATA = 0x4; // FILE_ADD_SUBDIRECTORY on a folder
const FILE_DELETE_CHILD = 0x40;
const DELETE = 0x10000;
const WRITE_DAC = 0x40000;
const WRITE_OWNER = 0x80000;
const GENERIC_ALL = 0x10000000;
const GENERIC_WRITE = 0x40000000;

const FILE_WRITE_MASK = FILE_WRITE_DATA | FILE_APPEND_DATA | DELETE | WRITE_DAC | WRITE_OWNER | GENERIC_ALL | GENERIC_WRITE;
const FOLDER_WRITE_MASK = FILE_WRITE_MASK | FILE_DELETE_CHILD;
/** A folder further up a program's path: the rights that replace or rename what is below it. */
const PARENT_WRITE_MASK = FILE_DELETE_CHILD | DELETE | WRITE_DAC | WRITE_OWNER | GENERIC_ALL;
/** The folder just above a program's folder: also adding files (CPython reads a `pyvenv.cfg` there). */
const NEAR_PARENT_WRITE_MASK = PARENT_WRITE_MASK | FILE_WRITE_DATA | GENERIC_WRITE;

/** Which write rights count: on a file, a folder, or a folder above a program (admin-only.ts). */
export type WriteKind = 'file' | 'folder' | 'near-parent' | 'parent';
const MASKS: Record<WriteKind, number> = { file: FILE_WRITE_MASK, folder: FOLDER_WRITE_MASK, 'near-parent': NEAR_PARENT_WRITE_MASK, parent: PARENT_WRITE_MASK };

const WELL_KNOWN: Record<string, string> = {
  'S-1-1-0': 'Everyone',
  'S-1-3-4': 'OWNER RIGHTS',
  'S-1-5-4': 'Interactive',
  'S-1-5-7': 'Anonymous',
  'S-1-5-11': 'Authenticated Users',
  'S-1-5-32-545': 'Users',
  'S-1-5-32-546': 'Guests',
  'S-1-5-32-547': 'Power Users',
};

/** `S-1-5-32-545 (Users)`; a SID without a well-known name as it is. */
export function describeSid(sid: string): string {
  const name = WELL_KNOWN[sid.toUpperCase()];
  return name ? `${sid} (${name})` : sid;
}

/** Administrators, SYSTEM or TrustedInstaller. */
export const isWindowsAdmin = (sid: string) => WINDOWS_ADMIN_SIDS.includes(sid.toUpperCase());

/**
 * The SIDs other than Administrators, SYSTEM and TrustedInstaller that an allow ACE gives a write
 * right (deleting, changing, adding files, changing permissions or owner) on the object itself.
 * Deny ACEs are ignored: a later allow for a group the user is in still lets the user write, and
 * telling the order of group memberships is not this check's business. Inherit-only ACEs do not
 * apply to the object itself. A NULL DACL lets everyone write.
 */
export function nonAdminWriters(dacl: Ace[] | null, kind: WriteKind): string[] {
  if (dacl === null) return ['S-1-1-0'];
  const mask = MASKS[kind];
  const writers: string[] = [];
  for (const ace of dacl) {
    if (ace.type !== 'allow' || ace.flags & INHERIT_ONLY_ACE || !(ace.mask & mask)) continue;
    const sid = ace.sid.toUpperCase();
    if (isWindowsAdmin(sid) || sid === CREATOR_OWNER || writers.includes(sid)) continue;
    writers.push(sid);
  }
  return writers;
}

/**
 * What lets someone other than an admin change `path`: an owner that is not an admin (an owner may
 * always rewrite the DACL), and every non-admin SID with a write right. Empty when only admins can.
 */
export function windowsWriteProblems(path: string, kind: WriteKind, facts: SecurityFacts): string[] {
  const problems: string[] = [];
  if (!isWindowsAdmin(facts.owner)) problems.push(`${path} is owned by ${describeSid(facts.owner)}, not Administrators, SYSTEM or TrustedInstaller`);
  const nullDacl = facts.dacl === null ? ' (it has no DACL)' : '';
  for (const sid of nonAdminWriters(facts.dacl, kind)) problems.push(`${describeSid(sid)} can write ${path}${nullDacl}`);
  return problems;
}
