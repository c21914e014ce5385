// Issue 8, item 7: uv's credentials store is a location like the others. uv 0.13 writes
// credentials.toml.lock there on any index access; uvx-safe puts it under data-root (0700) unless the
// admin points it elsewhere. Real uv 0.13.9 against a 127.0.0.1 index that answers 404.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { explain, runLauncher, type SandboxEnv } from '../helpers/uv.js';
import { expectRefused, policySandbox, writeLines } from '../helpers/refusal.js';

let root: string;
let env: SandboxEnv;
let allowed: string;
let adminFile: string;
let server: http.Server;
let indexUrl: string;

const write = writeLines;

beforeEach(async () => {
  ({ root, env, allowed, adminFile } = await policySandbox('uvx-safe-cred-'));
  server = http.createServer((_req, res) => {
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  indexUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/simple`;
});
afterEach(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await fs.promises.rm(root, { recursive: true, force: true });
});

/** An index access: uv asks the 127.0.0.1 index for a package (not found, exit 1). */
async function touchIndex() {
  const req = path.join(root, 'req.in');
  fs.writeFileSync(req, 'nothing-here\n');
  // UV_OFFLINE off for this one call: the only network is the loopback index above.
  return runLauncher(['pip', 'compile', req, '--index-url', indexUrl], { env: { ...env, UV_OFFLINE: undefined }, cwd: allowed });
}

describe('credentials', () => {
  it('go under data-root, private, and not under the profile', async () => {
    write(adminFile, ['mode = "enforce"', `allowed-roots = ["${allowed}"]`, `data-root = "${allowed}/data"`]);
    const dir = await runLauncher(['auth', 'dir'], { env, cwd: allowed });
    expect(dir.exitCode, explain(dir)).toBe(0);
    expect(dir.stdout.trim()).toBe(path.join(allowed, 'data', 'credentials'));

    const r = await touchIndex();
    expect(r.stderr, explain(r)).toContain('not found in the package registry');
    expect(fs.existsSync(path.join(allowed, 'data', 'credentials', 'credentials.toml.lock')), explain(r)).toBe(true);
    expect(fs.statSync(path.join(allowed, 'data', 'credentials')).mode & 0o777).toBe(0o700);
    expect(fs.existsSync(path.join(env.XDG_DATA_HOME, 'uv'))).toBe(false);
  });

  it('an admin may point them back at the profile', async () => {
    const profile = path.join(env.XDG_DATA_HOME, 'uv', 'credentials');
    write(adminFile, ['mode = "enforce"', `allowed-roots = ["${allowed}", "${env.XDG_DATA_HOME}"]`, `data-root = "${allowed}/data"`, '[locations]', `credentials = "${profile}"`]);
    const dir = await runLauncher(['auth', 'dir'], { env, cwd: allowed });
    expect(dir.exitCode, explain(dir)).toBe(0);
    expect(dir.stdout.trim()).toBe(profile);
  });

  it('an inherited UV_CREDENTIALS_DIR or PYX_CREDENTIALS_DIR outside allowed-roots is refused in enforce', async () => {
    write(adminFile, ['mode = "enforce"', `allowed-roots = ["${allowed}"]`, `data-root = "${allowed}/data"`]);
    const elsewhere = path.join(root, 'elsewhere');
    for (const variable of ['UV_CREDENTIALS_DIR', 'PYX_CREDENTIALS_DIR']) {
      const r = await runLauncher(['auth', 'dir'], { env: { ...env, [variable]: elsewhere }, cwd: allowed });
      expectRefused(r, `${variable}=${elsewhere} lies outside allowed-roots`, `unset ${variable}, or set it to a folder inside ${allowed}`);
    }
    expect(fs.existsSync(elsewhere)).toBe(false);
  });

  it('are listed by safe doctor', async () => {
    write(adminFile, ['mode = "enforce"', `allowed-roots = ["${allowed}"]`, `data-root = "${allowed}/data"`]);
    const r = await runLauncher(['safe', 'doctor'], { env, cwd: allowed });
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`ok\\s+credentials\\s+${path.join(allowed, 'data', 'credentials')}: inside allowed-roots`));
  });
});
