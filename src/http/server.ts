// Start and stop the HTTP server for an app. The service passes the configured http.host and http.port (their
// defaults live in the config schema); a caller that names no host gets loopback, because exposing the UI is a choice.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

export interface WebServer {
  port: number;
  close(): Promise<void>;
}

export async function startWebServer(app: Hono, opts: { host?: string; port: number }): Promise<WebServer> {
  const hostname = opts.host ?? '127.0.0.1';
  return new Promise<WebServer>((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname, port: opts.port }, (info: AddressInfo) => {
      resolve({
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            // Idle keep-alive sockets would hold close() open until they time out.
            (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
            server.close(() => done());
          }),
      });
    });
    server.once('error', (err: Error) => reject(new Error(`http: cannot listen on ${hostname}:${opts.port}: ${err.message}`, { cause: err })));
  });
}
