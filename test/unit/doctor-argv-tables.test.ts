// `safe doctor`'s warning when the real uv is newer than the newest uv the argv tables were checked against.
import { describe, expect, it } from 'vitest';
import { argvTablesCheck, ARGV_CHECK_COMMAND } from '../../src/doctor/argv-tables.js';
import { NEWEST_CHECKED_UV } from '../../src/uv/argv.js';

describe('argvTablesCheck', () => {
  it('says nothing for the newest checked uv, an older one, or an unknown version', () => {
    expect(argvTablesCheck(NEWEST_CHECKED_UV, '/usr/bin/uv')).toBeUndefined();
    expect(argvTablesCheck('0.13.9', '/usr/bin/uv', '0.13.9')).toBeUndefined();
    expect(argvTablesCheck('0.13.0', '/usr/bin/uv', '0.13.9')).toBeUndefined();
    expect(argvTablesCheck('0.9.30', '/usr/bin/uv', '0.13.9')).toBeUndefined();
    expect(argvTablesCheck(null, null, '0.13.9')).toBeUndefined();
    expect(argvTablesCheck('banana', '/usr/bin/uv', '0.13.9')).toBeUndefined();
  });

  it.each(['0.13.10', '0.14.0', '1.0.0', '0.14.0-rc1'])('warns, in one line, for uv %s after 0.13.9', (version) => {
    const check = argvTablesCheck(version, '/opt/uv/bin/uv', '0.13.9');
    expect(check).toEqual({
      id: 'uv.argv-tables',
      label: 'uv-argv',
      status: 'warn',
      message:
        `uv ${version} is newer than 0.13.9, the newest uv whose command line uvx-safe's argv tables were checked against; ` +
        'check it from a uvx-safe checkout: npm run argv:check -- /opt/uv/bin/uv',
    });
    expect(check!.message).not.toContain('\n');
  });

  it('names the script the repository has', async () => {
    const pkg = (await import('../../package.json')).default as { scripts: Record<string, string> };
    expect(ARGV_CHECK_COMMAND).toMatch(/^npm run argv:check -- /);
    expect(pkg.scripts['argv:check']).toBe('node scripts/check-argv.mjs');
  });
});
