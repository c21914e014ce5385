// "May uv run this program?" (issue 15): how uv reads a Python request (PythonRequest::parse), who
// besides an administrator could change a program (POSIX owner and mode bits, Windows owner and DACL,
// up the tree), and the one predicate the plan applies to every program named by path.
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { posixChainProblem, pathChain, windowsChainProblem, type PosixFacts } from '../../src/platform/admin-only.js';
import type { SecurityFacts } from '../../src/platform/windows-acl.js';
import { ADMINS, allow, AUTHENTICATED_USERS, FILE_ALL_ACCESS, READ_EXECUTE, SYSTEM, TRUSTED_INSTALLER, USERS } from '../helpers/windows-sids.js';
import { mayRunProgram, programRefusal, type ProgramFacts } from '../../src/relocate/program-location.js';
import { argvTables } from '../../src/uv/argv.js';
import { isVersionLike, pythonRequestPath, readsUvPython, type EntryKind } from '../../src/uv/python-request.js';
import { getUv } from '../helpers/uv.js';

const nothing = () => undefined;

describe('PythonRequest::parse: which requests are paths', () => {
  it('versions, implementations and literals are never paths, even when a folder of that name exists', () => {
    // A folder, not a file: a bare name that is a folder is a path (below), so only the version rule
    // keeps these from being judged.
    const everything = (): EntryKind => 'dir';
    for (const v of ['3', '312', '3.12', '3.12.1', '3.13rc1', '3.13t', 'python3', 'python3.12', 'python@3.12', 'cpython@3.12', 'cp312', 'pypy', 'pypy3.10', 'PyPy', 'graalpy', 'any', 'ANY', 'default', 'DEFAULT'])
      expect(pythonRequestPath(v, 'linux', everything), v).toBeUndefined();
    expect(isVersionLike('python')).toBe(false);
    // Only the whole word: a folder named like a literal with more to it is a path.
    for (const v of ['anyenv', 'defaults', 'pypyenv'])
      expect(pythonRequestPath(v, 'linux', everything), v).toEqual({ path: v, kind: 'dir' });
  });

  it('a value holding a separator is a file even when absent; a bare name only when it exists', () => {
    for (const v of ['/usr/bin/python3', './py', '~/py/bin/python', 'venv/bin/python', '../x'])
      expect(pythonRequestPath(v, 'linux', nothing), v).toEqual({ path: v, kind: 'file' });
    // uv expands no `~`: it stays a relative path (a folder named `~`).
    expect(pythonRequestPath('~', 'linux', nothing)).toBeUndefined();
    for (const v of ['python', 'myinterp', 'py.exe']) expect(pythonRequestPath(v, 'linux', nothing), v).toBeUndefined();
    expect(pythonRequestPath('python', 'linux', (r) => (r === 'python' ? 'dir' : undefined))).toEqual({ path: 'python', kind: 'dir' });
    // A bare name that is a file: uv parses a path but starts it by name (Command::new looks it up on PATH).
    expect(pythonRequestPath('evil', 'linux', (r) => (r === 'evil' ? 'file' : undefined))).toBeUndefined();
    // An empty value is no request (clap's `Maybe`), not the working folder.
    expect(pythonRequestPath('', 'linux', () => 'dir')).toBeUndefined();
  });

  it('Windows: a backslash or a slash is a separator; `.exe` is added to a name without extension', () => {
    expect(pythonRequestPath('C:\\Python312\\python.exe', 'win32', nothing)).toEqual({ path: 'C:\\Python312\\python.exe', kind: 'file' });
    expect(pythonRequestPath('.venv/Scripts/python', 'win32', nothing)).toEqual({ path: '.venv/Scripts/python', kind: 'file' });
    // The name as given wins when it is a file itself (uv: is_file() before the `.exe` retry).
    const both = (r: string): EntryKind => (r === 'py\\python' || r === 'py\\python.exe' ? 'file' : undefined);
    expect(pythonRequestPath('py\\python', 'win32', both)).toEqual({ path: 'py\\python', kind: 'file' });
    // `.exe` is tried only for a name without extension (`with_extension` when `extension()` is none).
    expect(pythonRequestPath('py\\python.bat', 'win32', (r) => (r === 'py\\python.bat.exe' ? 'file' : undefined))).toEqual({ path: 'py\\python.bat', kind: 'file' });
    // Only on Windows (`#[cfg(windows)]`).
    expect(pythonRequestPath('py/python', 'linux', (r) => (r === 'py/python.exe' ? 'file' : undefined))).toEqual({ path: 'py/python', kind: 'file' });
    // On Linux a backslash is an ordinary character: an executable name unless such a file exists.
    expect(pythonRequestPath('a\\b', 'linux', nothing)).toBeUndefined();
    expect(pythonRequestPath('py\\python', 'win32', (r) => (r === 'py\\python.exe' ? 'file' : undefined))).toEqual({ path: 'py\\python.exe', kind: 'file' });
    expect(pythonRequestPath('py\\python.bat', 'win32', nothing)).toEqual({ path: 'py\\python.bat', kind: 'file' });
    expect(pythonRequestPath('mypy', 'win32', (r) => (r === 'mypy.exe' ? 'file' : undefined))).toBeUndefined();
  });
});

