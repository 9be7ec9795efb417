// The outbox claim on PostgreSQL: two workers (two pools) race the same digest → one build, one email, one
// webhook (M3). Own schema per run, dropped afterwards.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type DbHandle } from '../../src/store/db.js';
import { runDigest } from '../../src/pipeline/digest.js';
import { digestSchema } from '../../src/digest/config.js';
import { listOutbox } from '../../src/store/outbox.js';
import { seedStore } from '../unit/digest/helpers.js';
import { startSmtpSink, startWebhookSink } from '../unit/deliver/sinks.js';
import { PG_URL as URL } from '../support/stores.js';

const schema = `ww_digest_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
let handles: DbHandle[] = [];
let dir: string;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let hook: Awaited<ReturnType<typeof startWebhookSink>>;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ww-pg-'));
  smtp = await startSmtpSink();
  hook = await startWebhookSink();
  handles = [await openDb({ url: URL, dataDir: dir, pgSchema: schema, poolMax: 4 }), await openDb({ url: URL, dataDir: dir, pgSchema: schema, poolMax: 4 })];
  await seedStore(handles[0].db);
});

afterAll(async () => {
  for (const h of handles) await h.db.destroy();
  const c = new pg.Client({ connectionString: URL });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await c.end();
  await smtp?.close();
  await hook?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('delivery on PostgreSQL', () => {
  it('racing workers send once', async () => {
    const digest = digestSchema.parse({
      id: 'morning', title: 'Morning', schedule: { at: '07:00', tz: 'Europe/Kyiv' },
      channels: [
        { type: 'files' },
        { type: 'email', to: 'ops@example.org', from: 'd@example.org', smtp: { host: '127.0.0.1', port: smtp.port } },
        { type: 'webhook', url: hook.url },
      ],
    });
    const topics = [{ id: 'ukraine-energy', title: 'Ukraine energy' }, { id: 'markets', title: 'Markets' }];
    const run = (h: DbHandle) =>
      runDigest({ db: h.db, log: pino({ level: 'silent' }), outputDir: path.join(dir, 'out'), digest, topics, fireTime: new Date('2026-11-26T05:00:00Z'), transports: { sleep: async () => undefined } });
    const results = await Promise.all([run(handles[0]), run(handles[1]), run(handles[0]), run(handles[1])]);
    expect(results.filter((r) => r.built)).toHaveLength(1);
    expect(smtp.messages).toHaveLength(1);
    expect(hook.hits).toHaveLength(1);
    const again = await run(handles[1]);
    expect(again.deliveries.map((d) => d.state)).toEqual(['sent', 'sent', 'sent']);
    expect((await listOutbox(handles[0].db, { digestId: 'morning' })).map((r) => r.attempts)).toEqual([1, 1, 1]);
  });
});
