// Exactly-once delivery through the outbox (M1–M4, T1): real SMTP server and webhook receiver on loopback,
// a temp SQLite store, the digest job body (runDigest) called as the worker would.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHmac } from 'node:crypto';
import pino from 'pino';
import type { Transporter } from 'nodemailer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type DbHandle } from '../../src/store/db.js';
import { runDigest, type RunDigestDeps } from '../../src/pipeline/digest.js';
import { digestSchema, type DigestConfig } from '../../src/digest/config.js';
import { defaultEmailTransport } from '../../src/deliver/email.js';
import { channelName, idempotencyKey } from '../../src/deliver/channel.js';
import { ensureOutbox, getOutbox, listOutbox } from '../../src/store/outbox.js';
import { TransientError } from '../../src/errors.js';
import { JSDOM } from 'jsdom';
import { activeContent, htmlPartOf, seedStore } from '../unit/digest/helpers.js';
import { startSmtpSink, startWebhookSink } from '../unit/deliver/sinks.js';

const FIRE = new Date('2026-11-26T05:00:00.000Z'); // 07:00 Europe/Kyiv
const SECRET = 'whsec_' + Buffer.from('0123456789abcdef0123456789abcdef').toString('base64');

let dir: string;
let handles: DbHandle[];
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let hook: Awaited<ReturnType<typeof startWebhookSink>>;
let logLines: { level: number; msg: string; state?: string }[];

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ww-delivery-'));
  handles = [];
  smtp = await startSmtpSink();
  hook = await startWebhookSink();
  logLines = [];
  const db = await open();
  await seedStore(db.db);
});