describe('POSIX: a machine program is root\'s alone, up the tree', () => {
  const rule = { owners: [0], ownersWords: 'root', stickyParents: false };
  const chain = pathChain('/usr/bin/python3.11', 'linux');
  const facts = (over: Record<string, Partial<PosixFacts>> = {}) => (path: string): PosixFacts => ({ uid: 0, mode: 0o40755, ...over[path] });

  it('root-owned and closed all the way up: nobody else can change it', () => {
    expect(chain).toEqual(['/usr/bin/python3.11', '/usr/bin', '/usr', '/']);
    expect(posixChainProblem(chain, rule, facts())).toBeUndefined();
  });

  it('another owner, group or world writes anywhere up the tree, or a sticky /tmp: someone else could change it', () => {
    expect(posixChainProblem(chain, rule, facts({ '/usr/bin/python3.11': { uid: 1000 } }))?.why).toBe('/usr/bin/python3.11 is owned by uid 1000, not by root');
    expect(posixChainProblem(chain, rule, facts({ '/usr': { uid: 1000 } }))?.why).toBe('its parent /usr is owned by uid 1000, not by root');
    expect(posixChainProblem(chain, rule, facts({ '/usr/bin': { mode: 0o40775 } }))?.why).toBe('its parent /usr/bin is writable by its group');
    const tmp = pathChain('/tmp/py/python3', 'linux');
    expect(posixChainProblem(tmp, rule, facts({ '/tmp': { mode: 0o41777 } }))?.why).toBe('its parent /tmp is writable by its group and everyone');
    // The shims' rule lets a sticky parent be open; a program's may not (a pyvenv.cfg could be added).
    expect(posixChainProblem(tmp, { ...rule, stickyParents: true }, facts({ '/tmp': { mode: 0o41777 } }))).toBeUndefined();
  });

  it('writable by the current user anyway (an ACL): not the machine\'s alone', () => {
    expect(posixChainProblem(chain, rule, facts(), (p) => p === '/usr/bin')?.why).toBe('its parent /usr/bin is writable by you');
  });
});

