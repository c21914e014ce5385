// The relocation plan of an admin policy for the unit tests: `uv sync` in /dev/app on Linux, paths
// taken as canonical unless a test says otherwise.
import { fileLayer } from '../../src/config/layers.js';
import { mergeLayers } from '../../src/config/merge.js';
import type { HostInfo } from '../../src/platform/dirs.js';
import { planRelocation, type PlanInput, type RelocationPlan } from '../../src/relocate/plan.js';
import type { LocationFlag } from '../../src/uv/argv.js';
import { parsedArgs } from './parsed-args.js';

export const ADMIN = '/etc/uvx-safe/config.toml';
export const linux: HostInfo = { platform: 'linux', env: {}, home: '/home/me', user: 'me' };
export const ENFORCE = 'mode = "enforce"\nallowed-roots = ["/dev"]';
export const WITH_DATA_ROOT = `${ENFORCE}\ndata-root = "/dev/uv"`;

export function planOf(toml: string, over: Partial<PlanInput> = {}): RelocationPlan {
  const config = mergeLayers([fileLayer(toml, ADMIN, 'admin')]);
  return planRelocation({ config, args: parsedArgs(), host: linux, cwd: '/dev/app', canonical: (p) => p, ...over });
}

/** A location flag as the parser lists it. */
export const locationFlag = (kind: LocationFlag['kind'], name: string, value: string | undefined, index = 1): LocationFlag =>
  ({ kind, flag: name, value, index }) as LocationFlag;
