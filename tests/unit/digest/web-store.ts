// A temp SQLite store with the fixture articles, a stored digest and one delivery in state unknown: what the web
// tests (in-process and in Chromium) look at.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { openDb, type DbHandle } from '../../../src/store/db.js';
import { runDigest } from '../../../src/pipeline/digest.js';
import { digestSchema } from '../../../src/digest/config.js';
import type { WebDeps } from '../../../src/http/app.js';
import { seedStore } from './helpers.js';

export async function setupWebStore(): Promise<{ dir: string; h: DbHandle; deps: WebDeps }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ww-web-'));
  const h = await openDb({ url: path.join(dir, 'ww.db'), dataDir: dir });
  await seedStore(h.db);
  await h.db.updateTable('articles').set({
    html: '<p>Hostile <b>body</b><img src=x onerror=alert(1)><a href="javascript:alert(2)">click</a><script>alert(3)</script><svg onload=alert(4)></svg><a href="https://ok.example/">ok</a></p>',
  }).where('item_id', '=', 'x1').execute();
  const digest = digestSchema.parse({ id: 'morning', title: 'Morning <b>brief</b>', schedule: { at: '07:00', tz: 'Europe/Kyiv' }, channels: [{ type: 'files' }] });
  const topics = [{ id: 'ukraine-energy', title: 'Ukraine energy' }, { id: 'markets', title: 'Markets' }];
  await runDigest({ db: h.db, log: pino({ level: 'silent' }), outputDir: path.join(dir, 'out'), digest, topics, fireTime: new Date('2026-11-26T05:00:00Z') });
  // A delivery whose outcome is unknown must be visible in the UI.
  const now = '2026-11-26T05:01:00.000Z';
  await h.db.insertInto('outbox').values({
    digest_id: 'morning', period: '2026-11-26', channel: 'email:deadbeef', state: 'unknown', attempts: 1, idempotency_key: 'k',
    receipt: null, error: 'email: connection lost after DATA <maybe>', created_at: now, updated_at: now,
  }).execute();
  return { dir, h, deps: { db: h.db, digests: [digest], topics } };
}

