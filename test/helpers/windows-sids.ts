// Well-known Windows SIDs, rights and ACE builders for the tests that feed Windows' owner and DACL rules by hand.
import type { Ace } from '../../src/platform/windows-acl.js';

export const ADMINS = 'S-1-5-32-544';
export const SYSTEM = 'S-1-5-18';
export const TRUSTED_INSTALLER = 'S-1-5-80-956008885-3418522649-1831038044-1851417840-3413044240';
export const USERS = 'S-1-5-32-545';
export const AUTHENTICATED_USERS = 'S-1-5-11';
export const EVERYONE = 'S-1-1-0';
export const CREATOR_OWNER = 'S-1-3-0';
export const FILE_ALL_ACCESS = 0x1f01ff;
export const READ_EXECUTE = 0x1200a9;

export const allow = (sid: string, mask: number, flags = 0): Ace => ({ type: 'allow', flags, mask, sid });
export const deny = (sid: string, mask: number): Ace => ({ type: 'deny', flags: 0, mask, sid });
