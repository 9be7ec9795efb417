// The built digest: what buildDigest returns, what the store keeps as JSON, what every renderer reads.
// `date` and `topics[].articles[]` {url,title,source,published,score,evidence} are the CLI contract
// (`wirewatch digest --format json`): add fields freely, never rename these.
import type { Evidence, FeedHealth } from '../model.js';

/** A snippet of text with highlighted ranges ([start, end) UTF-16 offsets into `text`). */
export interface Snippet {
  text: string;
  highlights: [number, number][];
}

export interface DigestArticle {
  itemId: string;
  url: string;
  title: string;
  source: string;
  /** ISO; the article's own date, else when wirewatch stored it. */
  published: string;
  storedAt: string;
  score: number;
  evidence: Evidence[];
  /** The story this article belongs to. */
  storyId: string;
}

/** One story: the same news from one or more outlets, shown once. */
export interface DigestStory {
  /** Stable within the digest: derived from the lead article's item id. */
  id: string;
  headline: string;
  url: string;
  source: string;
  published: string;
  /** Earliest time any outlet had it (ISO) and as local "HH:MM" in the digest's zone. */
  firstSeen: string;
  firstSeenLocal: string;
  /** Distinct outlets (sources) that carried it. */
  outlets: string[];
  score: number;
  snippet: Snippet;
  titleHighlights: [number, number][];
  /** Why it matched: the lead article's evidence. */
  evidence: Evidence[];
  /** Item id of the lead article (for the web article view). */
  itemId: string;
  /** A line about the story besides its evidence: why an alert fired, or (in a digest) that it alerted (issue 16). */
  note?: string;
  /** The other articles of the story, best first. */
  others: { itemId: string; url: string; title: string; source: string; published: string }[];
  /** The story across digest days (stored digests only; absent in digests built before issue 17). */
  thread?: StoryThread;
}

/** A story followed across digest days (store/stories.ts): what the "developing since" line says. */
export interface StoryThread {
  /** Persistent story id: the web page /stories/:id. */
  id: string;
  /** The first digest day ("YYYY-MM-DD") that carried it. */
  since: string;
  /** Digest days that carried it, up to and including this one. */
  days: number;
  /** Distinct articles and outlets over those days. */
  articles: number;
  outlets: number;
}

export interface DigestTopic {
  id: string;
  title: string;
  stories: DigestStory[];
  /** Every article of the shown stories, in story order (CLI contract). */
  articles: DigestArticle[];
  /** Stories left out by max_items. */
  omitted: number;
}

/** A rule-missed article the second-opinion model scored high (issue 14): shown apart, never counted. */
export interface PossiblyRelevantArticle {
  itemId: string;
  url: string;
  title: string;
  source: string;
  published: string;
  /** The model's probability, [0, 1] (not comparable with rule scores). */
  score: number;
  /** The words that weighed most, best first. */
  reasons: { word: string; weight: number }[];
}

export interface PossiblyRelevantTopic {
  id: string;
  title: string;
  articles: PossiblyRelevantArticle[];
  /** Articles left out by max_items. */
  omitted: number;
}

export interface FeedTrouble {
  feedId: string;
  url: string;
  title?: string;
  consecutiveFailures: number;
  lastError?: string;
  lastStatus?: number;
  lastSuccessAt?: string;
}

export interface Digest {
  /** Schema version of this JSON. */
  version: 1;
  digestId: string;
  title: string;
  /** The period, "YYYY-MM-DD" (CLI contract). */
  date: string;
  period: string;
  start: string;
  end: string;
  tz: string;
  /**
   * The cut this digest carries (README "Which articles"): matches stored after `coveredFrom` (the previous digest's
   * build, or the period start for the first) up to `coveredTo` (this build). Absent on on-the-fly digests.
   */
  coveredFrom?: string;
  coveredTo?: string;
  /** True on a digest built on the fly from matches no digest has carried yet (`wirewatch digest --date today`). */
  undelivered?: boolean;
  topics: DigestTopic[];
  feedsInTrouble: FeedTrouble[];
  /**
   * "Possibly relevant": per topic, articles its rules missed that the second-opinion model flagged; topics with
   * none are left out. Absent in digests built before it existed. Not in `counts`.
   */
  possiblyRelevant?: PossiblyRelevantTopic[];
  /** Stories as shown (one under two topics counts twice) and distinct articles. */
  counts: { stories: number; articles: number };
}

export type { Evidence, FeedHealth };
