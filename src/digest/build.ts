// buildDigest: matched articles of one period → stories per topic, ranked, with snippets and evidence, plus the
// feeds that are failing. Pure: no clock, no I/O; the same input gives the same digest.
import type { DigestEntry, FeedHealth, PossibleEntry } from '../model.js';
import { clusterSteps } from './cluster.js';
import { safeUrl } from './escape.js';
import { findHighlights, makeSnippet } from './highlight.js';
import { buildPossiblyRelevant } from './possible.js';
import { runSliced, runToEnd, type Steps } from './slices.js';
import { localHHMM } from './time.js';
import type { Digest, DigestArticle, DigestStory, DigestTopic, FeedTrouble } from './types.js';

/** A feed is "in trouble" after this many failed polls in a row. */
export const TROUBLE_FAILURES = 3;
export const DEFAULT_MAX_ITEMS = 20;

export interface BuildInput {
  digestId: string;
  title: string;
  period: string;
  start: string;
  end: string;
  tz: string;
  topics: { id: string; title: string }[];
  entries: DigestEntry[];
  feedsInTrouble: FeedHealth[];
  /** The second opinion's possible matches of the period (the "Possibly relevant" section). */
  possible?: PossibleEntry[];
  /** Stories per topic. */
  maxItems?: number;
}

export function buildDigest(input: BuildInput): Digest {
  return runToEnd(digestSteps(input));
}

/**
 * The same digest, built in slices that give the event loop back between them (slices.ts): a day of 10,000 matches
 * is seconds of CPU, longer than a job lock may go unrenewed.
 */
export function buildDigestSliced(input: BuildInput, sliceMs?: number): Promise<Digest> {
  return runSliced(digestSteps(input), sliceMs);
}

function* digestSteps(input: BuildInput): Steps<Digest> {
  const maxItems = input.maxItems ?? DEFAULT_MAX_ITEMS;
  const topics: DigestTopic[] = [];
  for (const t of input.topics) topics.push(yield* buildTopic(t, input.entries.filter((e) => e.topicId === t.id), input.tz, maxItems));
  const feedsInTrouble: FeedTrouble[] = input.feedsInTrouble
    .filter((f) => f.consecutiveFailures >= TROUBLE_FAILURES)
    .sort((a, b) => b.consecutiveFailures - a.consecutiveFailures || a.feedId.localeCompare(b.feedId))
    .map((f) => ({
      feedId: f.feedId, url: f.url, title: f.title, consecutiveFailures: f.consecutiveFailures,
      lastError: f.lastError, lastStatus: f.lastStatus, lastSuccessAt: f.lastSuccessAt,
    }));
  return {
    version: 1,
    digestId: input.digestId,
    title: input.title,
    date: input.period,
    period: input.period,
    start: input.start,
    end: input.end,
    tz: input.tz,
    topics,
    feedsInTrouble,
    possiblyRelevant: buildPossiblyRelevant(input.topics, input.possible ?? [], maxItems),
    counts: {
      stories: topics.reduce((n, t) => n + t.stories.length, 0),
      // Distinct articles: one that matched two topics is shown under both but is one article ("3 stories from
      // 2 articles", not "from 3").
      articles: new Set(topics.flatMap((t) => t.articles.map((a) => a.itemId))).size,
    },
  };
}

// seenAt is asked for on every comparison of a sort: worked out once per entry (entries are read-only inputs).
const seen = new WeakMap<DigestEntry, string>();

/** When an article was first known: its own date when plausible (not after it was stored), else stored time. */
function seenAt(e: DigestEntry): string {
  let at = seen.get(e);
  if (at === undefined) {
    const p = e.published ? Date.parse(e.published) : NaN;
    const s = Date.parse(e.storedAt);
    at = !Number.isNaN(p) && (Number.isNaN(s) || p <= s) ? new Date(p).toISOString() : e.storedAt;
    seen.set(e, at);
  }
  return at;
}

function byBest(a: DigestEntry, b: DigestEntry): number {
  return b.score - a.score || seenAt(a).localeCompare(seenAt(b)) || a.itemId.localeCompare(b.itemId);
}

function* buildTopic(topic: { id: string; title: string }, all: DigestEntry[], tz: string, maxItems: number): Steps<DigestTopic> {
  // One entry per item (a re-classified item could be listed twice), best first.
  const seen = new Set<string>();
  const entries = [...all].sort(byBest).filter((e) => !seen.has(e.itemId) && seen.add(e.itemId));
  const groups = yield* clusterSteps(entries);
  const stories: ReturnType<typeof toStory>[] = [];
  for (const g of groups) {
    stories.push(toStory(g.map((i) => entries[i]).sort(byBest), tz));
    yield;
  }
  // Rank: best score, then how widely reported, then the most recent.
  stories.sort(
    (a, b) =>
      b.story.score - a.story.score ||
      b.story.outlets.length - a.story.outlets.length ||
      b.latest.localeCompare(a.latest) ||
      a.story.id.localeCompare(b.story.id),
  );
  const shown = stories.slice(0, maxItems);
  const articles: DigestArticle[] = shown.flatMap(({ story, members }) =>
    members.map((e) => ({
      itemId: e.itemId, url: safeUrl(e.url) ?? '', title: e.title, source: e.source, published: e.published ?? e.storedAt,
      storedAt: e.storedAt, score: e.score, evidence: e.evidence, storyId: story.id,
    })),
  );
  return { id: topic.id, title: topic.title, stories: shown.map((s) => s.story), articles, omitted: stories.length - shown.length };
}

function toStory(members: DigestEntry[], tz: string): { story: DigestStory; members: DigestEntry[]; latest: string } {
  const lead = members[0];
  const times = members.map(seenAt).sort();
  const outlets: string[] = [];
  for (const m of members) if (!outlets.includes(m.source)) outlets.push(m.source);
  const story: DigestStory = {
    id: lead.itemId,
    itemId: lead.itemId,
    headline: lead.title,
    url: safeUrl(lead.url) ?? '',
    source: lead.source,
    published: lead.published ?? lead.storedAt,
    firstSeen: times[0],
    firstSeenLocal: localHHMM(times[0], tz),
    outlets,
    score: lead.score,
    snippet: makeSnippet(lead.text, lead.evidence),
    titleHighlights: findHighlights(lead.title, lead.evidence),
    evidence: lead.evidence,
    others: members.slice(1).map((m) => ({
      itemId: m.itemId, url: safeUrl(m.url) ?? '', title: m.title, source: m.source, published: m.published ?? m.storedAt,
    })),
  };
  return { story, members, latest: times[times.length - 1] };
}
