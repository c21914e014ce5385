// The examples in examples/ (issue 18), each tested where it can be: the Intune PowerShell pair parsed
// with the tree-sitter PowerShell grammar (PowerShell itself is not to be had on the test machines:
// no Debian package, and its release archive lies outside the package registries they reach), the
// fleet summary fed real doctor reports. The Ansible playbook: examples-ansible.test.ts.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Language, Parser, type Node } from 'web-tree-sitter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../src/doctor/types.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { fleetPolicies } from '../helpers/fleet-policies.js';
import type { PolicySandbox } from '../helpers/refusal.js';
import { explain, getPython, runLauncher, runProgram, type RunResult } from '../helpers/uv.js';

const EXAMPLES = path.join(REPO_ROOT, 'examples');
const SUMMARIZE = path.join(EXAMPLES, 'fleet', 'summarize.py');
const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

let powershell: Parser;
beforeAll(async () => {
  await Parser.init();
  const wasm = createRequire(__filename).resolve('tree-sitter-powershell/tree-sitter-powershell.wasm');
  powershell = new Parser();
  powershell.setLanguage(await Language.load(wasm));
});

/** Syntax errors of a PowerShell script: the grammar's ERROR and MISSING nodes, with their lines. */
function syntaxErrors(text: string): string[] {
  const errors: string[] = [];
  const walk = (node: Node) => {
    if (node.type === 'ERROR' || node.isMissing) errors.push(`line ${node.startPosition.row + 1}: ${node.isMissing ? `missing ${node.type}` : JSON.stringify(node.text.slice(0, 60))}`);
    for (const child of node.children) if (child) walk(child);
  };
  walk(powershell.parse(text)!.rootNode);
  return errors;
}

/** The member names a script reads (`$report.shims` -> shims), PowerShell's own (Count) left out. */
function memberNames(text: string): string[] {
  const names = new Set<string>();
  const walk = (node: Node) => {
    if (node.type === 'member_name' && node.text !== 'Count') names.add(node.text);
    for (const child of node.children) if (child) walk(child);
  };
  walk(powershell.parse(text)!.rootNode);
  return [...names];
}

/** Every property name docs/doctor.schema.json describes, at any depth. */
function schemaPropertyNames(): Set<string> {
  const names = new Set<string>();
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      const properties = (value as { properties?: Record<string, unknown> }).properties;
      if (properties) for (const name of Object.keys(properties)) names.add(name);
      Object.values(value).forEach(walk);
    }
  };
  walk(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'docs', 'doctor.schema.json'), 'utf8')));
  return names;
}

describe('the Intune remediation pair', () => {
  const scripts = ['detect.ps1', 'remediate.ps1'].map((name) => path.join(EXAMPLES, 'intune', name));

  it.each(scripts)('%s parses without a syntax error', (file) => {
    expect(syntaxErrors(fs.readFileSync(file, 'utf8'))).toEqual([]);
  });

  it('the parse check catches a broken script', () => {
    const text = fs.readFileSync(scripts[0]!, 'utf8');
    expect(syntaxErrors(text.replace('exit 1\n}', 'exit 1\n'))).not.toEqual([]);
    expect(syntaxErrors(text.replace("-ne 1) {", '-ne 1 {'))).not.toEqual([]);
  });

  it('detect.ps1 runs the launcher with safe doctor --json and reads only fields the schema has', () => {
    const text = fs.readFileSync(scripts[0]!, 'utf8');
    expect(text).toContain('& $Launcher safe doctor --json');
    expect(text).toContain('$doctorExit -eq 1 -or $staleDirs.Count -gt 0');
    const read = memberNames(text);
    expect(read).toEqual(expect.arrayContaining(['checks', 'status', 'shims', 'stale', 'dir', 'launcher', 'version', 'host']));
    const known = schemaPropertyNames();
    expect(read.filter((name) => !known.has(name))).toEqual([]);
  });

  it('remediate.ps1 reinstalls the shims with safe shims install --dir', () => {
    const text = fs.readFileSync(scripts[1]!, 'utf8');
    expect(text).toContain('& $Launcher safe shims install --dir $ShimDir');
    expect(memberNames(text)).toEqual([]);
  });
});

describe('the fleet summary, on real doctor reports', () => {
  let box: PolicySandbox;
  let clean: string;
  let failing: string;

  beforeAll(async () => {
    ({ box, clean, failing } = await fleetPolicies('uvx-safe-examples-'));
  });
  afterAll(() => fs.rmSync(box.root, { recursive: true, force: true }));

  const doctor = async (policy: string): Promise<[string, DoctorReport]> => {
    const r = await runLauncher(['safe', 'doctor', '--json'], { env: { ...box.env, UVX_SAFE_SYSTEM_CONFIG: policy } });
    expect([0, 1], explain(r)).toContain(r.exitCode);
    const file = path.join(box.root, `${path.basename(policy, '.toml')}.json`);
    fs.writeFileSync(file, r.stdout);
    return [file, JSON.parse(r.stdout) as DoctorReport];
  };
  const summarize = (args: string[], input?: string): Promise<RunResult> =>
    runProgram(getPython(), [SUMMARIZE, ...args], { env: { PATH: '/usr/bin:/bin', HOME: box.env.HOME }, input });
  const rows = (r: RunResult) => {
    expect(r.exitCode, explain(r)).toBe(0);
    const [header, ...lines] = r.stdout.trim().split('\n');
    return lines.map((line) => Object.fromEntries(header!.split(',').map((key, i) => [key, line.split(',')[i]])));
  };

  it('summarize.py: one row per report, every column from the report and the files', async () => {
    const [cleanFile, cleanReport] = await doctor(clean);
    const [failingFile] = await doctor(failing);
    const summary = rows(await summarize([cleanFile, failingFile]));
    expect(summary).toEqual([
      {
        host: cleanReport.host,
        user: cleanReport.user,
        time: cleanReport.time,
        status: cleanReport.status,
        exit: '0',
        mode: 'enforce',
        launcher_version: cleanReport.launcher.version,
        launcher_form: 'npm',
        launcher_sha256: sha256(path.join(REPO_ROOT, 'dist', 'uvx-safe.cjs')),
        admin_policy: clean,
        admin_policy_sha256: sha256(clean),
        failing_checks: '',
        stale_shims: '',
        overrides: '',
      },
      expect.objectContaining({ status: 'fail', exit: '1', admin_policy: failing, admin_policy_sha256: sha256(failing), failing_checks: 'uv.version' }),
    ]);
    // Standard input, and a folder of reports, read the same.
    expect(rows(await summarize(['-'], fs.readFileSync(cleanFile, 'utf8')))).toEqual([summary[0]]);
    const folder = path.join(box.root, 'reports');
    fs.mkdirSync(folder);
    fs.copyFileSync(cleanFile, path.join(folder, 'a.json'));
    expect(rows(await summarize([folder]))).toEqual([summary[0]]);
  });

  it('summarize.py refuses what is not a doctor report of schema 2, naming the file', async () => {
    const bogus = path.join(box.root, 'bogus.json');
    fs.writeFileSync(bogus, JSON.stringify({ schemaVersion: 1 }));
    const r = await summarize([bogus]);
    expect(r.exitCode, explain(r)).toBe(1);
    expect(r.stderr).toContain(`${bogus}: not a doctor report: schemaVersion 1`);
  });
});
