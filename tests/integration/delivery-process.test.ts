// Delivery across real processes (M1, M3): two worker processes race the same digest on one SQLite file, and a
// worker SIGKILLed right after the SMTP server accepted its message. Children run the compiled code in dist/
// (`npm test` builds first); skipped with a message when dist/ is missing.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb } from '../../src/store/db.js';
import { runDigest } from '../../src/pipeline/digest.js';
import { digestSchema } from '../../src/digest/config.js';
import { listOutbox } from '../../src/store/outbox.js';
import { SENDING_LEASE_MS } from '../../src/deliver/deliver.js';
import { sweepOutbox } from '../../src/pipeline/sweep-outbox.js';
import { createOpsMetrics } from '../../src/ops/metrics.js';
import { seedStore } from '../unit/digest/helpers.js';
import { startSmtpSink } from '../unit/deliver/sinks.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DIST = path.join(ROOT, 'dist', 'src');
const HAVE_DIST = fs.existsSync(path.join(DIST, 'pipeline', 'digest.js'));
if (!HAVE_DIST) console.warn('delivery-process: skipped — dist/ not built (run `npm run build`)');

const mod = (p: string) => JSON.stringify(pathToFileURL(path.join(DIST, p)).href);
const PINO = JSON.stringify(pathToFileURL(createRequire(import.meta.url).resolve('pino')).href);

/** A worker process: opens the store, runs the digest job body once; KILL_AFTER_SEND=1 dies right after SMTP 250. */
const CHILD = `
const { default: pino } = await import(${PINO});
const { openDb } = await import(${mod('store/db.js')});
const { runDigest } = await import(${mod('pipeline/digest.js')});
const { digestSchema } = await import(${mod('digest/config.js')});
const { defaultEmailTransport } = await import(${mod('deliver/email.js')});
const [dbFile, port, killAfterSend] = process.argv.slice(2);
const h = await openDb({ url: dbFile, dataDir: process.env.TMP_DIR });
const digest = digestSchema.parse({ id: 'morning', title: 'Morning', schedule: { at: '07:00', tz: 'Europe/Kyiv' },
  channels: [{ type: 'email', to: 'ops@example.org', from: 'd@example.org', smtp: { host: '127.0.0.1', port: Number(port) } }] });
const email = (cfg, onCmd) => {
  const real = defaultEmailTransport(cfg, onCmd);
  return { close: () => real.close(), sendMail: async (m) => {
    const info = await real.sendMail(m);
    if (killAfterSend === '1') process.kill(process.pid, 'SIGKILL');
    return info;
  } };
};
const r = await runDigest({ db: h.db, log: pino({ level: 'silent' }), outputDir: process.env.TMP_DIR + '/out', digest,
  topics: [{ id: 'ukraine-energy', title: 'Ukraine energy' }], fireTime: new Date('2026-11-26T05:00:00Z'),
  transports: { email, sleep: async () => {} }, throwOnPending: false });
console.log(JSON.stringify(r));
await h.db.destroy();
`;

let dir: string;
let dbFile: string;
let script: string;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;

function child(killAfterSend: boolean): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [script, dbFile, String(smtp.port), killAfterSend ? '1' : '0'], {
      cwd: ROOT, env: { ...process.env, TMP_DIR: dir }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (c) => (out += c));
    p.stderr.on('data', (c) => (err += c));
    p.on('close', (code, signal) => resolve({ code, signal, out, err }));
  });
}

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ww-proc-'));
  dbFile = path.join(dir, 'ww.db');
  script = path.join(dir, 'worker.mjs');
  fs.writeFileSync(script, CHILD);
  smtp = await startSmtpSink();
  const h = await openDb({ url: dbFile, dataDir: dir });
  await seedStore(h.db);
  await h.db.destroy();
});

