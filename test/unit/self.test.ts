import { describe, expect, it } from 'vitest';
import { invokedAsFromPath } from '../../src/context.js';
import { isVirtualPath, selfIdentity, type ProcessFacts } from '../../src/launch/self.js';

const npm: ProcessFacts = {
  argv: ['/usr/bin/node', '/home/me/.local/bin/uv', 'sync'],
  execPath: '/usr/bin/node',
  filename: '/usr/lib/node_modules/uvx-safe/dist/uvx-safe.cjs',
  platform: 'linux',
  standalone: false,
};

describe('selfIdentity', () => {
  it('npm form: named by the script node runs, and both script and bundle are ours', () => {
    const self = selfIdentity(npm);
    expect(self).toEqual({
      form: 'npm',
      namePath: '/home/me/.local/bin/uv',
      launcherPath: '/home/me/.local/bin/uv',
      files: ['/home/me/.local/bin/uv', '/usr/lib/node_modules/uvx-safe/dist/uvx-safe.cjs'],
    });
    expect(invokedAsFromPath(self.namePath, 'linux')).toBe('uv');
  });

  it('standalone (Linux): named by the executable file, argv[1] is virtual and never a file of ours', () => {
    const self = selfIdentity({
      argv: ['bun', '/$bunfs/root/uvx-safe-linux-x64', '--version'],
      execPath: '/opt/tools/uvx',
      filename: '/build/dist/uvx-safe.cjs',
      platform: 'linux',
      standalone: true,
    });
    expect(self).toEqual({ form: 'standalone', namePath: '/opt/tools/uvx', launcherPath: '/opt/tools/uvx', files: ['/opt/tools/uvx'] });
    expect(invokedAsFromPath(self.namePath, 'linux')).toBe('uvx');
  });

  it('standalone (Windows): a copy named UV.EXE is the uv shim, even without the build flag', () => {
    const self = selfIdentity({
      argv: ['bun', 'B:\\~BUN\\root\\uvx-safe-win-x64.exe', 'tool', 'dir'],
      execPath: 'C:\\Program Files\\uvx-safe\\UV.EXE',
      filename: 'B:\\~BUN\\root\\uvx-safe-win-x64.exe',
      platform: 'win32',
      standalone: false,
    });
    expect(self.form).toBe('standalone');
    expect(invokedAsFromPath(self.namePath, 'win32')).toBe('uv');
  });

  // The edges mutation testing found unguarded (docs/design.md "Testing").
  it('npm form without a script (node -e): named by the bundle; an empty or virtual name is never a file of ours', () => {
    expect(selfIdentity({ ...npm, argv: ['/usr/bin/node'] })).toMatchObject({ form: 'npm', namePath: npm.filename, files: [npm.filename, npm.filename] });
    expect(selfIdentity({ ...npm, argv: ['/usr/bin/node', ''] }).files).toEqual([npm.filename]);
    expect(selfIdentity({ ...npm, filename: '/$bunfs/root/uvx-safe.cjs' })).toMatchObject({ form: 'npm', files: ['/home/me/.local/bin/uv'] });
  });

  it('recognises the virtual paths of a Bun executable only', () => {
    expect(isVirtualPath('D:\\work\\C:\\~BUN\\x')).toBe(false);
    expect(isVirtualPath('/$bunfs/root/x')).toBe(true);
    expect(isVirtualPath('B:\\~BUN\\root\\x.exe')).toBe(true);
    expect(isVirtualPath('/usr/lib/node_modules/uvx-safe/bin/uvx-safe')).toBe(false);
    expect(isVirtualPath('C:\\~BUNDLE\\x')).toBe(false);
  });
});

describe('versionLine', () => {
  it('names the runtime and the form', async () => {
    const { versionLine } = await import('../../src/version.js');
    expect(versionLine({ form: 'npm', node: 'v20.20.2' }, '0.1.0')).toBe('uvx-safe 0.1.0 (Node v20.20.2, npm package)');
    expect(versionLine({ form: 'standalone', bun: '1.4.5', node: 'v26.3.0' }, '0.1.0')).toBe(
      'uvx-safe 0.1.0 (Bun 1.4.5, standalone executable)',
    );
  });
});