describe('Windows: a machine program is the administrators\' alone, up the tree', () => {
  const ME = 'S-1-5-21-1-2-3-1001';
  const [TI, AUTH, FULL, RX] = [TRUSTED_INSTALLER, AUTHENTICATED_USERS, FILE_ALL_ACCESS, READ_EXECUTE];
  const admin = (): SecurityFacts => ({ owner: TI, dacl: [allow(SYSTEM, FULL), allow(ADMINS, FULL), allow(USERS, RX)] });
  // C:\ as Windows ships it: Authenticated Users may create folders (AppendData) on the root itself.
  const driveRoot = (): SecurityFacts => ({ owner: TI, dacl: [...admin().dacl!, allow(AUTH, 0x4), allow(AUTH, 0x1301bf, 0xb)] });
  const chain = pathChain('C:\\Program Files\\Python312\\python.exe', 'win32');
  const machine = (over: Record<string, SecurityFacts> = {}) => (path: string) => over[path] ?? (path === 'C:\\' ? driveRoot() : admin());

  it('Program Files as installed for all users: nobody else can change it (C:\\ letting users add folders changes nothing below)', () => {
    expect(chain).toEqual(['C:\\Program Files\\Python312\\python.exe', 'C:\\Program Files\\Python312', 'C:\\Program Files', 'C:\\']);
    expect(windowsChainProblem(chain, machine())).toBeUndefined();
  });

  it("a per-user install (the user owns it), users writing the program's folder, or adding files beside its folder: refused", () => {
    const user = pathChain('C:\\Users\\me\\AppData\\Local\\Programs\\Python\\Python312\\python.exe', 'win32');
    const mine = (path: string): SecurityFacts => (path.startsWith('C:\\Users\\me') ? { owner: ME, dacl: [allow(ME, FULL)] } : path === 'C:\\' ? driveRoot() : admin());
    expect(windowsChainProblem(user, mine)?.why).toBe(`${user[0]} is owned by ${ME}, not Administrators, SYSTEM or TrustedInstaller`);
    const usersWrite = { 'C:\\Program Files\\Python312': { owner: ADMINS, dacl: [...admin().dacl!, allow(USERS, 0x2)] } };
    expect(windowsChainProblem(chain, machine(usersWrite))?.why).toBe('S-1-5-32-545 (Users) can write C:\\Program Files\\Python312');
    const python = pathChain('C:\\Python312\\python.exe', 'win32');
    const addFiles = { 'C:\\': { owner: TI, dacl: [...admin().dacl!, allow(AUTH, 0x2)] } };
    expect(windowsChainProblem(python, machine(addFiles))?.why).toBe('S-1-5-11 (Authenticated Users) can write C:\\');
    // Further up, only rights that replace what is below count.
    const deep = pathChain('C:\\Tools\\Python\\bin\\python.exe', 'win32');
    expect(windowsChainProblem(deep, machine({ 'C:\\Tools': { owner: ADMINS, dacl: [...admin().dacl!, allow(USERS, 0x2)] } }))).toBeUndefined();
    expect(windowsChainProblem(deep, machine({ 'C:\\Tools': { owner: ADMINS, dacl: [...admin().dacl!, allow(USERS, 0x40)] } }))?.why).toBe('S-1-5-32-545 (Users) can write C:\\Tools');
  });

  it('no DACL, or permissions that cannot be read: refused', () => {
    expect(windowsChainProblem(chain, machine({ [chain[0]!]: { owner: ADMINS, dacl: null } }))?.why).toContain('S-1-1-0 (Everyone) can write');
    const failing = (path: string): SecurityFacts => {
      if (path === chain[1]) throw new Error('GetNamedSecurityInfoW failed: 5');
      return admin();
    };
    expect(windowsChainProblem(chain, failing)?.why).toBe(`the permissions of ${chain[1]} cannot be read (GetNamedSecurityInfoW failed: 5)`);
  });
});

