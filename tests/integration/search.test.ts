// Full-text search on both databases: folding, phrases, AND/OR/NOT, prefixes, filters, paging, the index kept in
// step with updates and deletes, rebuild, escaped snippets, and the CLI and the /search page agreeing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebApp } from '../../src/http/app.js';
import { run as runSearch } from '../../src/commands/search.js';
import { openDb } from '../../src/store/db.js';
import { rebuildSearchIndex, searchArticles } from '../../src/store/search.js';
import { saveArticle } from '../../src/store/articles.js';
import { commandContext } from '../support/command-context.js';
import { seedArticles, seedFeeds, type SeedArticle } from '../support/desk-store.js';
import { STORES, tempDir, type TestStore } from '../support/stores.js';

const ARTICLES: SeedArticle[] = [
  { id: 'a1', feed: 'spiegel', lang: 'de', storedAt: '2026-11-24T08:00:00.000Z', topics: ['frozen-assets'], title: 'EU ringt um Reparationsdarlehen', text: 'Die Kommission will das Reparationsdarlehen für die Ukraine aus eingefrorenen Vermögenswerten finanzieren. Belgien zögert.' },
  { id: 'a2', feed: 'lemonde', lang: 'fr', storedAt: '2026-11-25T08:00:00.000Z', topics: ['frozen-assets'], title: 'Le prêt de réparations divise l’Europe', text: 'La Belgique refuse de garantir le prêt. Les avoirs russes gelés sont détenus par Euroclear.' },
  { id: 'a3', feed: 'reuters', lang: 'en', storedAt: '2026-11-26T08:00:00.000Z', topics: ['frozen-assets', 'nato'], title: 'EU leaders back reparations loan for Ukraine', text: 'The reparations loan would use frozen Russian assets held at Euroclear in Belgium. NATO allies welcomed the plan.' },
  { id: 'a4', feed: 'reuters', lang: 'en', storedAt: '2026-11-26T09:00:00.000Z', topics: ['nato'], title: 'NATO ministers meet in Brussels', text: 'Defence ministers discussed air defence and the eastern flank. No loan was discussed.' },
  { id: 'a5', feed: 'kyiv', lang: 'uk', storedAt: '2026-11-27T08:00:00.000Z', topics: ['frozen-assets'], title: 'Репараційний кредит: Бельгія вагається', text: 'Заморожені російські активи можуть стати основою кредиту для України.' },
  { id: 'a6', feed: 'reuters', lang: 'en', storedAt: '2026-11-27T09:00:00.000Z', title: 'Café owners protest <script>alert(1)</script> taxes', text: 'Owners of a café in Kyiv said the <b>new</b> taxes were unfair. Cafe culture is thriving.' },
];

const ids = (p: { hits: { id: string }[] }) => p.hits.map((h) => h.id);

