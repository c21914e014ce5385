// The Windows rule for the admin policy file (`safe doctor`'s policy.admin-file): owner and DACL in,
// findings out. The DACL is read by the standalone executable (owner-win32-bun.ts; under Wine in
// test/e2e/windows.test.ts); here every Windows case is fed by hand.
import { describe, expect, it } from 'vitest';
import { adminFileChecks } from '../../src/doctor/admin-file.js';
import { aceKind } from '../../src/platform/owner-win32-bun.js';
import { securityReader } from '../../src/platform/owner.js';
import { nonAdminWriters, windowsWriteProblems, type SecurityFacts } from '../../src/platform/windows-acl.js';
import { ADMINS, allow, CREATOR_OWNER, deny, EVERYONE, FILE_ALL_ACCESS, READ_EXECUTE, SYSTEM, TRUSTED_INSTALLER, USERS } from '../helpers/windows-sids.js';

const OI_CI = 0x3;
const INHERIT_ONLY = 0x8;
/** The admin guide's icacls result: Administrators owner, SYSTEM and Administrators full, Users read. */
const strict = (): SecurityFacts => ({ owner: ADMINS, dacl: [allow(SYSTEM, FILE_ALL_ACCESS, OI_CI), allow(ADMINS, FILE_ALL_ACCESS, OI_CI), allow(USERS, READ_EXECUTE, OI_CI)] });
const FILE = 'C:\\ProgramData\\uvx-safe\\config.toml';
const DIR = 'C:\\ProgramData\\uvx-safe';

describe('who besides an admin can write a Windows file or folder', () => {
  it('only Administrators, SYSTEM and TrustedInstaller (and Users reading): nobody', () => {
    expect(windowsWriteProblems(FILE, 'file', strict())).toEqual([]);
    expect(windowsWriteProblems(FILE, 'file', { owner: TRUSTED_INSTALLER, dacl: [allow(TRUSTED_INSTALLER, FILE_ALL_ACCESS)] })).toEqual([]);
    expect(windowsWriteProblems(DIR, 'folder', { owner: SYSTEM, dacl: strict().dacl })).toEqual([]);
  });

  it('Users with write, Everyone with GENERIC_ALL: each named once with the path', () => {
    const facts = { owner: ADMINS, dacl: [...strict().dacl!, allow(USERS, 0x2), allow(EVERYONE, 0x10000000), allow(USERS, 0x4)] };
    expect(windowsWriteProblems(FILE, 'file', facts)).toEqual([
      `S-1-5-32-545 (Users) can write ${FILE}`,
      `S-1-1-0 (Everyone) can write ${FILE}`,
    ]);
  });

  it('counts each write right: data, append, delete, WRITE_DAC, WRITE_OWNER, GENERIC_WRITE, GENERIC_ALL', () => {
    for (const mask of [0x2, 0x4, 0x10000, 0x40000, 0x80000, 0x40000000, 0x10000000]) {
      expect(nonAdminWriters([allow(USERS, mask)], 'file'), mask.toString(16)).toEqual([USERS]);
    }
    // Reading, attributes, synchronize: not writing the policy.
    expect(nonAdminWriters([allow(USERS, READ_EXECUTE | 0x100 | 0x10)], 'file')).toEqual([]);
  });

  it('a folder: FILE_DELETE_CHILD counts too (and FILE_ADD_FILE, as on ProgramData by default)', () => {
    expect(nonAdminWriters([allow(USERS, 0x40)], 'folder')).toEqual([USERS]);
    expect(nonAdminWriters([allow(USERS, 0x40)], 'file')).toEqual([]);
    // What a folder made in C:\ProgramData inherits: Users (CI) "WD,AD,WEA,WA".
    expect(nonAdminWriters([...strict().dacl!, allow(USERS, 0x116, 0x2 | 0x10)], 'folder')).toEqual([USERS]);
  });

  it('deny ACEs are ignored: an allow still counts, a deny alone grants nothing', () => {
    expect(nonAdminWriters([deny(USERS, FILE_ALL_ACCESS), allow(USERS, 0x2)], 'file')).toEqual([USERS]);
    expect(nonAdminWriters([deny(EVERYONE, 0x2)], 'file')).toEqual([]);
    expect(nonAdminWriters([{ type: 'other', flags: 0, mask: 0, sid: '' }], 'file')).toEqual([]);
  });

  it('inherit-only ACEs and CREATOR OWNER grant nothing on the object itself', () => {
    expect(nonAdminWriters([allow(USERS, FILE_ALL_ACCESS, OI_CI | INHERIT_ONLY)], 'folder')).toEqual([]);
    expect(nonAdminWriters([allow(CREATOR_OWNER, FILE_ALL_ACCESS, OI_CI | INHERIT_ONLY), allow(CREATOR_OWNER, FILE_ALL_ACCESS)], 'folder')).toEqual([]);
  });

  it('a NULL DACL lets everyone write', () => {
    expect(windowsWriteProblems(FILE, 'file', { owner: ADMINS, dacl: null })).toEqual([`S-1-1-0 (Everyone) can write ${FILE} (it has no DACL)`]);
    // An empty DACL is the opposite: nobody but the owner.
    expect(windowsWriteProblems(FILE, 'file', { owner: ADMINS, dacl: [] })).toEqual([]);
  });

  it('an owner other than an admin is named (an owner can always rewrite the DACL)', () => {
    expect(windowsWriteProblems(FILE, 'file', { ...strict(), owner: 'S-1-5-21-1-2-3-1001' })).toEqual([
      `${FILE} is owned by S-1-5-21-1-2-3-1001, not Administrators, SYSTEM or TrustedInstaller`,
    ]);
  });

  it('reads ACE types as Windows numbers them (allowed and its callback kind count as allow)', () => {
    expect([0, 1, 2, 5, 9, 10, 0x11].map(aceKind)).toEqual(['allow', 'deny', 'other', 'other', 'allow', 'deny', 'other']);
  });
});

