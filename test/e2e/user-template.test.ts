// `{user}` is the logon name the OS reports for the process (issue 14 item 2): never USER, USERNAME
// or LOGNAME, which anyone can set (`USERNAME=..` made the data root the shared root itself,
// `USER=other` another user's folder). Every shipped form: Node asks getpwuid, Bun's own
// os.userInfo() would read USER, so the standalone executable asks libc itself.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launcherForms } from '../helpers/forms.js';
import { expectRefused, policySandbox, writeLines, type PolicySandbox } from '../helpers/refusal.js';
import { needTool } from '../helpers/system-tools.js';
import { explain, runLauncher, runProgram } from '../helpers/uv.js';

/** The name getpwuid gives this test's uid (Node's os.userInfo() on POSIX). */
const logonName = os.userInfo().username;

let box: PolicySandbox;
beforeAll(async () => {
  box = await policySandbox('uvx-safe-user-');
  writeLines(box.adminFile, ['mode = "enforce"', `allowed-roots = ["${box.allowed}"]`, `data-root = "${box.allowed}/{user}/uv"`]);
});
afterAll(() => fs.promises.rm(box.root, { recursive: true, force: true }));

describe.each(launcherForms().map((form) => ({ form, name: form.name })))('$name form', ({ form }) => {
  it.each([
    ['USER=other', { USER: 'other' }],
    ['USERNAME=..', { USERNAME: '..' }],
    ['USER=.. USERNAME=.. LOGNAME=..', { USER: '..', USERNAME: '..', LOGNAME: '..' }],
    ['no USER at all', {}],
  ])('%s leaves {user} the uid\'s own name', async (_what, vars) => {
    const r = await runLauncher(['cache', 'dir'], { env: { ...box.env, ...vars }, form });
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stdout.trim(), explain(r)).toBe(path.join(box.allowed, logonName, 'uv', 'cache'));
  });

  it('a uid with no name is refused naming {user}, even with USER set; nothing is created', async (ctx) => {
    needTool(ctx, 'setpriv', 'util-linux');
    const uid = 4242; // no passwd entry on the test machine
    fs.chmodSync(box.root, 0o755);
    for (const dir of fs.readdirSync(box.root)) fs.chmodSync(path.join(box.root, dir), 0o755);
    const before = fs.readdirSync(box.allowed, { recursive: true });
    const [file, args] = form.command(['cache', 'dir']);
    const env = { ...box.env, USER: 'other', UVX_SAFE_UV: '/bin/false' };
    const r = await runProgram('setpriv', ['--reuid', String(uid), '--regid', String(uid), '--clear-groups', file, ...args], { env, cwd: box.root });
    expectRefused(r, `${box.adminFile}:3:1: data-root: {user}: the logon name of this process cannot be read (`, 'write the path without {user}');
    expect(fs.readdirSync(box.allowed, { recursive: true })).toEqual(before);
  });
});