describe('the one predicate: inside allowed-roots, or a machine program', () => {
  const links: Record<string, string> = { '/roots/link': '/home/me/py/python3', '/usr/bin/python3': '/usr/bin/python3.11' };
  const machineOnly = new Set(['/usr/bin/python3.11', '/opt/venv']);
  const facts: ProgramFacts = {
    canonical: (p) => links[p] ?? p,
    roots: ['/roots'],
    platform: 'linux',
    adminOnlyProblem: (real) => (machineOnly.has(real) ? undefined : `${real} is owned by uid 1000, not by root`),
  };

  it('inside the roots, or the machine\'s (links followed): allowed', () => {
    expect(mayRunProgram({ origin: '--python /roots/py/bin/python', path: '/roots/py/bin/python' }, facts)).toMatchObject({ allowed: true, how: 'inside allowed-roots' });
    expect(mayRunProgram({ origin: 'UV_PYTHON=/usr/bin/python3', path: '/usr/bin/python3' }, facts)).toMatchObject({ allowed: true, how: 'machine program', real: '/usr/bin/python3.11' });
  });

  it('a link inside the roots leading out to a user\'s program: refused, naming both', () => {
    const request = { origin: '--python /roots/link', path: '/roots/link' };
    const verdict = mayRunProgram(request, facts);
    expect(verdict).toMatchObject({ allowed: false, why: 'outside', real: '/home/me/py/python3' });
    if (verdict.allowed) return;
    const { message, hint } = programRefusal(request, verdict, '/roots', 'linux');
    expect(message).toBe('--python /roots/link names the program /roots/link, which resolves to /home/me/py/python3, which lies outside allowed-roots (/roots) and is not a machine program (/home/me/py/python3 is owned by uid 1000, not by root)');
    expect(hint).toContain('`--python 3.12`');
  });

  it('a machine interpreter run in a virtual environment outside the roots: the environment is judged too', () => {
    const request = { origin: '--python /home/me/venv/bin/python', path: '/usr/bin/python3', alsoRuns: ['/home/me/venv'] };
    expect(mayRunProgram(request, facts)).toMatchObject({ allowed: false, path: '/home/me/venv' });
    expect(mayRunProgram({ ...request, alsoRuns: ['/opt/venv'] }, facts)).toMatchObject({ allowed: true });
  });

  it("a repository's file naming a program inside the repository: refused even inside the roots", () => {
    const request = { origin: '/roots/repo/.python-version:1', path: '/roots/repo/tools/python', repository: '/roots/repo' };
    const verdict = mayRunProgram(request, facts);
    expect(verdict).toMatchObject({ allowed: false, why: 'repository' });
    if (!verdict.allowed) expect(programRefusal(request, verdict, '/roots', 'linux').hint).toContain('safe-directories');
  });

  it('Windows path shapes: case and separators do not matter; another drive is outside', () => {
    const win: ProgramFacts = { canonical: (p) => p, roots: ['C:\\Roots'], platform: 'win32', adminOnlyProblem: (real) => (real.startsWith('C:\\Program Files\\') ? undefined : 'not the administrators\' alone') };
    expect(mayRunProgram({ origin: '-p', path: 'c:\\roots\\py\\python.exe' }, win)).toMatchObject({ allowed: true, how: 'inside allowed-roots' });
    expect(mayRunProgram({ origin: '-p', path: 'C:\\Program Files\\Python312\\python.exe' }, win)).toMatchObject({ allowed: true, how: 'machine program' });
    expect(mayRunProgram({ origin: '-p', path: 'D:\\Roots\\python.exe' }, win)).toMatchObject({ allowed: false });
    expect(mayRunProgram({ origin: '-p', path: 'C:\\Roots-evil\\python.exe' }, win)).toMatchObject({ allowed: false });
    expect(mayRunProgram({ origin: '-p', path: '\\\\server\\share\\python.exe' }, win)).toMatchObject({ allowed: false });
  });
});

describe('which commands read UV_PYTHON, held against the real uv', () => {
  it("every command whose --python help says `[env: UV_PYTHON=]`, and only those (uv's clap definitions)", async () => {
    const nodes = [...argvTables().valueOptions].filter(([, options]) => options.has('--python')).map(([node]) => node);
    expect(nodes.length).toBeGreaterThan(20);
    for (const node of nodes) {
      const help = (await execa(getUv(), [...node.split(' '), '--help'], { reject: false })).stdout;
      const block = /^\s+(?:-p, )?--python <[^\n]*(?:\n {10,}[^\n]*)*/m.exec(help)?.[0] ?? '';
      expect(block, node).not.toBe('');
      expect(readsUvPython(node.split(' ')), node).toBe(/\[env:\s+UV_PYTHON=\]/.test(block));
    }
  });
});
