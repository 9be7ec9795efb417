// "Today so far" on the home page and the topic page: what a run just stored is visible at once, each article
// marked with the digest that carried it or "not yet delivered", every stored string escaped.
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { JSDOM } from 'jsdom';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebApp } from '../../src/http/app.js';
import { digestSchema } from '../../src/digest/config.js';
import { deliverDueDigests } from '../../src/runtime/once-digests.js';
import { recordItems } from '../../src/store/items.js';
import { saveArticle } from '../../src/store/articles.js';
import { upsertFeeds } from '../../src/store/feeds.js';
import { activeContent } from '../unit/digest/helpers.js';
import { sqliteStore, tempDir, type TestStore } from '../support/stores.js';

let store: TestStore;
let out: string;
afterEach(async () => {
  await store.cleanup();
  fs.rmSync(out, { recursive: true, force: true });
});

const HOSTILE = '<img src=x onerror=alert(1)> Hague summit';
const topics = [{ id: 'nato', title: 'NATO' }, { id: 'assets', title: 'Frozen assets' }];

async function article(id: string, title: string, topic: string, at: Date) {
  const db = store.handle.db;
  await upsertFeeds(db, [{ id: 'f', url: 'https://f.example/rss', title: 'F' }], at.toISOString());
  await recordItems(db, 'f', [{ id, contentHash: `h-${id}`, item: { title, url: `https://f.example/${id}` } }], at.toISOString());
  await saveArticle(db, id, { url: `https://f.example/${id}`, canonicalUrl: `https://f.example/${id}`, title, text: 'text', via: 'feed', siteName: 'Outlet' },
    `h-${id}`, [{ topicId: topic, score: 2, threshold: 1, evidence: [] }], at.toISOString());
}

describe('Today so far', () => {
  it('lists today\'s matches on the home and topic pages, delivered or not yet delivered', async () => {
    store = await sqliteStore();
    out = tempDir('ww-today-');
    const digest = digestSchema.parse({ id: 'morning', title: 'Morning', schedule: { at: '00:00', tz: 'UTC' }, channels: [{ type: 'files' }] });
    const t0 = new Date(Date.now() - 2000);
    await article('a1', HOSTILE, 'nato', t0);
    // The due digest carries a1 …
    const [built] = await deliverDueDigests({ db: store.handle.db, log: pino({ level: 'silent' }), outputDir: path.join(out, 'd'), digests: [digest], topics }, new Date(t0.getTime() + 500));
    // … and a2, stored after its cut, waits for the next one.
    await article('a2', 'Euroclear loan agreed', 'assets', new Date(t0.getTime() + 1000));
    const app = createWebApp({ db: store.handle.db, digests: [digest], topics });

    const nato = await (await app.request('/topics/nato')).text();
    expect(activeContent(nato, true)).toEqual([]);
    const items = [...new JSDOM(nato).window.document.querySelectorAll('ul.today li')].map((li) => li.textContent);
    expect(items).toHaveLength(1);
    expect(items[0]).toContain(HOSTILE);
    expect(items[0]).toContain(`in morning ${built.period}`);

    const home = new JSDOM(await (await app.request('/')).text()).window.document;
    const rows = [...home.querySelectorAll('ul.today li')].map((li) => li.textContent!);
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.includes('Euroclear'))).toContain('not yet delivered');
    expect(rows.find((r) => r.includes('Hague'))).toContain(`in morning ${built.period}`);

    const empty = await (await createWebApp({ db: store.handle.db, digests: [digest], topics: [...topics, { id: 'x', title: 'X' }] }).request('/topics/x')).text();
    expect(empty).toMatch(/Nothing matched today yet/);
  });
});
