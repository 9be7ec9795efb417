// The desk's pages in-process: feed health (trouble first), topic trends (chart with a text alternative, top
// outlets and languages, week over week), sparklines and desk links on the home page, and relevance feedback
// (CSRF token, reader, redirect back, export in the evaluation-set format).
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebApp } from '../../src/http/app.js';
import type { WebDeps } from '../../src/http/deps.js';
import { run as runFeedback } from '../../src/commands/feedback.js';
import { openDb } from '../../src/store/db.js';
import { feedbackFor } from '../../src/store/feedback.js';
import { commandContext } from '../support/command-context.js';
import { seedArticles, seedFeeds, type SeedArticle } from '../support/desk-store.js';
import { sqliteStore, tempDir, type TestStore } from '../support/stores.js';

const DAY = 86_400_000;
const now = Date.now();
const ago = (d: number, h = 0) => new Date(now - d * DAY - h * 3_600_000).toISOString();
const TOPICS = [{ id: 'nato', title: 'NATO' }, { id: 'frozen-assets', title: 'Frozen <assets>' }];

// 3 NATO matches in the last 7 days, 2 in the week before: +50%.
const ARTICLES: SeedArticle[] = [
  { id: 'n1', feed: 'reuters', site: 'Reuters', lang: 'en', storedAt: ago(0, 1), topics: ['nato'], title: 'NATO one', text: 'Lead paragraph.\n\nBody about NATO.' },
  { id: 'n2', feed: 'reuters', site: 'Reuters', lang: 'en', storedAt: ago(2), topics: ['nato'], title: 'NATO two', text: 'NATO text.' },
  { id: 'n3', feed: 'spiegel', site: 'Der Spiegel', lang: 'de', storedAt: ago(5), topics: ['nato'], title: 'NATO drei', text: 'NATO Text.' },
  { id: 'n4', feed: 'spiegel', site: 'Der Spiegel', lang: 'de', storedAt: ago(8), topics: ['nato'], title: 'NATO vier', text: 'NATO Text.' },
  { id: 'n5', feed: 'reuters', site: 'Reuters', lang: 'en', storedAt: ago(10), topics: ['nato'], title: 'NATO five', text: 'NATO text.' },
  { id: 'n6', feed: 'reuters', site: 'Reuters', lang: 'en', storedAt: ago(40), topics: ['nato'], title: 'NATO old', text: 'Outside the window.' },
];