describe("safe doctor's policy.admin-file on Windows", () => {
  const exists = () => ({ uid: 0, mode: 0o644 });
  const table = (facts: Record<string, SecurityFacts>) => (p: string) => {
    const found = facts[p];
    if (!found) throw new Error(`GetNamedSecurityInfoW failed (Windows error 2) for ${p}`);
    return found;
  };

  it('no warning when the file and its folder are the admin guide’s', () => {
    expect(adminFileChecks(FILE, 'win32', exists, table({ [FILE]: strict(), [DIR]: strict() }))).toEqual([]);
  });

  it('one warn line naming each path and the SID that can write it', () => {
    const writable = { owner: ADMINS, dacl: [...strict().dacl!, allow(USERS, 0x2 | 0x4, 0x2 | 0x10)] };
    const checks = adminFileChecks(FILE, 'win32', exists, table({ [FILE]: { ...strict(), owner: 'S-1-5-21-7-1002' }, [DIR]: writable }));
    expect(checks).toEqual([
      {
        id: 'policy.admin-file',
        label: 'admin file',
        status: 'warn',
        message:
          `${FILE} is owned by S-1-5-21-7-1002, not Administrators, SYSTEM or TrustedInstaller; S-1-5-32-545 (Users) can write ${DIR}: ` +
          "users other than Administrators could change the policy (set its owner and ACL with the admin guide's icacls lines)",
      },
    ]);
  });

  it('a failed native call is one warn line naming it, never an exception', () => {
    const checks = adminFileChecks(FILE, 'win32', exists, table({ [FILE]: strict() }));
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ status: 'warn' });
    expect(checks[0]!.message).toMatch(/^cannot read the permissions of C:\\ProgramData\\uvx-safe \(GetNamedSecurityInfoW failed \(Windows error 2\) for C:\\ProgramData\\uvx-safe\): users other/);
  });

  it('under Node (no ACL reader) says so in one warn line; nothing when there is no file', () => {
    const [check] = adminFileChecks(FILE, 'win32', exists, undefined);
    expect(check).toMatchObject({ id: 'policy.admin-file', status: 'warn' });
    expect(check!.message).toBe(
      `${FILE}: the npm form cannot read Windows ACLs; run \`safe doctor\` with the standalone executable, or check the file and its folder with icacls (admin guide)`,
    );
    expect(adminFileChecks(FILE, 'win32', () => undefined, undefined)).toEqual([]);
  });

  it('the reader exists only on Windows under Bun', () => {
    expect(securityReader({ platform: 'win32', bun: false })).toBeUndefined();
    expect(securityReader({ platform: 'linux', bun: true })).toBeUndefined();
    expect(typeof securityReader({ platform: 'win32', bun: true })).toBe('function');
  });
});
