/**
 * The controller's health endpoints on `--healthz-addr HOST:PORT`, as KubeFed serves them:
 * `/healthz` answers 200 "OK" while the process runs; `/readyz` 200 once the host's objects were
 * read and are watched (and this instance leads), else 503.
 */
import * as http from 'node:http';

export interface HealthServer {
  /** The address it listens on (`host:port`, the port chosen when 0 was given). */
  address: string;
  close(): Promise<void>;
}

/** `HOST:PORT` (`[::1]:8080`, `:8080` = every interface) → host and port; throws on anything else. */
export function parseAddr(addr: string): { host: string | undefined; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(addr);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new Error(`not HOST:PORT: ${addr}`);
  const host = m[1] ?? m[2];
  return { host: host || undefined, port };
}

export async function serveHealth(addr: string, ready: () => boolean): Promise<HealthServer> {
  const { host, port } = parseAddr(addr);
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/healthz') return void res.writeHead(200, { 'Content-Type': 'text/plain' }).end('OK');
    if (path === '/readyz') {
      const ok = ready();
      return void res.writeHead(ok ? 200 : 503, { 'Content-Type': 'text/plain' }).end(ok ? 'ok' : 'not ready');
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const a = server.address();
  const bound = typeof a === 'object' && a ? `${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}` : addr;
  return {
    address: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