describe.each(STORES)('search (%s)', (_name, open) => {
  let s: TestStore;
  beforeAll(async () => {
    s = await open();
    await seedFeeds(s.handle.db, [{ id: 'spiegel', title: 'Der Spiegel' }, { id: 'lemonde', title: 'Le Monde' }, { id: 'reuters', title: 'Reuters' }, { id: 'kyiv', title: 'Kyiv Post' }]);
    await seedArticles(s.handle.db, ARTICLES);
  });
  afterAll(async () => s?.cleanup());
  const search = (query: string, extra: Record<string, unknown> = {}) => searchArticles(s.handle.db, { query, ...extra });

  it('finds words whatever their case and accents, newest first', async () => {
    expect(ids(await search('euroclear'))).toEqual(['a3', 'a2']);
    expect(ids(await search('CAFE'))).toEqual(['a6']);
    expect(ids(await search('prêt'))).toEqual(['a2']);
    expect(ids(await search('pret'))).toEqual(['a2']);
    expect(ids(await search('бельгія'))).toEqual(['a5']);
  });

  it('supports phrases, AND, OR, NOT and prefixes', async () => {
    expect(ids(await search('"reparations loan"'))).toEqual(['a3']);
    expect(ids(await search('"loan reparations"'))).toEqual([]);
    expect(ids(await search('loan AND belgium'))).toEqual(['a3']);
    expect(ids(await search('loan belgium'))).toEqual(['a3']);
    expect(ids(await search('loan -belgium'))).toEqual(['a4']);
    expect(ids(await search('loan NOT belgium'))).toEqual(['a4']);
    expect(ids(await search('euroclear OR brussels'))).toEqual(['a4', 'a3', 'a2']);
    expect(ids(await search('(belgien OR belgique) -euroclear'))).toEqual(['a1']);
    expect(ids(await search('reparationsdarl*'))).toEqual(['a1']);
    expect(ids(await search('активи'))).toEqual(['a5']);
  });

  it('filters by topic, dates, feed and language', async () => {
    expect(ids(await search('loan OR prêt OR reparationsdarlehen', { topic: 'frozen-assets' }))).toEqual(['a3', 'a2', 'a1']);
    expect(ids(await search('loan', { topic: 'nato' }))).toEqual(['a4', 'a3']);
    expect(ids(await search('loan OR prêt OR reparationsdarlehen', { since: '2026-11-25T00:00:00.000Z', until: '2026-11-26T08:30:00.000Z' }))).toEqual(['a3', 'a2']);
    expect(ids(await search('loan', { feed: 'reuters', lang: 'en' }))).toEqual(['a4', 'a3']);
    expect(ids(await search('loan', { lang: 'de' }))).toEqual([]);
  });

  it('pages without gaps or repeats', async () => {
    const q = 'loan OR prêt OR reparationsdarlehen OR кредиту OR cafe';
    const all = ids(await search(q, { limit: 50 }));
    expect(all).toEqual(['a6', 'a5', 'a4', 'a3', 'a2', 'a1']);
    const p1 = await search(q, { limit: 4 });
    const p2 = await search(q, { limit: 4, offset: 4 });
    expect(p1.more).toBe(true);
    expect(p2.more).toBe(false);
    expect([...ids(p1), ...ids(p2)]).toEqual(all);
  });

  it('returns snippets with the hits marked, and the topics', async () => {
    const [h] = (await search('euroclear', { lang: 'en' })).hits;
    expect(h.topics).toEqual(['frozen-assets', 'nato']);
    const marked = h.snippet.highlights.map(([a, b]) => h.snippet.text.slice(a, b));
    expect(marked).toEqual(['Euroclear']);
  });

  it('keeps the index in step when an article changes or goes', async () => {
    const a = ARTICLES[3];
    await saveArticle(s.handle.db, a.id, { url: 'https://x.example/a4', canonicalUrl: 'https://x.example/a4', title: 'NATO ministers meet in Vilnius', text: 'Changed text about drones.', lang: 'en', via: 'feed' }, 'h2', [], a.storedAt);
    expect(ids(await search('vilnius'))).toEqual(['a4']);
    expect(ids(await search('brussels'))).toEqual([]);
    await s.handle.db.deleteFrom('matches').where('item_id', '=', 'a4').execute();
    await s.handle.db.deleteFrom('articles').where('item_id', '=', 'a4').execute();
    expect(ids(await search('vilnius'))).toEqual([]);
    expect(await rebuildSearchIndex(s.handle.db)).toBe(ARTICLES.length - 1);
    expect(ids(await search('euroclear'))).toEqual(['a3', 'a2']);
  });

  it('rejects queries it cannot run, with a message', async () => {
    await expect(search('-loan')).rejects.toThrow(/NOT needs a word/);
    await expect(search('  ')).rejects.toThrow(/no words/);
    await expect(search('(loan')).rejects.toThrow(/not closed/);
    // FTS syntax characters are only ever words.
    expect(ids(await search('^reparations: NEAR loan*'))).toEqual([]);
    expect(ids(await search('reparations: +loan^'))).toEqual(['a3']);
  });

  it('the CLI and the /search page list the same results; snippets are escaped', async () => {
    const dir = tempDir('ww-search-');
    const { ctx, out } = commandContext({ config: {}, openStore: () => openDb({ url: s.url, dataDir: dir }) });
    const argv = ['cafe OR euroclear', '--since', '2026-11-25', '--until', '2026-11-27', '--json'];
    expect(await runSearch(argv, ctx)).toBe(0);
    const cli = JSON.parse(out()) as { results: { id: string; snippet: string }[] };
    expect(cli.results.map((r) => r.id)).toEqual(['a6', 'a3', 'a2']);
    const app = createWebApp({ db: s.handle.db, digests: [], topics: [{ id: 'nato', title: 'NATO' }] });
    const res = await app.request('/search?q=cafe+OR+euroclear&since=2026-11-25&until=2026-11-27');
    expect(res.status).toBe(200);
    const html = await res.text();
    const web = [...html.matchAll(/href="\/articles\/([^"]+)"/g)].map((m) => decodeURIComponent(m[1]));
    expect(web).toEqual(cli.results.map((r) => r.id));
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<mark style="background:#fef08a;color:inherit;padding:0 1px;">café</mark>');
    expect(res.headers.get('content-security-policy')).toContain("form-action 'self'");
    const bad = await app.request('/search?q=-loan');
    expect(bad.status).toBe(400);
  });
});
