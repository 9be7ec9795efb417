// Stories across days (issue 17) on real stores: two days' digests built the way the digest job builds them; the
// second day's continuing story says "developing since" with the counts of both days, a new story does not, the
// story page lists both days, and building a day again links nothing twice.
import pino from 'pino';
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { digestSchema } from '../../src/digest/config.js';
import { periodFor } from '../../src/digest/period.js';
import { renderMarkdown, renderText, renderHtml, digestAtomEntries } from '../../src/digest/render.js';
import { loadOrBuildDigest } from '../../src/pipeline/digest.js';
import type { Digest, DigestStory } from '../../src/digest/types.js';
import { createWebApp } from '../../src/http/app.js';
import { saveArticle } from '../../src/store/articles.js';
import { upsertFeeds } from '../../src/store/feeds.js';
import { recordItems } from '../../src/store/items.js';
import type { Database } from '../../src/store/schema.js';
import { STORES, type TestStore } from '../support/stores.js';

const TOPICS = [{ id: 'assets', title: 'Frozen assets' }];
const DIGEST = digestSchema.parse({ id: 'morning', title: 'Morning', schedule: { at: '07:00', tz: 'UTC' }, channels: [{ type: 'files' }] });
let store: TestStore | undefined;
afterEach(async () => {
  await store?.cleanup();
  store = undefined;
});

const LOAN =
  'European Union leaders failed to agree on a plan to lend Ukraine up to 140 billion euros backed by frozen Russian ' +
  'central bank assets, after Belgium demanded guarantees that it would not be left alone to repay the money if Moscow ' +
  'won a legal challenge. Most of the immobilised assets are held at Euroclear, the Brussels-based depository.';
const GENEVA =
  'Negotiators from the United States and Ukraine met in Geneva to discuss a draft framework for a ceasefire, officials ' +
  'said, with talks expected to continue into the weekend. Neither side gave details of the points under discussion.';
const NATO = 'NATO foreign ministers met to discuss air defence deliveries and spending targets, urging faster production of interceptors before winter.';

async function article(db: Kysely<Database>, id: string, at: string, outlet: string, title: string, text: string): Promise<void> {
  await upsertFeeds(db, [{ id: 'f', url: 'https://f.example/rss', title: 'F' }], '2026-01-01T00:00:00.000Z');
  await recordItems(db, 'f', [{ id, contentHash: `h-${id}`, item: { title, url: `https://f.example/${id}` } }], at);
  await saveArticle(
    db, id, { url: `https://f.example/${id}`, canonicalUrl: `https://f.example/${id}`, title, text, via: 'feed', siteName: outlet },
    `h-${id}`, [{ topicId: 'assets', score: 3, threshold: 1, evidence: [] }], at,
  );
}

async function build(db: Kysely<Database>, day: string): Promise<Digest> {
  const fire = new Date(`${day}T07:00:00.000Z`);
  const { digest } = await loadOrBuildDigest({ db, digest: DIGEST, topics: TOPICS }, periodFor(DIGEST.schedule, fire), { store: true, now: new Date(fire.getTime() + 60_000) });
  return digest;
}

const storyWith = (d: Digest, itemId: string): DigestStory => d.topics[0].stories.find((s) => s.itemId === itemId || s.others.some((o) => o.itemId === itemId))!;

