// The real uv clients for end-to-end tests: one venv per client (each with its own uv from the
// `uv` package), made once per test file from the wheels the set-up downloaded into .cache/.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { CLIENTS, ensureClientWheels, makeClientVenv, type ClientName } from '../setup/clients.js';
import { CACHE_DIR, LAUNCHER } from './paths.js';
import { skipOrFail } from './system-tools.js';
import { explain, getPython, getUv, runProgram, type RunResult } from './uv.js';
import { makeTempDir } from './workspace.js';

export interface ClientVenvs {
  /** The venv of `client`; skips the test (fails in CI) when the clients could not be installed. */
  venv(ctx: { skip: (note?: string) => void }, client: ClientName): string;
  /** The folder of the clients' wheels, for --find-links. */
  wheels: () => string;
}

/** beforeAll: download (once) and install the clients; afterAll: delete their venvs. */
export function useClientVenvs(clients: readonly ClientName[] = Object.keys(CLIENTS) as ClientName[]): ClientVenvs {
  let root: string | undefined;
  let wheels: string | undefined;
  let unavailable: string | undefined;
  const venvs = new Map<ClientName, string | { error: string }>();
  const firstLine = (err: unknown) => (err as Error).message.split('\n')[0];

  beforeAll(async () => {
    try {
      wheels = await ensureClientWheels(CACHE_DIR, getPython());
    } catch (err) {
      unavailable = `the uv clients' wheels could not be downloaded from PyPI: ${firstLine(err)}`;
      return;
    }
    root = await makeTempDir('uvx-safe-clients-');
    const uvCache = path.join(root, 'uv-cache');
    for (const client of clients) {
      try {
        venvs.set(client, await makeClientVenv(client, root, { uv: getUv(), python: getPython(), wheels, uvCache }));
      } catch (err) {
        venvs.set(client, { error: `${client} could not be installed: ${firstLine(err)}` });
      }
    }
  }, 600_000);

  afterAll(async () => {
    if (root) await fs.promises.rm(root, { recursive: true, force: true });
  });

  return {
    venv(ctx, client) {
      if (unavailable) skipOrFail(ctx, unavailable);
      const venv = venvs.get(client);
      if (!venv) throw new Error(`useClientVenvs(): ${client} was not asked for`);
      if (typeof venv !== 'string') skipOrFail(ctx, venv.error);
      return venv;
    },
    wheels: () => wheels ?? '',
  };
}

export function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** sha256 of the venv's bin/uv and bin/uvx. */
export function uvChecksums(venv: string): Record<string, string> {
  return Object.fromEntries(['uv', 'uvx'].map((name) => [name, sha256(path.join(venv, 'bin', name))]));
}

/** Runs `uvx-safe safe shims install|uninstall --venv venv` (with this Node) and expects success. */
export async function shimsVenv(action: 'install' | 'uninstall', venv: string, env: Record<string, string | undefined>): Promise<RunResult> {
  const r = await runProgram(process.execPath, [LAUNCHER, 'safe', 'shims', action, '--venv', venv], { env });
  expect(r.exitCode, explain(r)).toBe(0);
  return r;
}

/** Every entry under `dir` with its size and modification time: what a run wrote there. */
export function snapshotTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = path.join(rel, entry.name);
      const st = fs.lstatSync(path.join(dir, child));
      out.push(entry.isDirectory() ? `${child}/` : `${child} ${st.size} ${st.mtimeMs}`);
      if (entry.isDirectory()) walk(child);
    }
  };
  walk('');
  return out.sort();
}
