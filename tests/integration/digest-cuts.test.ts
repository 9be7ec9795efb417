// The delivery rule (README "Which articles a digest carries"): every matched article appears in exactly one digest
// of each digest definition covering its topic. Injected clocks, real stores (SQLite and PostgreSQL): a cron user's
// week of `run --once` at 07:05, a repeated run, catch-up after the service was down over 07:00 (G3), and retention.
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { digestSchema, type DigestConfig } from '../../src/digest/config.js';
import { deliverDueDigests } from '../../src/runtime/once-digests.js';
import { catchUpDigests } from '../../src/pipeline/catch-up.js';
import { prune } from '../../src/pipeline/prune.js';
import { recordItems } from '../../src/store/items.js';
import { saveArticle } from '../../src/store/articles.js';
import { upsertFeeds } from '../../src/store/feeds.js';
import { listOutbox } from '../../src/store/outbox.js';
import { listDigests } from '../../src/store/digests.js';
import { runDigest } from '../../src/pipeline/digest.js';
import type { Database } from '../../src/store/schema.js';
import type { Digest } from '../../src/digest/types.js';
import { STORES, tempDir, type TestStore } from '../support/stores.js';

const TOPICS = [{ id: 'nato', title: 'NATO' }, { id: 'assets', title: 'Frozen assets' }];
const silent = pino({ level: 'silent' });
let store: TestStore | undefined;
let out: string;
afterEach(async () => {
  await store?.cleanup();
  store = undefined;
  if (out) fs.rmSync(out, { recursive: true, force: true });
});

function digest(over: Partial<DigestConfig> = {}): DigestConfig {
  return digestSchema.parse({ id: 'morning', title: 'Morning', schedule: { at: '07:00', tz: 'Europe/Kyiv' }, channels: [{ type: 'files' }], ...over });
}

let n = 0;
/** Store one matched article the way the pipeline does, at `storedAt`. */
async function article(db: Kysely<Database>, storedAt: string, topic = 'nato', score = 3): Promise<string> {
  const id = `it${String(++n).padStart(4, '0')}`;
  await upsertFeeds(db, [{ id: 'f', url: 'https://f.example/rss', title: 'F' }], '2026-01-01T00:00:00.000Z');
  await recordItems(db, 'f', [{ id, contentHash: `h-${id}`, item: { title: `Story ${id}`, url: `https://f.example/${id}` } }], storedAt);
  await saveArticle(
    db, id,
    // Distinct words per article, so the clustering keeps each its own story.
    { url: `https://f.example/${id}`, canonicalUrl: `https://f.example/${id}`, title: `Story ${id} ${id.split('').reverse().join('')}`, text: `Body of ${id}. ${'lorem '.repeat(3)}${id}`, via: 'feed', siteName: `Outlet ${id}` },
    `h-${id}`, [{ topicId: topic, score, threshold: 1, evidence: [] }], storedAt,
  );
  return id;
}

const itemsOf = (d: Digest) => d.topics.flatMap((t) => t.articles.map((a) => `${t.id}:${a.itemId}`));
async function stored(db: Kysely<Database>): Promise<Map<string, Digest>> {
  return new Map((await listDigests(db, { limit: 1000 })).map((r) => [r.period, JSON.parse(r.content) as Digest]));
}
/** 07:05 Kyiv (UTC+2 in winter) on 2026-11-<day>, plus minutes. */
const kyiv = (day: number, hh: number, mm = 0) => new Date(Date.UTC(2026, 10, day, hh - 2, mm)).toISOString();

