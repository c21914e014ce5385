// `uvx-safe safe wheel --exe EXE --out DIR [--from WHEEL|INDEX] [--uv-version RANGE] [--revision N]`:
// builds the organisation's governed `uv` wheel (src/wheel/build.ts) from the real uv wheel, a file
// or the newest on an index (`--from`, else the policy's `uv-source`) for the executable's platform.

import fs = require('node:fs');
import os = require('node:os');
import path = require('node:path');
import type { Setting } from '../config/merge.js';
import { UsageError } from '../errors.js';
import type { LaunchContext } from '../context.js';
import { assertMayWrite } from '../launch/folders.js';
import { prepare } from '../launch/prepare.js';
import { makeDebug } from '../log.js';
import type { HostPlatform } from '../managed/wheel.js';
import { VERSION } from '../version.js';
import { buildGovernedWheel, executablePlatform, zipGovernedWheel } from '../wheel/build.js';
import { unexpectedArgument } from './help.js';

const USAGE = 'Usage: uvx-safe safe wheel --exe EXE --out DIR [--from WHEEL|INDEX] [--uv-version RANGE] [--revision N]';
const HELP = `${USAGE}

Builds the governed uv wheel: the real uv wheel's version with a local label (X.Y.Z+uvxsafe.N), whose
\`uv\`/\`uvx\` scripts and \`uv\` Python module (find_uv_bin(), python -m uv) run uvx-safe; the real uv travels inside.

  --exe EXE           the uvx-safe standalone executable for the wheel's platform (win-x64 or linux-x64)
  --out DIR           the folder the wheel is written to
  --from WHEEL|INDEX  a real uv wheel file, or an index/folder of wheels (default: the policy's uv-source)
  --uv-version RANGE  with an index: the uv versions allowed (default: the policy's uv-version)
  --revision N        the N of +uvxsafe.N (default 1): raise it to publish a new launcher with the same uv
`;

interface WheelOptions {
  exe?: string;
  out?: string;
  from?: string;
  uvVersion?: string;
  revision: number;
}

export function parseWheelArgs(args: readonly string[]): WheelOptions | 'help' {
  const options: WheelOptions = { revision: 1 };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') return 'help';
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined || v === '') throw new UsageError(`safe wheel: ${flag} needs a value`, { hint: USAGE });
      return v;
    };
    if (flag === '--exe') options.exe = value();
    else if (flag === '--out') options.out = value();
    else if (flag === '--from') options.from = value();
    else if (flag === '--uv-version') options.uvVersion = value();
    else if (flag === '--revision') {
      const v = value();
      if (!/^[1-9]\d*$/.test(v)) throw new UsageError(`safe wheel: --revision ${v}: not a whole number from 1`, { hint: 'give --revision 1, 2, ...' });
      options.revision = Number(v);
    } else throw unexpectedArgument('wheel', arg);
  }
  return options;
}

/** The platform the real uv wheel must be for, as the index client sees a host. */
function targetHost(exe: Buffer): HostPlatform {
  const platform = executablePlatform(exe.subarray(0, 4096));
  if (platform === 'windows') return { os: 'win32', arch: 'x64' };
  if (platform === 'linux') return { os: 'linux', arch: 'x64', libc: { kind: 'glibc', major: 2, minor: 17 } };
  throw new UsageError('safe wheel: --exe is neither a Windows x64 nor a Linux x86-64 executable', { hint: 'give dist/exe/uvx-safe-win-x64.exe or dist/exe/uvx-safe-linux-x64' });
}

function readInput(file: string, flag: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new UsageError(`safe wheel: ${flag} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { hint: `give a file you can read to ${flag}` });
  }
}

export async function wheelCommand(ctx: LaunchContext, args: string[]): Promise<number> {
  const options = parseWheelArgs(args);
  if (options === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if (!options.exe || !options.out) throw new UsageError(`safe wheel: ${!options.exe ? '--exe' : '--out'} is required`, { hint: USAGE });
  const debug = makeDebug(ctx.env);
  const { policy, plan } = prepare({ ...ctx, invokedAs: 'uvx-safe', args: [] }, debug);
  const out = path.resolve(ctx.cwd, options.out);
  assertMayWrite(plan, out, 'the governed wheel (--out)');
  const exe = readInput(path.resolve(ctx.cwd, options.exe), '--exe');

  const fromFile = options.from !== undefined && options.from.endsWith('.whl') ? path.resolve(ctx.cwd, options.from) : undefined;
  let realName: string;
  let real: Buffer;
  if (fromFile) {
    realName = path.basename(fromFile);
    real = readInput(fromFile, '--from');
  } else {
    const config = policy.config;
    const setting: Setting<string> | undefined = options.from
      ? { value: options.from, origin: { layer: 'default', source: '--from' }, baseDir: ctx.cwd, locked: false }
      : config.uvSource;
    if (!setting) throw new UsageError('safe wheel: --from is not given and uv-source is not set', { hint: `give a uv wheel or an index with --from (${USAGE})` });
    const installer = require('./managed-install.cjs') as typeof import('../managed/entry.js');
    const range = options.uvVersion ?? config.uvVersion?.value;
    const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'uvx-safe-wheel-'));
    try {
      const file = await installer.downloadUvWheel(
        {
          source: installer.resolveUvSource(setting, ctx.host),
          range,
          rangeOrigin: options.uvVersion ? '--uv-version' : config.uvVersion?.origin.source,
          env: ctx.env,
          home: ctx.host.home,
          debug,
          report: installer.stderrReporter(),
        },
        targetHost(exe),
        temp,
      );
      realName = path.basename(file);
      real = fs.readFileSync(file);
    } finally {
      fs.rmSync(temp, { recursive: true, force: true });
    }
  }
  const wheel = buildGovernedWheel({ realName, real, exe, revision: options.revision, launcherVersion: VERSION });
  fs.mkdirSync(out, { recursive: true });
  const target = path.join(out, wheel.fileName);
  // Written beside, then renamed: an index that serves the folder never sees half a wheel.
  const partial = `${target}.partial-${process.pid}`;
  fs.writeFileSync(partial, zipGovernedWheel(wheel));
  fs.renameSync(partial, target);
  process.stdout.write(`${target}\n`);
  return 0;
}
