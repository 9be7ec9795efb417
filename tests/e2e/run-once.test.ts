// End to end, as a user runs it: `wirewatch run --once` against a local news site on 127.0.0.1, on the real Redis,
// then the digest and the feed health through the CLI. Twice, to show nothing is duplicated.
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewsSite } from '../../bench/lib/news-site.js';
import { ARTICLES, FEEDS, OFF_TOPIC, ON_TOPIC } from '../support/site-fixture.js';
import { runCli } from '../support/cli.js';
import { startRunOnceSite, type RunOnceSite } from '../support/run-once-site.js';
import { periodFor } from '../../src/digest/period.js';

const prefix = `e2e-${randomUUID().slice(0, 8)}`;
let env: RunOnceSite | undefined;
let site: NewsSite;
let dir: string;
let args: string[];

function digestJson(out: string): { date: string; topics: { id: string; articles: { url: string; title: string; source: string; score: number; evidence: unknown[] }[] }[] } {
  return JSON.parse(out);
}

beforeAll(async () => {
  env = await startRunOnceSite({ prefix, tmpPrefix: 'ww-e2e-', digestAt: '23:59' });
  ({ site, dir, args } = env);
});

afterAll(async () => {
  await env?.close();
});

describe('wirewatch run --once', () => {
  const period = () => periodFor({ at: '23:59', tz: 'UTC' }, new Date(Date.now() + 24 * 3600_000)).period;

  it('polls, extracts, classifies, stores and builds the right digest', async () => {
    const r = await runCli(['run', '--once', ...args], { timeoutMs: 180_000 });
    expect(r.code, r.stderr.slice(-4000)).toBe(0);
    console.log(`e2e: run --once over ${ARTICLES.length} articles in ${FEEDS.length} feeds took ${r.ms} ms`);

    const db = new Database(path.join(dir, 'data', 'wirewatch.db'), { readonly: true });
    expect(db.prepare('SELECT count(*) n FROM articles').get()).toEqual({ n: ARTICLES.length });
    // The article listed in two feeds is one item, seen from two sources.
    expect(db.prepare("SELECT count(*) n FROM item_sources s JOIN items i ON i.id = s.item_id WHERE i.canonical_url LIKE '%euroclear-reparations-loan'").get()).toEqual({ n: 2 });
    // Every stored article is in the search index when the run ends (the indexer the service runs behind the
    // article path, and its flush at shutdown): nothing is left for a search to apply.
    expect(db.prepare('SELECT count(*) n FROM search_pending').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) n FROM search_rows').get()).toEqual({ n: ARTICLES.length });
    db.close();

    const d = await runCli(['digest', '--digest', 'e2e', '--date', period(), '--format', 'json', ...args]);
    expect(d.code, d.stderr).toBe(0);
    const digest = digestJson(d.stdout);
    const urls = (topic: string) => digest.topics.find((t) => t.id === topic)?.articles.map((a) => a.url.replace(/^.*\/news\//, '')) ?? [];
    for (const [topic, slugs] of Object.entries(ON_TOPIC)) expect(urls(topic)).toEqual(expect.arrayContaining(slugs));
    const all = digest.topics.flatMap((t) => t.articles.map((a) => a.url));
    for (const slug of OFF_TOPIC) expect(all.some((u) => u.endsWith(`/news/${slug}`))).toBe(false);
    for (const a of digest.topics.flatMap((t) => t.articles)) expect(a.evidence.length).toBeGreaterThan(0);

    // The same story from two outlets is one story "reported by 2 outlets", the other link beneath.
    const stories = (digest as unknown as { topics: { id: string; stories: { url: string; outlets: string[]; others: { url: string }[] }[] }[] })
      .topics.find((t) => t.id === 'frozen-assets')!.stories;
    const loan = stories.find((st) => /reparations-loan/.test(st.url) && st.outlets.length === 2);
    expect(loan, JSON.stringify(stories.map((st) => [st.url, st.outlets]))).toBeDefined();
    expect(loan!.others.map((o) => o.url.replace(/^.*\/news\//, ''))).toEqual([expect.stringMatching(/reparations-loan/)]);
    const md = await runCli(['digest', '--digest', 'e2e', '--date', period(), '--format', 'md', ...args]);
    expect(md.stdout).toMatch(/2 outlets/);
  });

  it('reports the broken feeds without stopping the others', async () => {
    const r = await runCli(['feeds', 'list', '--json', ...args]);
    expect(r.code, r.stderr).toBe(0);
    const feeds = JSON.parse(r.stdout) as { url: string; lastError?: string; lastSuccessAt?: string; consecutiveFailures: number }[];
    const by = (p: string) => feeds.find((f) => f.url.endsWith(p))!;
    expect(by('/feeds/broken.xml')).toMatchObject({ consecutiveFailures: 1, lastError: expect.stringMatching(/500/) });
    expect(by('/feeds/garbage.xml').lastError).toBeTruthy();
    expect(by('/feeds/world.xml')).toMatchObject({ consecutiveFailures: 0, lastSuccessAt: expect.any(String) });
  });

  it('a second run adds nothing and duplicates nothing', async () => {
    const before = site.hits.get('/news/nato-hague-summit');
    const r = await runCli(['run', '--once', ...args], { timeoutMs: 180_000 });
    expect(r.code, r.stderr.slice(-4000)).toBe(0);
    // Items already stored are not fetched again.
    expect(site.hits.get('/news/nato-hague-summit')).toBe(before);
    const db = new Database(path.join(dir, 'data', 'wirewatch.db'), { readonly: true });
    expect(db.prepare('SELECT count(*) n FROM articles').get()).toEqual({ n: ARTICLES.length });
    expect(db.prepare('SELECT count(*) n FROM items').get()).toEqual({ n: ARTICLES.length });
    db.close();
    const d = await runCli(['digest', '--digest', 'e2e', '--date', period(), '--format', 'json', ...args]);
    const all = digestJson(d.stdout).topics.flatMap((t) => t.articles.map((a) => `${t.id} ${a.url}`));
    expect(new Set(all).size).toBe(all.length);
  });
});
