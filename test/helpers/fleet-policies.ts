// Two admin policies for the fleet examples' doctor reports (examples.test.ts, examples-ansible.test.ts):
// one this machine passes, one it fails (a uv-version no uv has), in a policy sandbox of their own.
import path from 'node:path';
import { policySandbox, writeLines, type PolicySandbox } from './refusal.js';

export interface FleetPolicies {
  box: PolicySandbox;
  clean: string;
  failing: string;
}

export async function fleetPolicies(prefix: string): Promise<FleetPolicies> {
  const box = await policySandbox(prefix);
  const base = ['mode = "enforce"', `allowed-roots = ["${box.allowed}"]`, `data-root = "${box.allowed}/data"`];
  const clean = path.join(box.root, 'clean.toml');
  writeLines(clean, base);
  const failing = path.join(box.root, 'failing.toml');
  writeLines(failing, [...base, 'uv-version = ">=99"']);
  return { box, clean, failing };
}
