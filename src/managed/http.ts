// HTTP for the installer only. Node 20's own fetch ignores HTTPS_PROXY/NO_PROXY, so under Node
// requests go through the `undici` package: its ProxyAgent tunnels through the organisation's
// proxy (CONNECT), chosen per request by proxy.ts. undici's EnvHttpProxyAgent would do the choosing
// too, but prints an "experimental" warning on stderr. TLS trusts Node's roots plus
// NODE_EXTRA_CA_CERTS (Node reads it at start-up), and the system store too where Node can read it
// (tls.getCACertificates, Node >= 22.15). The standalone executable (Bun) uses Bun's own fetch,
// which takes the proxy as an option and reads NODE_EXTRA_CA_CERTS itself.

import tls = require('node:tls');
import type { Dispatcher, Response } from 'undici';
import { UvSourceError } from '../errors.js';
import type { Debug } from '../log.js';
import type { EnvMap, Platform } from '../platform/env.js';
import { credentialsFor, type AuthInput } from './auth.js';
import { proxyFor } from './proxy.js';
import { redactUrl } from './source.js';

export interface HttpClient {
  /** GET with credentials and proxy applied; throws UvSourceError naming `what` when unreachable or not 200. */
  get(url: URL, what: string, accept?: string): Promise<Response>;
  close(): Promise<void>;
}

/** Node >= 22.15 / 23.8 can read the OS store; then it is trusted besides Node's own roots. */
function caCertificates(): string[] | undefined {
  const get = (tls as unknown as { getCACertificates?: (kind: string) => string[] }).getCACertificates;
  if (typeof get !== 'function') return undefined;
  try {
    return [...get('default'), ...get('system')];
  } catch {
    return undefined;
  }
}

/** "connect ECONNREFUSED 127.0.0.1:9", "getaddrinfo ENOTFOUND pypi.corp", from undici's "fetch failed". */
export function networkReason(err: unknown): string {
  let cause = (err as { cause?: unknown }).cause ?? err;
  if (cause instanceof AggregateError && cause.errors.length) cause = cause.errors[0];
  const e = cause as NodeJS.ErrnoException;
  const reason = e?.message || e?.code || String(cause);
  // A TLS-inspecting proxy or an internal CA: say how to trust it.
  return /CERT|SIGNATURE|ISSUER|self.signed|certificate/i.test(`${e?.code ?? ''} ${reason}`)
    ? `${reason} (trust the organisation's root CA with NODE_EXTRA_CA_CERTS=/path/to/ca.pem)`
    : reason;
}

interface Fetcher {
  fetch(url: URL, headers: Record<string, string>, proxy: string | undefined): Promise<Response>;
  close(): Promise<void>;
}

/** Node: undici's fetch with one dispatcher per proxy (or none). */
function undiciFetcher(): Fetcher {
  // Required here, not at the top: the standalone executable never loads it.
  const undici = require('undici') as typeof import('undici');
  const ca = caCertificates();
  const agents = new Map<string, Dispatcher>();
  const dispatcherFor = (proxy: string | undefined): Dispatcher => {
    let agent = agents.get(proxy ?? '');
    if (!agent) {
      agent = proxy
        ? new undici.ProxyAgent({ uri: proxy, ...(ca ? { requestTls: { ca }, proxyTls: { ca } } : {}) })
        : new undici.Agent(ca ? { connect: { ca } } : {});
      agents.set(proxy ?? '', agent);
    }
    return agent;
  };
  return {
    fetch: (url, headers, proxy) => undici.fetch(url, { headers, dispatcher: dispatcherFor(proxy) }),
    close: async () => {
      await Promise.all([...agents.values()].map((agent) => agent.close()));
    },
  };
}

/** Bun: its own fetch, which takes the proxy as an option. */
function bunFetcher(): Fetcher {
  const bunFetch = globalThis.fetch as unknown as (url: string, init: object) => Promise<Response>;
  return {
    fetch: (url, headers, proxy) => bunFetch(url.href, { headers, ...(proxy ? { proxy } : {}) }),
    close: async () => {},
  };
}

export function httpClient(auth: AuthInput, env: EnvMap, platform: Platform, debug: Debug): HttpClient {
  const fetcher = process.versions.bun !== undefined ? bunFetcher() : undiciFetcher();
  return {
    async get(url, what, accept) {
      const target = new URL(url.href);
      const creds = credentialsFor(target, auth);
      target.username = '';
      target.password = '';
      const headers: Record<string, string> = { 'user-agent': 'uvx-safe' };
      if (accept) headers.accept = accept;
      if (creds) headers.authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
      const proxy = proxyFor(target, env, platform);
      debug(`GET ${redactUrl(target)}${proxy ? ` through proxy ${redactUrl(new URL(proxy))}` : ''}`);
      let response: Response;
      try {
        response = await fetcher.fetch(target, headers, proxy);
      } catch (err) {
        throw new UvSourceError(`cannot reach ${what} ${redactUrl(target)}: ${networkReason(err)}`, { hint: 'check uv-source (docs/config-reference.md#uv-source); `UVX_SAFE_DEBUG=1 uvx-safe safe uv install` shows every request' });
      }
      if (response.status !== 200) {
        await response.body?.cancel();
        const hint =
          response.status === 401 || response.status === 403
            ? 'give credentials: in the URL of uv-source, UVX_SAFE_UV_SOURCE_USERNAME/_PASSWORD, or a netrc file'
            : 'check uv-source (docs/config-reference.md#uv-source); `UVX_SAFE_DEBUG=1 uvx-safe safe uv install` shows every request';
        throw new UvSourceError(`${what} ${redactUrl(target)} answered ${response.status} ${response.statusText}`, { hint });
      }
      return response;
    },
    close: () => fetcher.close(),
  };
}
