// Seeds a store for the analyst's desk tests: feeds, items with their sources, articles through the real store
// write path (saveArticle, so the search index is kept in step as in production) and topic matches.
import type { Kysely } from 'kysely';
import { saveArticle } from '../../src/store/articles.js';
import type { Database } from '../../src/store/schema.js';

export interface SeedArticle {
  id: string;
  feed: string;
  title: string;
  text: string;
  lang?: string;
  storedAt: string;
  topics?: string[];
  canonical?: string;
  site?: string;
}

export async function seedFeeds(db: Kysely<Database>, feeds: { id: string; title: string; url?: string }[], now = '2026-11-01T00:00:00.000Z'): Promise<void> {
  for (const f of feeds) {
    await db.insertInto('feeds').values({
      id: f.id, url: f.url ?? `https://${f.id}.example/feed`, title: f.title, lang: null, etag: null, last_modified: null,
      last_poll_at: null, last_success_at: null, last_unconditional_at: null, last_status: null, last_error: null,
      consecutive_failures: 0, next_poll_at: null, interval_s: null, polls: 0, not_modified: 0, recent_item_dates: null, created_at: now,
    }).execute();
  }
}

export async function seedArticles(db: Kysely<Database>, articles: SeedArticle[]): Promise<void> {
  for (const a of articles) {
    const url = a.canonical ?? `https://${a.feed}.example/${a.id}`;
    await db.insertInto('items').values({
      id: a.id, canonical_url: url, url, feed_id: a.feed, guid_key: null, title: a.title, published_at: a.storedAt,
      content_hash: a.id, feed_item: '{}', state: 'discovered', state_at: a.storedAt, attempts: 0, error: null, discovered_at: a.storedAt,
    }).execute();
    await db.insertInto('item_sources').values({ item_id: a.id, feed_id: a.feed, first_seen_at: a.storedAt }).execute();
    await saveArticle(
      db, a.id,
      { url, canonicalUrl: url, title: a.title, text: a.text, lang: a.lang, via: 'feed', siteName: a.site ?? a.feed, published: a.storedAt },
      a.id,
      (a.topics ?? []).map((t) => ({ topicId: t, score: 5, threshold: 4, evidence: [] })),
      a.storedAt,
    );
  }
}