afterEach(async () => {
  await smtp.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!HAVE_DIST)('delivery across processes', () => {
  it('two worker processes race the same digest: one email (M3)', async () => {
    const [a, b] = await Promise.all([child(false), child(false)]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const states = [a, b].map((r) => JSON.parse(r.out).deliveries[0].state).sort();
    expect(states[1]).toBe('sent');
    expect(['sending', 'sent']).toContain(states[0]);
    expect(smtp.messages).toHaveLength(1);
  });

  it('worker SIGKILLed after SMTP 250, before marking: row becomes unknown, never resent (M1)', async () => {
    const r = await child(true);
    expect(r.signal).toBe('SIGKILL');
    expect(smtp.accepted()).toHaveLength(1);
    const h = await openDb({ url: dbFile, dataDir: dir });
    try {
      expect((await listOutbox(h.db))[0].state).toBe('sending');
      const digest = digestSchema.parse({ id: 'morning', title: 'Morning', schedule: { at: '07:00', tz: 'Europe/Kyiv' },
        channels: [{ type: 'email', to: 'ops@example.org', from: 'd@example.org', smtp: { host: '127.0.0.1', port: smtp.port } }] });
      const lines: string[] = [];
      const later = await runDigest({
        db: h.db, log: pino({ level: 'info' }, { write: (s: string) => void lines.push(s) }), outputDir: path.join(dir, 'out'), digest,
        topics: [{ id: 'ukraine-energy', title: 'Ukraine energy' }], fireTime: new Date('2026-11-26T05:00:00Z'),
        now: () => new Date(Date.now() + 60 * 60_000),
      });
      expect(later.deliveries[0].state).toBe('unknown');
      expect(lines.some((l) => JSON.parse(l).level === 50)).toBe(true);
      expect(smtp.messages).toHaveLength(1);
    } finally {
      await h.db.destroy();
    }
  });

  it('G2: SIGKILLed mid-send, restarted within the lease: the re-run leaves it; the sweeper turns it unknown with an alert', async () => {
    const r = await child(true);
    expect(r.signal).toBe('SIGKILL');
    const h = await openDb({ url: dbFile, dataDir: dir });
    try {
      const digest = digestSchema.parse({ id: 'morning', title: 'Morning', schedule: { at: '07:00', tz: 'Europe/Kyiv' },
        channels: [{ type: 'email', to: 'ops@example.org', from: 'd@example.org', smtp: { host: '127.0.0.1', port: smtp.port } }] });
      // Restarted at once: inside the lease the re-run job cannot tell a dead sender from a slow one, and leaves it.
      const rerun = await runDigest({
        db: h.db, log: pino({ level: 'silent' }), outputDir: path.join(dir, 'out'), digest,
        topics: [{ id: 'ukraine-energy', title: 'Ukraine energy' }], fireTime: new Date('2026-11-26T05:00:00Z'), throwOnPending: false,
      });
      expect(rerun.deliveries[0].state).toBe('sending');
      const lines: { level: number; msg: string }[] = [];
      const metrics = createOpsMetrics({ defaultMetrics: false });
      const sweep = (now: Date) => sweepOutbox({
        db: h.db, log: pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s)) }), leaseMs: SENDING_LEASE_MS,
        repeatable: () => false, redrive: async () => undefined, onSwept: (to) => metrics.swept(to, 1), now: () => now,
      });
      expect(await sweep(new Date())).toEqual({ unknown: 0, repending: 0, redriven: 0 });
      expect((await listOutbox(h.db))[0].state).toBe('sending');
      // The next sweep after the lease: unknown, error-level log, metric; `deliveries list` shows it; never resent.
      expect(await sweep(new Date(Date.now() + SENDING_LEASE_MS + 60_000))).toEqual({ unknown: 1, repending: 0, redriven: 0 });
      const row = (await listOutbox(h.db))[0];
      expect(row).toMatchObject({ state: 'unknown', error: expect.stringMatching(/outbox sweeper/) });
      expect(lines.some((l) => l.level === 50 && /outcome unknown.*deliveries retry --digest morning --period 2026-11-26/.test(l.msg))).toBe(true);
      expect(await metrics.registry.metrics()).toMatch(/^wirewatch_outbox_swept_total\{to="unknown"\} 1$/m);
      expect((await listOutbox(h.db, { states: ['unknown'] })).map((o) => o.period)).toEqual(['2026-11-26']);
      expect(smtp.messages).toHaveLength(1);
    } finally {
      await h.db.destroy();
    }
  });
});