describe.each(STORES)('stories across days on %s', (_name, open) => {
  it('the second day says "developing since" with both days counted; a new story does not', async () => {
    store = await open();
    const db = store.handle.db;
    // Day 1 (period 2026-11-26): the loan story from two outlets (three articles), and a NATO story.
    await article(db, 'l1', '2026-11-25T09:00:00.000Z', 'Reuters', 'EU leaders fail to agree on Ukraine loan from frozen Russian assets', LOAN);
    await article(db, 'l2', '2026-11-25T10:00:00.000Z', 'US News', 'EU Leaders Fail to Agree on Ukraine Loan From Frozen Russian Assets', `Reuters copy. ${LOAN}`);
    await article(db, 'l3', '2026-11-25T11:00:00.000Z', 'Reuters', 'EU leaders fail to agree on Ukraine loan from frozen assets, update', `${LOAN} Updated.`);
    await article(db, 'n1', '2026-11-25T12:00:00.000Z', 'AP', 'NATO ministers meet on air defence', NATO);
    const day1 = await build(db, '2026-11-26');
    expect(day1.topics[0].stories).toHaveLength(2);
    const loan1 = storyWith(day1, 'l1');
    expect(loan1.thread).toMatchObject({ since: '2026-11-26', days: 1, articles: 3, outlets: 2 });
    expect(renderMarkdown(day1)).not.toContain('Developing since');

    // Day 2 (2026-11-27): the loan story again (a new outlet and an old one), and a new Geneva story.
    await article(db, 'l4', '2026-11-26T09:00:00.000Z', 'Politico', 'EU finance ministers to try again on Ukraine loan', `Ministers will try again next week. ${LOAN}`);
    await article(db, 'l5', '2026-11-26T10:00:00.000Z', 'Reuters', 'Belgium holds out on Ukraine loan', `BRUSSELS - ${LOAN}`);
    await article(db, 'g1', '2026-11-26T11:00:00.000Z', 'AFP', 'US and Ukrainian negotiators meet in Geneva', GENEVA);
    const day2 = await build(db, '2026-11-27');
    const loan2 = storyWith(day2, 'l4');
    expect(loan2.thread).toEqual({ id: loan1.thread!.id, since: '2026-11-26', days: 2, articles: 5, outlets: 3 });
    const geneva = storyWith(day2, 'g1');
    expect(geneva.thread).toMatchObject({ since: '2026-11-27', days: 1, articles: 1, outlets: 1 });
    expect(geneva.thread!.id).not.toBe(loan1.thread!.id);

    const line = 'Developing since 26 Nov: 5 articles from 3 outlets';
    expect(renderMarkdown(day2)).toContain(`**${line}**`);
    expect(renderText(day2)).toContain(`  ${line}`);
    expect(renderHtml(day2, { storyHref: (id) => `/stories/${id}` })).toContain(`<a href="/stories/${loan1.thread!.id}"`);
    expect(renderHtml(day2)).toContain(line);
    expect(digestAtomEntries(day2).find((e) => e.title === loan2.headline)!.summary).toContain(line);
    expect(renderMarkdown(day2).match(/Developing since/g)).toHaveLength(1);

    // The stored digest carries the threads; building day 2 again changes nothing.
    const again = await build(db, '2026-11-27');
    expect(storyWith(again, 'l4').thread).toEqual(loan2.thread);
    const links = await db.selectFrom('story_articles').select(db.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(links.n)).toBe(7);

    // The story page lists both days with their articles, and the digest page links to it.
    const app = createWebApp({ db, digests: [DIGEST], topics: TOPICS });
    const res = await app.request(`/stories/${encodeURIComponent(loan1.thread!.id)}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Developing since 26 Nov: 5 articles from 3 outlets over 2 days');
    expect(html.indexOf('27 Nov 2026')).toBeGreaterThan(-1);
    expect(html.indexOf('27 Nov 2026')).toBeLessThan(html.indexOf('26 Nov 2026'));
    for (const id of ['l1', 'l2', 'l3', 'l4', 'l5']) expect(html).toContain(`/articles/${id}"`);
    expect(html).not.toContain('/articles/g1"');
    const digestPage = await (await app.request('/digests/morning/2026-11-27')).text();
    expect(digestPage).toContain(`/stories/${encodeURIComponent(loan1.thread!.id)}`);
    expect(digestPage).toContain(line);
    expect((await app.request('/stories/nope')).status).toBe(404);
    // The topic page links the story with its line too (and the home page lists both days).
    const topicPage = await app.request('/topics/assets');
    expect(topicPage.status).toBe(200);
    expect(await topicPage.text()).toContain(`<a href="/stories/${encodeURIComponent(loan1.thread!.id)}" style="color:#1d4ed8;text-decoration:underline;">${line}</a>`);
    const home = await (await app.request('/')).text();
    expect(home).toContain('/digests/morning/2026-11-27');
    expect(home).toContain('/digests/morning/2026-11-26');
  });
});