afterEach(async () => {
  for (const h of handles) await h.db.destroy();
  await smtp.close();
  await hook.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function open(): Promise<DbHandle> {
  const h = await openDb({ url: path.join(dir, 'ww.db'), dataDir: dir });
  handles.push(h);
  return h;
}

function config(): DigestConfig {
  return digestSchema.parse({
    id: 'morning',
    title: 'Morning brief',
    schedule: { at: '07:00', tz: 'Europe/Kyiv' },
    channels: [
      { type: 'files' },
      {
        type: 'email', to: ['ops@example.org'], from: 'wirewatch <digest@news.example.org>',
        smtp: { host: '127.0.0.1', port: smtp.port, secure: false },
        list_id: 'morning.news.example.org', unsubscribe: 'https://news.example.org/unsubscribe?d=morning',
      },
      { type: 'webhook', url: hook.url, secret: SECRET, format: 'json' },
    ],
  });
}

function deps(db: DbHandle, over: Partial<RunDigestDeps> = {}): RunDigestDeps {
  const log = pino({ level: 'debug' }, { write: (s: string) => void logLines.push(JSON.parse(s)) });
  return {
    db: db.db, log, outputDir: path.join(dir, 'out'), digest: config(),
    topics: [{ id: 'ukraine-energy', title: 'Ukraine energy' }, { id: 'markets', title: 'Markets' }],
    fireTime: FIRE, now: () => new Date('2026-11-26T05:00:10.000Z'), transports: { sleep: async () => undefined },
    ...over,
  };
}

const states = (r: { deliveries: { channel: string; state: string }[] }) => Object.fromEntries(r.deliveries.map((d) => [d.channel.split(':')[0], d.state]));

describe('runDigest delivery', () => {
  it('builds once, delivers each channel once, and a replay sends nothing (M4, T1)', async () => {
    const db = handles[0];
    const r1 = await runDigest(deps(db));
    expect(r1.period).toBe('2026-11-26');
    expect(r1.built).toBe(true);
    expect(states(r1)).toEqual({ files: 'sent', email: 'sent', webhook: 'sent' });

    // Email: both parts, deterministic Message-ID, list headers, escaped hostile title, no script.
    expect(smtp.accepted()).toHaveLength(1);
    const raw = smtp.accepted()[0].raw;
    const key = idempotencyKey('morning', '2026-11-26', channelName(config().channels[1]));
    expect(smtp.accepted()[0].messageId).toBe(`<wirewatch.morning.2026-11-26.${key}@news.example.org>`);
    expect(raw).toMatch(/^List-Id: <morning\.news\.example\.org>/im);
    expect(raw).toMatch(/^List-Unsubscribe: <https:\/\/news\.example\.org\/unsubscribe\?d=morning>/m);
    expect(raw).toMatch(/Content-Type: text\/plain/);
    expect(raw).toMatch(/Content-Type: text\/html/);
    const html = htmlPartOf(raw);
    expect(activeContent(html)).toEqual([]);
    expect(new JSDOM(html).window.document.body.textContent).toContain('<script>alert(1)</script>');

    // Webhook: Standard Webhooks signature over id.timestamp.body.
    expect(hook.accepted()).toHaveLength(1);
    const h = hook.accepted()[0];
    const signed = `${h.headers['webhook-id']}.${h.headers['webhook-timestamp']}.${h.body}`;
    const mac = createHmac('sha256', Buffer.from(SECRET.slice(6), 'base64')).update(signed).digest('base64');
    expect(h.headers['webhook-signature']).toBe(`v1,${mac}`);
    const body = JSON.parse(h.body);
    expect(body.data.date).toBe('2026-11-26');
    expect(body.data.topics[0].stories[0].outlets).toHaveLength(3);

    // Files.
    expect(fs.existsSync(path.join(dir, 'out', 'morning', '2026-11-26.md'))).toBe(true);

    // Replay: same job again, and a late run hours later for the same period.
    const r2 = await runDigest(deps(db));
    const r3 = await runDigest(deps(db, { fireTime: new Date('2026-11-26T11:00:00Z'), now: () => new Date('2026-11-26T11:00:00Z') }));
    for (const r of [r2, r3]) {
      expect(r.built).toBe(false);
      expect(states(r)).toEqual({ files: 'sent', email: 'sent', webhook: 'sent' });
    }
    expect(smtp.messages).toHaveLength(1);
    expect(hook.hits).toHaveLength(1);
    const rows = await listOutbox(db.db, { digestId: 'morning' });
    expect(rows.map((x) => [x.state, x.attempts])).toEqual([['sent', 1], ['sent', 1], ['sent', 1]]);
  });

  it('SMTP 451 then 250 and webhook 500 then 200 reuse the same Message-ID / webhook-id (M2)', async () => {
    smtp.state.rejectNext = 1;
    hook.state.failNext = 1;
    const r = await runDigest(deps(handles[0]));
    expect(states(r)).toEqual({ files: 'sent', email: 'sent', webhook: 'sent' });
    expect(smtp.messages.map((m) => m.accepted)).toEqual([false, true]);
    expect(new Set(smtp.messages.map((m) => m.messageId)).size).toBe(1);
    expect(hook.hits.map((x) => x.status)).toEqual([500, 200]);
    expect(new Set(hook.hits.map((x) => x.headers['webhook-id'])).size).toBe(1);
  });

  it('a failure that outlasts the run leaves the row pending; the retried job sends with the same key', async () => {
    smtp.state.rejectNext = 3; // every in-run attempt gets 451
    await expect(runDigest(deps(handles[0]))).rejects.toBeInstanceOf(TransientError);
    const row = (await listOutbox(handles[0].db, { digestId: 'morning' })).find((x) => x.channel.startsWith('email'))!;
    expect(row.state).toBe('pending');
    const r = await runDigest(deps(handles[0]));
    expect(states(r).email).toBe('sent');
    expect(smtp.accepted()).toHaveLength(1);
    expect(new Set(smtp.messages.map((m) => m.messageId)).size).toBe(1);
  });

  it('crash after the server accepted, before marking: unknown, alerted, never resent over SMTP (M1)', async () => {
    const acceptedThenCrash = ((cfg, onCmd) => {
      const real = defaultEmailTransport(cfg, onCmd);
      return {
        sendMail: async (m: object) => {
          await real.sendMail(m);
          throw Object.assign(new Error('Connection closed unexpectedly'), { code: 'ECONNECTION', command: 'CONN' });
        },
        close: () => real.close(),
      } as unknown as Transporter;
    }) satisfies typeof defaultEmailTransport;
    const r1 = await runDigest(deps(handles[0], { transports: { email: acceptedThenCrash, sleep: async () => undefined } }));
    expect(states(r1).email).toBe('unknown');
    expect(logLines.some((l) => l.level >= 50 && /email:.* unknown/.test(l.msg))).toBe(true);
    const r2 = await runDigest(deps(handles[0]));
    expect(states(r2).email).toBe('unknown');
    expect(smtp.messages).toHaveLength(1);
  });

  it('a row left in `sending` by a dead worker: email → unknown (not resent), webhook → resent with the same id', async () => {
    const db = handles[0].db;
    const cfg = config();
    const old = '2026-11-26T04:00:00.000Z';
    for (const c of cfg.channels.slice(1)) {
      const name = channelName(c);
      await ensureOutbox(db, { digestId: 'morning', period: '2026-11-26', channel: name }, idempotencyKey('morning', '2026-11-26', name), old);
      await db.updateTable('outbox').set({ state: 'sending', attempts: 1, updated_at: old }).where('channel', '=', name).execute();
    }
    // Inside the lease another worker may still be sending: leave it alone.
    const early = await runDigest(deps(handles[0], { now: () => new Date('2026-11-26T04:05:00.000Z') }));
    expect(states(early)).toEqual({ files: 'sent', email: 'sending', webhook: 'sending' });
    const r = await runDigest(deps(handles[0], { now: () => new Date('2026-11-26T06:00:00.000Z') }));
    expect(states(r)).toEqual({ files: 'sent', email: 'unknown', webhook: 'sent' });
    expect(smtp.messages).toHaveLength(0);
    expect(hook.hits).toHaveLength(1);
    expect(hook.hits[0].headers['webhook-id']).toBe(`msg_${idempotencyKey('morning', '2026-11-26', channelName(cfg.channels[2]))}`);
    const email = await getOutbox(db, { digestId: 'morning', period: '2026-11-26', channel: channelName(cfg.channels[1]) });
    expect(email?.error).toMatch(/interrupted while sending/);
  });

  it('crash before sending (row pending) sends once on the next run', async () => {
    const db = handles[0].db;
    const name = channelName(config().channels[1]);
    await ensureOutbox(db, { digestId: 'morning', period: '2026-11-26', channel: name }, idempotencyKey('morning', '2026-11-26', name), '2026-11-26T05:00:00.000Z');
    await runDigest(deps(handles[0]));
    await runDigest(deps(handles[0]));
    expect(smtp.accepted()).toHaveLength(1);
  });

  it('two workers racing the same digest on one SQLite file: one build, one email, one webhook (M3)', async () => {
    const a = handles[0];
    const b = await open();
    const results = await Promise.all([runDigest(deps(a)), runDigest(deps(b)), runDigest(deps(b))]);
    expect(results.filter((r) => r.built)).toHaveLength(1);
    expect(smtp.messages).toHaveLength(1);
    expect(hook.hits).toHaveLength(1);
    for (const r of results) expect(['sent', 'sending']).toContain(states(r).email);
  });
});
