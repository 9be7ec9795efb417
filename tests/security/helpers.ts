// Loopback servers for the hostile-input tests: port 0, every connection counted, closed by the test.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFetcher, type FetchPolicy, type Fetcher } from '../../src/fetch/client.js';

export interface TestServer {
  port: number;
  connections: number;
  /** Sockets the server saw close (L2: the client must hang up). */
  closed: number;
  url(path?: string, host?: string): string;
  close(): Promise<void>;
}

/** A node:http server on `host` (default 127.0.0.1; '::' = dual stack) counting `connection` events. */
export async function serve(handler: http.RequestListener, host = '127.0.0.1'): Promise<TestServer> {
  const server = http.createServer(handler);
  const state = { connections: 0, closed: 0 };
  server.on('connection', (socket) => {
    state.connections++;
    socket.on('close', () => state.closed++);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: 0, ipv6Only: false }, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    get connections() {
      return state.connections;
    },
    get closed() {
      return state.closed;
    },
    url: (path = '/', h = '127.0.0.1') => `http://${h.includes(':') ? `[${h}]` : h}:${port}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A fetcher that treats 127.0.0.1 as public (SECURITY-TESTS set-up) and allows the given test ports. */
export function testFetcher(ports: number[], extra: Partial<FetchPolicy> = {}): Fetcher {
  return createFetcher({
    allowPrivateNetworks: false,
    treatAsPublic: ['127.0.0.1'],
    allowedPorts: [80, 443, ...ports],
    connectTimeoutMs: 2_000,
    headersTimeoutMs: 2_000,
    totalTimeoutMs: 5_000,
    ...extra,
  });
}

/** Poll until `cond()` holds or `ms` pass; returns whether it held. No fixed sleeps. */
export async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return cond();
}
