// Table types for Kysely. One row type per table; timestamps are ISO-8601 UTC text, JSON is text, in both
// SQLite and PostgreSQL, so one set of queries serves both dialects.
import type { Generated } from 'kysely';
import type { AlertTables } from './alerts-schema.js';

export interface FeedsTable {
  id: string;
  url: string;
  title: string | null;
  lang: string | null;
  etag: string | null;
  last_modified: string | null;
  last_poll_at: string | null;
  last_success_at: string | null;
  last_unconditional_at: string | null;
  last_status: number | null;
  last_error: string | null;
  consecutive_failures: number;
  next_poll_at: string | null;
  interval_s: number | null;
  /** Why the feed has that interval (feeds/schedule.ts planNextPoll); migration 007. */
  interval_why: string | null;
  polls: number;
  not_modified: number;
  /** JSON array of recent item dates (ISO), for the learned interval. */
  recent_item_dates: string | null;
  created_at: string;
}

/** One discovered item (the unit of work). The database is the source of truth; Redis only carries jobs. */
export interface ItemsTable {
  id: string;
  canonical_url: string | null;
  url: string | null;
  feed_id: string;
  guid_key: string | null;
  title: string;
  published_at: string | null;
  content_hash: string;
  /** JSON FeedItem, for the fallback when extraction fails. */
  feed_item: string;
  /** discovered → stored | failed (permanent); edited items go back to discovered. */
  state: string;
  state_at: string;
  attempts: number;
  error: string | null;
  discovered_at: string;
}

export interface ItemSourcesTable {
  item_id: string;
  feed_id: string;
  first_seen_at: string;
  /** The content hash this feed last gave the item (null: recorded before migration 003). */
  content_hash: string | null;
}

export interface ArticlesTable {
  item_id: string;
  url: string;
  canonical_url: string;
  title: string;
  byline: string | null;
  published_at: string | null;
  lang: string | null;
  text: string;
  html: string | null;
  via: string;
  site_name: string | null;
  content_hash: string;
  stored_at: string;
  updated_at: string;
}

export interface MatchesTable {
  item_id: string;
  topic_id: string;
  score: number;
  threshold: number;
  evidence: string;
  matched_at: string;
}

/** A rule-missed topic the second-opinion model scored high: never a match (see migrations/004). */
export interface PossibleMatchesTable {
  item_id: string;
  topic_id: string;
  score: number;
  /** JSON [{word, weight}]. */
  reasons: string;
  flagged_at: string;
}

/** A built digest: one row per (digest, period), so it is built once. */
export interface DigestsTable {
  digest_id: string;
  period: string;
  period_start: string;
  period_end: string;
  built_at: string;
  /** JSON of the built digest (digest/ decides its shape). */
  content: string;
}

/** Exactly-once delivery: one row per (digest, period, channel). pending → sending → sent | failed | unknown. */
export interface OutboxTable {
  digest_id: string;
  period: string;
  channel: string;
  state: string;
  attempts: number;
  /** Stable across retries: Message-ID / webhook-id. */
  idempotency_key: string;
  receipt: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
}

/** Which period of a digest carried a match (002): the primary key (digest_id, item_id, topic_id) is the rule. */
export interface DigestItemsTable {
  digest_id: string;
  item_id: string;
  topic_id: string;
  period: string;
  assigned_at: string;
}

export interface MetaTable {
  key: string;
  value: string;
}

/** A reader's relevance label on an article for a topic (migration 005-desk). */
export interface FeedbackTable {
  item_id: string;
  topic_id: string;
  user_name: string;
  /** relevant | not_relevant */
  label: string;
  created_at: string;
}

/** A story followed across digest days, per topic (migration 006-stories). */
export interface StoriesTable {
  id: string;
  topic_id: string;
  /** The lead headline of the latest day that carried it. */
  headline: string;
  first_day: string;
  last_day: string;
  created_at: string;
}

/** An article a digest day linked to a story (migration 006-stories). */
export interface StoryArticlesTable {
  story_id: string;
  item_id: string;
  topic_id: string;
  day: string;
  digest_id: string;
  seen_at: string;
  title: string;
  url: string;
  source: string;
}

export interface Database extends AlertTables {
  feeds: FeedsTable;
  items: ItemsTable;
  item_sources: ItemSourcesTable;
  articles: ArticlesTable;
  matches: MatchesTable;
  possible_matches: PossibleMatchesTable;
  digests: DigestsTable;
  outbox: OutboxTable;
  digest_items: DigestItemsTable;
  meta: MetaTable;
  feedback: FeedbackTable;
  stories: StoriesTable;
  story_articles: StoryArticlesTable;
}

export type Id = Generated<number>;