describe.each(STORES)('delivery rule on %s', (_name, open) => {
  it("a cron user's week: run --once at 07:05 delivers that run's articles that morning; none twice, none lost", async () => {
    store = await open();
    out = tempDir('ww-cuts-');
    const db = store.handle.db;
    const deps = { db, log: silent, outputDir: out, digests: [digest()], topics: TOPICS };
    const expected = new Map<string, string[]>();
    const all: string[] = [];
    let waiting: string[] = [];
    for (let day = 20; day <= 26; day++) {
      // Published between runs: the evening before and overnight; then what this morning's run itself collects.
      const between = day > 20 ? [await article(db, kyiv(day - 1, 18)), await article(db, kyiv(day, 2), 'assets')] : [];
      const collected = [await article(db, kyiv(day, 7, 5)), await article(db, kyiv(day, 7, 5), 'assets')];
      const period = `2026-11-${day}`;
      // Yesterday's second run collected `waiting`: it goes out this morning, with everything since.
      expected.set(period, [...waiting, ...between, ...collected]);
      all.push(...between, ...collected);
      // run --once at 07:05 finishes polling at 07:06 and builds the due digest.
      expect(await deliverDueDigests(deps, new Date(kyiv(day, 7, 6)))).toEqual([{ digestId: 'morning', period, built: true }]);
      // A second run the same day (noon): builds nothing, sends nothing; what it collected waits for tomorrow.
      waiting = [await article(db, kyiv(day, 12))];
      all.push(...waiting);
      expect(await deliverDueDigests(deps, new Date(kyiv(day, 12, 1)))).toEqual([{ digestId: 'morning', period, built: false }]);
    }
    const digests = await stored(db);
    const seen: string[] = [];
    for (let day = 20; day <= 26; day++) {
      const period = `2026-11-${day}`;
      const d = digests.get(period)!;
      const got = itemsOf(d).map((x) => x.split(':')[1]).sort();
      expect(got, period).toEqual([...expected.get(period)!].sort());
      expect(d.coveredTo).toBe(kyiv(day, 7, 6));
      seen.push(...got);
    }
    // Exactly once: every article stored before the last run, in one digest; the last noon article still waiting.
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(all.slice(0, -1).sort());
    const ob = await listOutbox(db, { limit: 100 });
    expect(ob.map((o) => [o.period, o.state]).sort()).toEqual([...digests.keys()].sort().map((p) => [p, 'sent']));
  });

  it('an article matching two topics is in each topic once; a second digest definition carries it too, once', async () => {
    store = await open();
    out = tempDir('ww-cuts-');
    const db = store.handle.db;
    const id = await article(db, kyiv(24, 9));
    await saveArticle(db, id, { url: `https://f.example/${id}`, canonicalUrl: `https://f.example/${id}`, title: 'T', text: 'x', via: 'feed' }, `h-${id}`,
      [{ topicId: 'nato', score: 3, threshold: 1, evidence: [] }, { topicId: 'assets', score: 3, threshold: 1, evidence: [] }], kyiv(24, 9));
    const evening = digest({ id: 'evening', schedule: { at: '19:00', tz: 'Europe/Kyiv' }, topics: ['assets'] });
    const deps = { db, log: silent, outputDir: out, digests: [digest(), evening], topics: TOPICS };
    await deliverDueDigests(deps, new Date(kyiv(24, 20)));
    await deliverDueDigests(deps, new Date(kyiv(25, 8)));
    await deliverDueDigests(deps, new Date(kyiv(25, 20)));
    const rows = await listDigests(db, { limit: 100 });
    const carried = rows.flatMap((r) => itemsOf(JSON.parse(r.content) as Digest).map((x) => `${r.digest_id}:${x}`));
    expect(carried.sort()).toEqual([`evening:assets:${id}`, `morning:assets:${id}`, `morning:nato:${id}`]);
  });

  it('G3: down over 07:00, started at 09:30 → the missed digest is built once (merged), a fresh install sends nothing back-dated', async () => {
    store = await open();
    out = tempDir('ww-cuts-');
    const db = store.handle.db;
    const d = digest();
    const enqueued: { period: string; fire: string }[] = [];
    const deps = (now: string) => ({
      db, log: silent, digests: [d], horizonDays: 7, now: new Date(now),
      enqueue: async (_id: string, fire: Date, period: string) => void enqueued.push({ period, fire: fire.toISOString() }),
    });
    // Fresh install at 09:00 on the 20th: the 07:00 fire that morning was before wirewatch knew the digest.
    expect(await catchUpDigests(deps(kyiv(20, 9)))).toEqual([]);
    await runDigest({ db, log: silent, outputDir: out, digest: d, topics: TOPICS, fireTime: new Date(kyiv(21, 7)), now: () => new Date(kyiv(21, 7, 0)) });
    // Down from the 21st 08:00 to the 23rd 09:30: the 22nd and 23rd fires were missed.
    const a = await article(db, kyiv(21, 10));
    const b = await article(db, kyiv(22, 10));
    expect(await catchUpDigests(deps(kyiv(23, 9, 30)))).toEqual([{ digestId: 'morning', period: '2026-11-23', missed: 2 }]);
    expect(enqueued).toEqual([{ period: '2026-11-23', fire: kyiv(23, 7) }]);
    // The job runs (as the worker would) and carries both days' articles.
    await runDigest({ db, log: silent, outputDir: out, digest: d, topics: TOPICS, fireTime: new Date(enqueued[0].fire), now: () => new Date(kyiv(23, 9, 31)) });
    const got = itemsOf((await stored(db)).get('2026-11-23')!).map((x) => x.split(':')[1]).sort();
    expect(got).toEqual([a, b].sort());
    // Started again: nothing more to catch up.
    expect(await catchUpDigests(deps(kyiv(23, 10)))).toEqual([]);
    // Beyond the horizon nothing is caught up.
    expect(await catchUpDigests({ ...deps(kyiv(23, 10)), now: new Date(kyiv(23, 10)), horizonDays: 0 })).toEqual([]);
    expect((await listOutbox(db)).filter((o) => o.state === 'sent').map((o) => o.period).sort()).toEqual(['2026-11-21', '2026-11-23']);
  });

  it('retention prunes old article text and items in batches, keeping digests, matches, cuts and outbox rows', async () => {
    store = await open();
    out = tempDir('ww-cuts-');
    const db = store.handle.db;
    const old = [await article(db, '2026-01-01T10:00:00.000Z'), await article(db, '2026-01-02T10:00:00.000Z'), await article(db, '2026-01-03T10:00:00.000Z')];
    const fresh = await article(db, kyiv(25, 9));
    const d = digest();
    await runDigest({ db, log: silent, outputDir: out, digest: d, topics: TOPICS, fireTime: new Date(kyiv(26, 7)), now: () => new Date(kyiv(26, 7)) });
    const before = await stored(db);
    const r = await prune({ db, retentionDays: 180, batch: 2, now: () => new Date(kyiv(26, 8)) });
    expect(r).toEqual({ articles: 3, items: 3 });
    const texts = await db.selectFrom('articles').select(['item_id', 'text']).orderBy('item_id').execute();
    expect(texts.filter((t) => t.text === '').map((t) => t.item_id)).toEqual(old);
    expect(texts.find((t) => t.item_id === fresh)?.text).not.toBe('');
    expect((await db.selectFrom('items').select('id').execute()).map((x) => x.id)).toEqual([fresh]);
    expect(await db.selectFrom('matches').select('item_id').execute()).toHaveLength(4);
    // The first digest's cut starts at its own period: the January articles predate it and were never carried.
    expect((await db.selectFrom('digest_items').select('item_id').execute()).map((x) => x.item_id)).toEqual([fresh]);
    expect(await stored(db)).toEqual(before);
    expect(await listOutbox(db)).toHaveLength(1);
    expect(await prune({ db, retentionDays: 180, now: () => new Date(kyiv(26, 8)) })).toEqual({ articles: 0, items: 0 });
  });
});
