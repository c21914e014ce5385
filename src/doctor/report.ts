// Facts -> checks -> output: one aligned line per check (ok / warn / FAIL), or the JSON report.
// Pure.

import { describeSource } from './source.js';
import type { Check, DoctorReport, LocationFacts, PolicyFacts, ProjectFacts, Status, UvFacts } from './types.js';

export function policyChecks(policy: PolicyFacts): Check[] {
  const checks: Check[] = [];
  const found = policy.layers.filter((l) => l.exists);
  const layers = found.length
    ? found.map((l) => (l.layer === 'env' ? 'UVX_SAFE_* variables' : `${l.layer} ${l.path}`)).join('; ')
    : `no config found (admin ${policy.adminFile}, user ${policy.userFile}): uv runs unchanged`;
  checks.push({ id: 'policy.layers', label: 'layers', status: 'ok', message: layers });
  checks.push({ id: 'policy.mode', label: 'mode', status: 'ok', message: `${policy.mode.value} (${describeSource(policy.mode.source)})` });
  checks.push({
    id: 'policy.allowed-roots',
    label: 'allowed-roots',
    status: 'ok',
    message: policy.allowedRoots
      ? `${policy.allowedRoots.value.join(', ')} (${describeSource(policy.allowedRoots.source)})`
      : 'none: no location is checked',
  });
  policy.skippedRoots.forEach((root, i) =>
    checks.push({
      id: `policy.allowed-roots.absent.${i}`,
      label: 'allowed-roots',
      status: 'warn',
      message: `${root} (optional${policy.allowedRoots ? `, ${describeSource(policy.allowedRoots.source)}` : ''}) does not exist on this machine: skipped; uv may not write or run programs there`,
    }),
  );
  checks.push({
    id: 'policy.data-root',
    label: 'data-root',
    status: 'ok',
    message: policy.dataRoot
      ? `${policy.dataRoot.value} (${describeSource(policy.dataRoot.source)})`
      : 'not set: locations stay where uv or [locations] put them',
  });
  checks.push(overriddenCheck(policy));
  policy.warnings.forEach((message, i) => checks.push({ id: `policy.warning.${i}`, label: 'policy', status: 'warn', message }));
  policy.refusals.forEach((message, i) =>
    checks.push({ id: `policy.refusal.${i}`, label: 'policy', status: 'fail', message: `uv would be refused: ${message}` }),
  );
  return checks;
}

/** Always reported: whether a variable tried to replace or loosen the admin's file (config/override.ts). */
function overriddenCheck(policy: PolicyFacts): Check {
  const id = 'policy.overridden';
  const label = 'admin policy';
  if (policy.overrides.length === 0) return { id, label, status: 'ok', message: 'not overridden' };
  const said = policy.overrides.map((o) => `${o.variable} ${o.attempt}`).join('; ');
  const { adminFile } = policy.overrides[0]!;
  const undo = policy.overrides.map((o) => o.undo).join(', ');
  return policy.mode.value === 'enforce'
    ? { id, label, status: 'fail', message: `${said}: uv would be refused (mode = enforce); ${undo}: the admin's policy at ${adminFile} applies` }
    : { id, label, status: 'warn', message: `${said}: ignored, the admin's policy at ${adminFile} applies; ${undo}` };
}

export function uvChecks(uv: UvFacts): Check[] {
  if (!uv.path) return [{ id: 'uv.path', label: 'uv', status: 'fail', message: uv.error ?? 'not found' }];
  const versionProblem = uv.version === null;
  const checks: Check[] = [
    {
      id: 'uv.path',
      label: 'uv',
      status: versionProblem ? 'fail' : 'ok',
      message: `${uv.path} (${uv.origin})${uv.version ? `, uv ${uv.version}` : `: ${uv.error}`}`,
    },
  ];
  if (uv.required !== null && uv.version !== null) {
    const from = uv.requiredSource ? ` (${describeSource(uv.requiredSource)})` : '';
    checks.push({
      id: 'uv.version',
      label: 'uv-version',
      status: uv.satisfies ? 'ok' : 'fail',
      message: uv.satisfies ? `uv ${uv.version} satisfies "${uv.required}"${from}` : `${uv.error}${from}`,
    });
  }
  return checks;
}

export function locationCheck(loc: LocationFacts): Check {
  const facts: string[] = [];
  if (loc.insideAllowedRoots === true) facts.push('inside allowed-roots');
  if (loc.created) facts.push('created');
  else if (!loc.exists) facts.push(`does not exist yet${loc.probedFolder ? `, probed ${loc.probedFolder}` : ''}`);
  if (loc.writable === true) facts.push('writable');
  if (loc.canRun === true) facts.push('programs run');
  const said = [loc.problems.join('; '), facts.join(', ')].filter(Boolean).join('; ');
  return {
    id: `location.${loc.name}`,
    label: loc.name,
    status: loc.status,
    message: `${loc.path}: ${said} [${describeSource(loc.source)}]`,
  };
}

export function projectCheck(project: ProjectFacts): Check {
  return {
    id: 'project.root',
    label: 'project',
    status: 'ok',
    message: project.root ?? 'no pyproject.toml from the working folder up',
  };
}

export function overallStatus(checks: readonly Check[]): Status {
  if (checks.some((c) => c.status === 'fail')) return 'fail';
  return checks.some((c) => c.status === 'warn') ? 'warn' : 'ok';
}

export function exitCodeFor(status: Status): 0 | 1 {
  return status === 'fail' ? 1 : 0;
}

const SHOWN: Record<Status, string> = { ok: 'ok', warn: 'warn', fail: 'FAIL' };

/** One line per check: status, label and message in aligned columns. */
export function renderHuman(report: Pick<DoctorReport, 'checks' | 'status'>): string {
  const width = Math.max(...report.checks.map((c) => c.label.length));
  const lines = report.checks.map((c) => `${SHOWN[c.status].padEnd(4)}  ${c.label.padEnd(width)}  ${c.message}`);
  const verdict =
    report.status === 'fail' ? 'uv would fail: see the FAIL lines' : report.status === 'warn' ? 'uv would run, with warnings' : 'all is well';
  return `${lines.join('\n')}\n${verdict}\n`;
}

export function renderJson(report: DoctorReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
