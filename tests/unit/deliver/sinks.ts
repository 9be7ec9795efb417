// Loopback sinks for the delivery tests: an SMTP server that records messages (and can answer 4xx to DATA), and a
// webhook receiver that can fail with 500 first. Both on 127.0.0.1, port 0.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SmtpMessage {
  raw: string;
  messageId: string;
  accepted: boolean;
}

export async function startSmtpSink() {
  const messages: SmtpMessage[] = [];
  const state = { rejectNext: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const messageId = /^Message-ID:\s*(.+)$/im.exec(raw)?.[1].trim() ?? '';
        if (state.rejectNext > 0) {
          state.rejectNext--;
          messages.push({ raw, messageId, accepted: false });
          const err = Object.assign(new Error('Try again later'), { responseCode: 451 });
          return cb(err);
        }
        messages.push({ raw, messageId, accepted: true });
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    messages,
    state,
    accepted: () => messages.filter((m) => m.accepted),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export interface WebhookHit {
  headers: http.IncomingHttpHeaders;
  body: string;
  status: number;
}

export async function startWebhookSink() {
  const hits: WebhookHit[] = [];
  const state = { failNext: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = state.failNext > 0 ? 500 : 200;
      if (state.failNext > 0) state.failNext--;
      hits.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'boom');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    hits,
    state,
    accepted: () => hits.filter((h) => h.status === 200),
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
