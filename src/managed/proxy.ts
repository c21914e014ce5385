// Which proxy a request goes through: HTTPS_PROXY / HTTP_PROXY (either case, lower first as curl
// reads them) unless NO_PROXY names the host. Pure; used by http.ts.

import { getEnv, type EnvMap, type Platform } from '../platform/env.js';

function variable(env: EnvMap, name: string, platform: Platform): string | undefined {
  return getEnv(env, name.toLowerCase(), platform) ?? getEnv(env, name.toUpperCase(), platform);
}

/** NO_PROXY: comma or space separated host names, `.suffix` / `*.suffix` domains, `host:port`, or `*`. */
export function bypassesProxy(url: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return noProxy
    .split(/[,\s]+/)
    .filter(Boolean)
    .some((raw) => {
      if (raw === '*') return true;
      let entry = raw.toLowerCase();
      const portMatch = /^(.*[^:]):(\d+)$/.exec(entry);
      if (portMatch && !entry.includes(']') && entry.split(':').length === 2) {
        if (portMatch[2] !== port) return false;
        entry = portMatch[1]!;
      }
      entry = entry.replace(/^\[(.*)\]$/, '$1').replace(/^\*?\./, '');
      return host === entry || host.endsWith(`.${entry}`);
    });
}

/** The proxy URL for a request, or undefined to connect directly. */
export function proxyFor(url: URL, env: EnvMap, platform: Platform): string | undefined {
  if (bypassesProxy(url, variable(env, 'no_proxy', platform))) return undefined;
  return url.protocol === 'https:' ? variable(env, 'https_proxy', platform) : variable(env, 'http_proxy', platform);
}
