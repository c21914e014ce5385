// `uvx-safe safe uv install | list | remove VERSION`: the managed uv (uv-source, uv-version) by hand.
// The installer is a bundle of its own (dist/managed-install.cjs), required only here and by the
// launcher's first run.

import { UsageError } from '../errors.js';
import type { LaunchContext } from '../context.js';
import { prepare } from '../launch/prepare.js';
import { chooseUv } from '../launch/uv-choice.js';
import { makeDebug } from '../log.js';
import { managedPolicy, wanted } from '../managed/choose.js';
import { didYouMean } from '../text/suggest.js';
import { helpText } from './help.js';
import { installedVersions, storeDir, VERSION_DIR } from '../managed/store.js';

const USAGE = 'Usage: uvx-safe safe uv install | list | remove VERSION';
type Installer = typeof import('../managed/entry.js');
const installer = () => require('./managed-install.cjs') as Installer;

export async function uvCommand(ctx: LaunchContext, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(helpText('uv'));
    return 0;
  }
  const debug = makeDebug(ctx.env);
  const { policy, plan } = prepare({ ...ctx, invokedAs: 'uvx-safe', args: [] }, debug);
  const config = policy.config;
  const expectArgs = (count: number) => {
    if (rest.length !== count) throw new UsageError(`safe uv ${sub}: ${rest.length > count ? `unexpected argument "${rest[count]}"` : 'missing VERSION'}`, { hint: USAGE });
  };

  if (sub === 'install') {
    expectArgs(0);
    if (!config.uvSource) throw new UsageError('safe uv install: uv-source is not set in the admin or user config; nothing to install from', { hint: 'set uv-source (and uv-version) in the admin policy: docs/config-reference.md#uv-source' });
    const uv = await installer().installManagedUv(ctx, config, plan, debug, true);
    if (!uv.installedNow) process.stdout.write(`uv ${uv.version} is installed: ${uv.path}\n`);
    return 0;
  }

  if (!plan.dataRoot) throw new UsageError(`safe uv ${sub}: data-root is not set, so there is no managed uv folder`, { hint: 'set data-root in the admin or user config: docs/config-reference.md#data-root' });
  const store = storeDir(plan.dataRoot, ctx.host.platform);

  if (sub === 'list') {
    expectArgs(0);
    let used: string | undefined;
    let note: string;
    if (!config.uvSource) note = 'uv-source is not set: the launcher does not run a managed uv';
    else {
      const chosen = (() => {
        try {
          return chooseUv(ctx, config, plan);
        } catch {
          return undefined;
        }
      })();
      if (chosen?.source === 'managed') used = chosen.path;
      const managed = managedPolicy(config, plan, ctx.host)!;
      note = chosen && chosen.source !== 'managed'
        ? `${chosen.source} comes first: the launcher runs ${chosen.path}, not a managed uv`
        : `the launcher runs the newest installed uv that satisfies ${wanted(managed)}; uv-source from ${config.uvSource.origin.source}`;
    }
    const installed = installedVersions(store, ctx.host.platform);
    const lines = installed.map((uv) => `${uv.path === used ? '*' : ' '} ${uv.version}  ${uv.path}`);
    process.stdout.write(`${installed.length ? lines.join('\n') : `no managed uv installed in ${store}`}\n${note}\n`);
    return 0;
  }

  if (sub === 'remove') {
    expectArgs(1);
    const version = rest[0]!;
    if (!VERSION_DIR.test(version)) throw new UsageError(`safe uv remove: "${version}" is not a version like 0.13.9`, { hint: '`uvx-safe safe uv list` shows the installed versions' });
    if (!(await installer().removeInstalled(store, version, debug)))
      throw new UsageError(`safe uv remove: uv ${version} is not installed in ${store}`, { hint: '`uvx-safe safe uv list` shows the installed versions' });
    process.stdout.write(`removed uv ${version} from ${store}\n`);
    return 0;
  }
  throw new UsageError(`unknown command "safe uv ${sub}"${didYouMean(sub, ['install', 'list', 'remove'])}`, { hint: USAGE });
}

