// The data that flows between pipeline stages. Types only: this file imports nothing.
// Timestamps are ISO-8601 strings in UTC ("2026-11-26T08:12:00.000Z") everywhere, in memory and in the store.

/** A feed as configured (config/feeds.yml, an OPML file or `--feeds`). */
export interface FeedSource {
  /** Stable id: configured, or derived from the URL (see feeds/id). */
  id: string;
  url: string;
  title?: string;
  /** Primary language subtag expected of its items ("en", "uk", …): a hint, the page may say otherwise. */
  lang?: string;
  /** Fixed poll interval in seconds; absent = learned (feeds/poll-policy). */
  interval_s?: number;
  /** IANA zone for zone-less dates in this feed (default UTC). */
  tz?: string;
}

/** One item of a parsed feed, normalised: links absolute, text decoded once, HTML sanitised. */
export interface FeedItem {
  guid?: string;
  url?: string;
  title: string;
  /** Plain-text summary. */
  summary?: string;
  /** Sanitised HTML content when the feed carries full text. */
  contentHtml?: string;
  author?: string;
  published?: string;
  updated?: string;
  lang?: string;
}

/** A parsed feed: its metadata and items, plus what it says about how often to poll it. */
export interface ParsedFeed {
  format: 'rss' | 'atom' | 'rdf' | 'json';
  title?: string;
  link?: string;
  lang?: string;
  items: FeedItem[];
  /** RSS <ttl> in minutes. */
  ttlMinutes?: number;
  /** sy:updatePeriod × sy:updateFrequency, in seconds. */
  updatePeriodS?: number;
  /** Feed-level description / subtitle, plain text. */
  description?: string;
  /** Feed-level author ("Name" or "Name (email)"). */
  author?: string;
  /** Atom feed id / RSS channel guid, when the feed gives one. */
  id?: string;
  published?: string;
  updated?: string;
}

/** The cleaned article: what the classifier reads and the digest shows. */
export interface Article {
  /** The URL the item pointed at (after redirects). */
  url: string;
  /** Canonical URL: <link rel=canonical> when trustworthy, else url; tracking parameters removed. */
  canonicalUrl: string;
  title: string;
  byline?: string;
  published?: string;
  lang?: string;
  /** Plain text; paragraphs separated by a blank line ("\n\n"). */
  text: string;
  /** Sanitised HTML of the article body (allow-list sanitizer). */
  html?: string;
  /** Where the text came from. */
  via: 'readability' | 'jsonld' | 'feed';
  /** Site / outlet name (og:site_name, feed title, or host). */
  siteName?: string;
  excerpt?: string;
}

/** What the classifier reads. `lead` defaults to the first paragraph of `text`. */
export interface ClassifyInput {
  id?: string;
  title: string;
  text: string;
  lead?: string;
  lang?: string;
}

export type Field = 'title' | 'lead' | 'body';

/** One piece of evidence: a term that fired, where, and what it contributed. */
export interface Evidence {
  /** Path of the rule inside the topic, e.g. "any[0]" or "terms.en[3]". */
  rule: string;
  /** The term as written in topics.yml. */
  term: string;
  field: Field;
  /** Offsets into the field's text (UTF-16 code units, [start, end)). */
  start: number;
  end: number;
  /** The text as it appears in the article. */
  matched: string;
  /** Contribution to the score (term weight × field weight). */
  weight: number;
}

/** A topic that an article matched, and why. */
export interface TopicMatch {
  topicId: string;
  score: number;
  threshold: number;
  evidence: Evidence[];
}

/**
 * A second-opinion match: a topic the rules did not match that the statistical model scored high. Never counted as a
 * match; shown apart ("Possibly relevant") with its reason, the words that weighed most.
 */
export interface PossibleMatch {
  topicId: string;
  /** The model's probability, [0, 1]. */
  score: number;
  reasons: { word: string; weight: number }[];
}

/** A stored article as a digest line names it: link, title, who published it, when. */
export interface ArticleRef {
  itemId: string;
  url: string;
  title: string;
  source: string;
  published?: string;
  /** When wirewatch stored it. */
  storedAt: string;
}

/** A stored possible match with its article, for the digest's "Possibly relevant" section. */
export interface PossibleEntry extends ArticleRef {
  topicId: string;
  score: number;
  reasons: PossibleMatch['reasons'];
}

/** Feed health as stored and shown (feeds list, /healthz, the digest's "feeds in trouble"). */
export interface FeedHealth {
  feedId: string;
  url: string;
  title?: string;
  lastPollAt?: string;
  lastSuccessAt?: string;
  consecutiveFailures: number;
  lastError?: string;
  lastStatus?: number;
  nextPollAt?: string;
  /** The interval normal polling uses (s) and why (learned from the feed's rhythm, configured, asked for …). */
  intervalS?: number;
  intervalWhy?: string;
}

/** An article with its match, as the digest reads it from the store. */
export interface DigestEntry extends ArticleRef {
  lang?: string;
  text: string;
  topicId: string;
  score: number;
  evidence: Evidence[];
}
