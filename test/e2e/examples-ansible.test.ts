// The Ansible example (examples/ansible/collect-doctor.yml, issue 18), run for real with ansible-core
// (from PyPI, into the test cache) against localhost: it keeps each host's doctor report, a failing
// one too, prints the fleet summary, and fails the host whose doctor cannot report.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../src/doctor/types.js';
import { ensureAnsible, type Ansible } from '../setup/ansible.js';
import { CACHE_DIR, REPO_ROOT } from '../helpers/paths.js';
import { fleetPolicies } from '../helpers/fleet-policies.js';
import { writeLines, type PolicySandbox } from '../helpers/refusal.js';
import { explain, getPython, getUv, LAUNCHER, runProgram } from '../helpers/uv.js';
import { skipOrFail } from '../helpers/system-tools.js';

const EXAMPLES = path.join(REPO_ROOT, 'examples');
const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

let box: PolicySandbox;
let clean: string;
let failing: string;

beforeAll(async () => {
  ({ box, clean, failing } = await fleetPolicies('uvx-safe-ansible-'));
});
afterAll(() => fs.rmSync(box.root, { recursive: true, force: true }));

describe('collect-doctor.yml with ansible-core against localhost', () => {
  let ansible: Ansible | undefined;
  let unavailable: string | undefined;
  beforeAll(async () => {
    try {
      ansible = await ensureAnsible(CACHE_DIR, getPython());
    } catch (err) {
      unavailable = `ansible-core could not be installed from PyPI: ${(err as Error).message}`;
    }
  }, 300_000);

  const play = async (ctx: { skip: (note?: string) => void }, policy: string, reports: string) => {
    if (unavailable || !ansible) skipOrFail(ctx, unavailable ?? 'no ansible-core');
    const home = path.join(box.root, 'ansible-home');
    fs.mkdirSync(home, { recursive: true });
    const env = {
      PATH: `${path.dirname(getUv())}:/usr/bin:/bin`,
      HOME: home,
      LANG: 'C.UTF-8',
      PYTHONPATH: ansible!.lib,
      ANSIBLE_PYTHON_INTERPRETER: getPython(),
      ANSIBLE_NOCOLOR: '1',
      UVX_SAFE_SYSTEM_CONFIG: policy,
    };
    const args = [ansible!.playbook, '-i', 'localhost,', '-c', 'local', '-e', `uvx_safe_launcher=${LAUNCHER}`, '-e', `uvx_safe_reports=${reports}`];
    return runProgram(getPython(), [...args, path.join(EXAMPLES, 'ansible', 'collect-doctor.yml')], { env, cwd: home, timeoutMs: 120_000 });
  };

  it('keeps each host report (a failing one too: exit 1 is a report) and prints the summary', async (ctx) => {
    for (const [policy, status] of [[clean, /^(ok|warn)$/], [failing, /^fail$/]] as const) {
      const reports = path.join(box.root, `reports-${path.basename(policy, '.toml')}`);
      const r = await play(ctx, policy, reports);
      expect(r.exitCode, explain(r)).toBe(0);
      expect(r.stdout, explain(r)).toMatch(/localhost\s+: ok=5 .* failed=0/);
      const report = JSON.parse(fs.readFileSync(path.join(reports, 'localhost.json'), 'utf8')) as DoctorReport;
      expect(report.schemaVersion).toBe(2);
      expect(report.status).toMatch(status);
      expect(report.policy.layers[0]).toMatchObject({ layer: 'admin', path: policy, sha256: sha256(policy) });
      // The summary task ran summarize.py over the reports folder: the host's line is in the output.
      expect(r.stdout).toContain(`${report.host},${report.user},${report.time},${report.status},${report.exitCode},enforce,`);
    }
  }, 300_000);

  it('fails the host when doctor cannot report (exit 2: a broken policy)', async (ctx) => {
    const broken = path.join(box.root, 'broken.toml');
    writeLines(broken, ['mode = "bogus"']);
    const r = await play(ctx, broken, path.join(box.root, 'reports-broken'));
    expect(r.exitCode, explain(r)).not.toBe(0);
    expect(r.stdout, explain(r)).toMatch(/localhost\s+: ok=1 .* failed=1/);
    expect(fs.existsSync(path.join(box.root, 'reports-broken', 'localhost.json'))).toBe(false);
  }, 300_000);
});
