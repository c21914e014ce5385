// A PEP 503 / PEP 691 simple index on 127.0.0.1: a page per project (JSON when asked for it, else
// HTML with #sha256= fragments) and the files, counting downloads.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { strToU8, zipSync } from 'fflate';

export interface ServedFile {
  filename: string;
  data: Uint8Array;
  /** What the index claims; default the true sha256, null for none. */
  sha256?: string | null;
  yanked?: boolean;
}

export interface SimpleIndex {
  /** The index URL for `uv-source`, e.g. http://127.0.0.1:PORT/simple */
  url: string;
  /** GET counts by path. */
  hits: Map<string, number>;
  /**
   * Stops answering: every connection is dropped at once, while the server keeps its port (a closed
   * server's port goes back to the system, and anything may be listening there by the next request).
   */
  unreachable(): void;
  close(): Promise<void>;
}

export const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** A tiny stand-in uv wheel whose `uv --version` says `version` (for the range test, never the real one). */
export function fakeUvWheel(version: string, platform = 'manylinux_2_17_x86_64.manylinux2014_x86_64'): ServedFile {
  const script = strToU8(`#!/bin/sh\necho "uv ${version} (stand-in)"\n`);
  const data = zipSync({ [`uv-${version}.data/scripts/uv`]: script, [`uv-${version}.data/scripts/uvx`]: script });
  return { filename: `uv-${version}-py3-none-${platform}.whl`, data };
}

/** The PEP 503 project name of a wheel or sdist file: `Tox_UV-1.0-...whl` -> `tox-uv`. */
export function projectOf(filename: string): string {
  return filename.split('-')[0]!.toLowerCase().replace(/[-_.]+/g, '-');
}

/**
 * Serves every file under its project's page (`/simple/<name>/`): the managed-uv tests serve uv
 * wheels alone; the governed-wheel tests serve a whole set of wheels, as an organisation's index does.
 * `auth` ("user:password") makes every request need that HTTP basic authorization; `tls` (a key and
 * certificate for 127.0.0.1) serves https.
 */
export async function serveSimpleIndex(
  files: ServedFile[],
  options: { json?: boolean; auth?: string; tls?: { key: string; cert: string } } = {},
): Promise<SimpleIndex> {
  const hits = new Map<string, number>();
  let down = false;
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (down) {
      req.socket.destroy();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
    if (options.auth && req.headers.authorization !== `Basic ${Buffer.from(options.auth).toString('base64')}`) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="index"' }).end();
      return;
    }
    const hash = (f: ServedFile) => (f.sha256 === undefined ? sha256(f.data) : f.sha256);
    const project = /^\/simple\/([^/]+)\/$/.exec(url.pathname)?.[1];
    if (project !== undefined) {
      const listed = files.filter((f) => projectOf(f.filename) === project);
      if (options.json && (req.headers.accept ?? '').includes('application/vnd.pypi.simple.v1+json')) {
        const body = {
          meta: { 'api-version': '1.0' },
          name: project,
          files: listed.map((f) => ({ filename: f.filename, url: `../../files/${f.filename}`, hashes: hash(f) ? { sha256: hash(f) } : {}, ...(f.yanked ? { yanked: true } : {}) })),
        };
        res.writeHead(200, { 'content-type': 'application/vnd.pypi.simple.v1+json' });
        res.end(JSON.stringify(body));
        return;
      }
      const links = listed.map((f) => `<a href="../../files/${f.filename}${hash(f) ? `#sha256=${hash(f)}` : ''}"${f.yanked ? ' data-yanked=""' : ''}>${f.filename}</a><br/>`);
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!DOCTYPE html><html><body><h1>Links for ${project}</h1>${links.join('\n')}</body></html>`);
      return;
    }
    const file = files.find((f) => decodeURIComponent(url.pathname) === `/files/${f.filename}`);
    if (!file) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.data.length });
    res.end(file.data);
  };
  const server = options.tls ? https.createServer(options.tls, handler) : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}/simple`,
    hits,
    unreachable() {
      down = true;
      server.closeAllConnections();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface TestProxy {
  url: string;
  /** "CONNECT host:port" or "GET http://..." lines, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** An HTTP proxy on 127.0.0.1 that tunnels CONNECT and forwards absolute-form requests, logging both. */
export async function serveProxy(): Promise<TestProxy> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const upstream = http.request(req.url!, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connect', (req, socket, head) => {
    requests.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A throw-away CA and a certificate for 127.0.0.1 signed by it (openssl), as PEM text. */
export function makeTestCa(dir: string): { caFile: string; key: string; cert: string } {
  const file = (name: string) => path.join(dir, name);
  const openssl = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=uvx-safe test CA']);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
  fs.writeFileSync(file('san.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'san.cnf']);
  return { caFile: file('ca.pem'), key: fs.readFileSync(file('server.key'), 'utf8'), cert: fs.readFileSync(file('server.pem'), 'utf8') };
}