describe('desk pages', () => {
  let s: TestStore;
  let deps: WebDeps;
  let app: ReturnType<typeof createWebApp>;
  beforeAll(async () => {
    s = await sqliteStore();
    await seedFeeds(s.handle.db, [{ id: 'reuters', title: 'Reuters' }, { id: 'spiegel', title: 'Der Spiegel' }, { id: 'broken', title: 'Broken <feed>' }, { id: 'fresh', title: 'Fresh' }], ago(30));
    await s.handle.db.updateTable('feeds').set({ last_poll_at: ago(0, 1), next_poll_at: ago(-1), interval_s: 1800, last_status: 200 }).where('id', 'in', ['reuters', 'spiegel']).execute();
    await s.handle.db.updateTable('feeds').set({ last_poll_at: ago(0, 1), next_poll_at: ago(-1), consecutive_failures: 4, last_status: 503, last_error: 'fetch: HTTP 503 <script>x</script>' }).where('id', '=', 'broken').execute();
    await seedArticles(s.handle.db, ARTICLES);
    // Spiegel's items are all older than QUIET_AFTER_DAYS: it has gone quiet.
    await s.handle.db.updateTable('items').set({ discovered_at: ago(5) }).where('feed_id', '=', 'spiegel').execute();
    deps = { db: s.handle.db, digests: [], topics: TOPICS };
    app = createWebApp(deps);
  });
  afterAll(async () => s?.cleanup());

  it('/feeds lists every feed, trouble first, with its numbers, escaped', async () => {
    const res = await app.request('/feeds');
    expect(res.status).toBe(200);
    const html = await res.text();
    const order = ['broken', 'spiegel', 'fresh', 'reuters'].map((id) => html.indexOf(`>${id}</div>`));
    expect(order.every((x) => x > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(html).toMatch(/failing ×4/);
    expect(html).toMatch(/quiet/);
    expect(html).toMatch(/never polled/);
    expect(html).toContain('fetch: HTTP 503 &lt;script&gt;x&lt;/script&gt;');
    expect(html).toContain('Broken &lt;feed&gt;');
    expect(html).toContain('30 min');
    // Reuters: 2 items within the last 7 days (n1, n2) → 0.3 per day.
    expect(html).toMatch(/<td[^>]*>0\.3<\/td>/);
  });

  it('the topic page shows the 30-day chart with its text alternative, outlets, languages and week over week', async () => {
    const html = await (await app.request('/topics/nato')).text();
    expect(html).toMatch(/<svg role="img" aria-labelledby="trend-title"/);
    expect(html).toContain('5 in all');
    expect(html).toMatch(/<strong>3<\/strong> articles in the last 7 days, 2 the week before: <strong>\+50% week over week<\/strong>/);
    expect(html).toContain('Top outlets: Reuters (3), Der Spiegel (2)');
    expect(html).toContain('Languages: en (3), de (2)');
    expect((html.match(/<rect /g) ?? []).length).toBe(30);
    expect(html).toContain('<summary>Numbers per day</summary>');
  });

  it('the home page links the desk pages and shows a sparkline per topic', async () => {
    const html = await (await app.request('/')).text();
    expect(html).toContain('href="/search"');
    expect(html).toContain('href="/feeds"');
    expect(html).toMatch(/<svg role="img" aria-label="NATO: 5 articles in 30 days, 3 in the last 7"/);
    expect(html).toContain('aria-label="Frozen &lt;assets&gt;: 0 articles in 30 days, 0 in the last 7"');
  });

  it('feedback needs the form token, records who and what, redirects back, and exports', async () => {
    const page = await (await app.request('/articles/n1')).text();
    const token = /name="token" value="([^"]+)"/.exec(page)?.[1];
    expect(token).toBeTruthy();
    expect(page).toContain('<legend style="float:left;padding:0 6px 0 0;color:#3f3f46;">Frozen &lt;assets&gt;:</legend>');
    const post = (body: Record<string, string>) =>
      // As a browser posts the page's own form: same-origin headers (a cross-site post is refused before the token check).
      app.request('/feedback', { method: 'POST', body: new URLSearchParams(body), headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost', 'sec-fetch-site': 'same-origin' } });
    expect((await post({ item: 'n1', topic: 'nato', label: 'relevant', back: '/articles/n1' })).status).toBe(403);
    expect((await post({ item: 'n1', topic: 'nato', label: 'relevant', token: `${Date.now()}.${'A'.repeat(43)}` })).status).toBe(403);
    expect((await post({ item: 'n1', topic: 'nope', label: 'relevant', token: token! })).status).toBe(400);
    expect((await post({ item: 'n1', topic: 'nato', label: 'maybe', token: token! })).status).toBe(400);
    expect((await post({ item: 'zz', topic: 'nato', label: 'relevant', token: token! })).status).toBe(404);
    const ok = await post({ item: 'n1', topic: 'nato', label: 'relevant', token: token!, back: '/digests/morning/2026-11-26' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/digests/morning/2026-11-26');
    const offsite = await post({ item: 'n1', topic: 'frozen-assets', label: 'not_relevant', token: token!, back: '//evil.example/' });
    expect(offsite.headers.get('location')).toBe('/articles/n1');
    await post({ item: 'n2', topic: 'nato', label: 'not_relevant', token: token! });
    expect([...(await feedbackFor(s.handle.db, ['n1'], 'anonymous'))]).toEqual([['n1 frozen-assets', 'not_relevant'], ['n1 nato', 'relevant']].sort());
    const row = await s.handle.db.selectFrom('feedback').selectAll().where('item_id', '=', 'n1').where('topic_id', '=', 'nato').executeTakeFirstOrThrow();
    expect(row.user_name).toBe('anonymous');
    expect(Date.parse(row.created_at)).toBeGreaterThan(now - 60_000);
    expect(await (await app.request('/articles/n1')).text()).toMatch(/value="relevant" aria-pressed="true"/);

    const dir = tempDir('ww-fb-');
    const file = `${dir}/labels.jsonl`;
    const { ctx } = commandContext({ config: {}, openStore: () => openDb({ url: s.url, dataDir: dir }) });
    expect(await runFeedback(['export', '--out', file], ctx)).toBe(0);
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { id: 'n1', lang: 'en', title: 'NATO one', lead: 'Lead paragraph.', text: 'Lead paragraph.\n\nBody about NATO.', topics: ['nato'] },
      { id: 'n2', lang: 'en', title: 'NATO two', text: 'NATO text.', topics: [] },
    ]);
  });

  it('feedback under auth is stored with the user name, and a token is bound to its reader', async () => {
    const authed = createWebApp({ ...deps, auth: { basic: { user: 'olena', password: 'pw' } } });
    const h = { authorization: `Basic ${Buffer.from('olena:pw').toString('base64')}` };
    expect((await authed.request('/feedback', { method: 'POST' })).status).toBe(401);
    const page = await (await authed.request('/articles/n3', { headers: h })).text();
    const token = /name="token" value="([^"]+)"/.exec(page)![1];
    const body = new URLSearchParams({ item: 'n3', topic: 'nato', label: 'relevant', token });
    const res = await authed.request('/feedback', { method: 'POST', body, headers: { ...h, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(303);
    expect([...(await feedbackFor(s.handle.db, ['n3'], 'olena'))]).toEqual([['n3 nato', 'relevant']]);
    // The anonymous reader's token does not work for olena.
    const anon = /name="token" value="([^"]+)"/.exec(await (await app.request('/articles/n3')).text())![1];
    const res2 = await authed.request('/feedback', { method: 'POST', body: new URLSearchParams({ item: 'n3', topic: 'nato', label: 'relevant', token: anon }), headers: { ...h, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res2.status).toBe(403);
  });
});
