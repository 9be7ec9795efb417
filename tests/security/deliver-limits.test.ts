// Issue 13, smaller items on the delivery side: SMTP credentials never cross a connection without TLS (requireTLS,
// against a local smtp-server that offers no STARTTLS, as a MITM stripping it would), and a webhook receiver that
// answers with an endless body costs a few KiB, not memory and time.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { emailChannel } from '../../src/deliver/email.js';
import { webhookChannel } from '../../src/deliver/webhook.js';
import { emailChannelSchema, webhookChannelSchema } from '../../src/digest/config.js';
import { PermanentError, TransientError } from '../../src/errors.js';
import { fixtureDigest } from '../unit/digest/helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

/** An SMTP server with AUTH over plain text and no STARTTLS: what a client sees after a downgrade. */
async function plainSmtp(authOptional = false) {
  const logins: string[] = [];
  const messages: string[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional,
    logger: false,
    onAuth(auth, _session, cb) {
      logins.push(`${auth.username}:${auth.password}`);
      cb(null, { user: auth.username });
    },
    onData(stream, _session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        messages.push(Buffer.concat(chunks).toString('utf8'));
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return { port: (server.server.address() as AddressInfo).port, logins, messages };
}

const email = (port: number, smtp: object = {}) =>
  emailChannelSchema.parse({ type: 'email', to: 'ops@example.org', from: 'd@example.org', smtp: { host: '127.0.0.1', port, auth: { user: 'digest', pass: 's3cret' }, ...smtp } });

describe('SMTP with auth requires TLS', () => {
  it('refuses to authenticate over a connection without STARTTLS: no password seen, permanent error naming the fix', async () => {
    const srv = await plainSmtp();
    const ch = emailChannel('email:x', email(srv.port), { attempts: 1 });
    const err = await ch.send(fixtureDigest(), 'k1').then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as PermanentError).code).toBe('smtp_etls');
    expect((err as Error).message).toMatch(/TLS is required/);
    expect(srv.logins).toEqual([]);
    expect(srv.messages).toEqual([]);
  });

  it('a loopback relay may opt out (smtp.allow_plaintext_auth), and only a loopback one', async () => {
    const srv = await plainSmtp();
    const ch = emailChannel('email:x', email(srv.port, { allow_plaintext_auth: true }), { attempts: 1 });
    await ch.send(fixtureDigest(), 'k2');
    expect(srv.logins).toEqual(['digest:s3cret']);
    expect(srv.messages).toHaveLength(1);
    const remote = emailChannelSchema.safeParse({ type: 'email', to: 'a@example.org', from: 'b@example.org', smtp: { host: 'smtp.example.org', auth: { user: 'u', pass: 'p' }, allow_plaintext_auth: true } });
    expect(remote.success).toBe(false);
    expect(JSON.stringify(remote.error?.issues)).toMatch(/only for a relay on loopback/);
  });

  it('without auth nothing changes: STARTTLS when offered, plain otherwise', async () => {
    const srv = await plainSmtp(true);
    const cfg = emailChannelSchema.parse({ type: 'email', to: 'ops@example.org', from: 'd@example.org', smtp: { host: '127.0.0.1', port: srv.port } });
    await emailChannel('email:y', cfg, { attempts: 1 }).send(fixtureDigest(), 'k3');
    expect(srv.messages).toHaveLength(1);
  });
});

describe('webhook response body is read with a limit', () => {
  /** A receiver answering `status` with up to 512 MiB of body, counting what it managed to write. */
  async function endless(status: number) {
    const state = { written: 0, closed: false };
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(status, { 'content-type': 'text/plain' });
        const chunk = Buffer.alloc(64 * 1024, 'x');
        const pump = () => {
          // Bounded: 8192 × 64 KiB = 512 MiB at most.
          while (state.written < 8192 * chunk.length && !res.destroyed) {
            state.written += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('close', () => (state.closed = true));
        pump();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, state };
  }

  it.each([200, 500])('an endless %i answer is cut after a few KiB; the send finishes promptly', async (status) => {
    const sink = await endless(status);
    const cfg = webhookChannelSchema.parse({ type: 'webhook', url: sink.url, attempts: 1, timeout_ms: 10_000 });
    const started = Date.now();
    const res = await webhookChannel('webhook:x', cfg, { sleep: async () => undefined }).send(fixtureDigest(), 'k').then((r) => r, (e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(5_000);
    if (status === 200) expect(res).toMatchObject({ status: 200 });
    else {
      expect(res).toBeInstanceOf(TransientError);
      expect((res as Error).message.length).toBeLessThan(400);
    }
    // Socket buffers hold a few MiB at most; the 512 MiB body was never read.
    const deadline = Date.now() + 5_000;
    while (!sink.state.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(sink.state.closed).toBe(true);
    expect(sink.state.written).toBeLessThan(64 * 1024 * 1024);
  });
});
