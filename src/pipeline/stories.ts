// Stories across days, when a digest is stored: each shown story of each topic is linked to a persistent story —
// the one its articles were linked to before (a rebuilt or raced digest), else a recent story of the topic it
// continues (digest/stories.ts decides, with the digest's clustering), else a new one — and gets its thread (first
// day, days, articles, outlets) for the "developing since" line. Only stories a digest shows are followed: a story
// counts the days a reader saw it.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DigestEntry } from '../model.js';
import { continuedStoriesSliced, type KnownStory, type TodayStory } from '../digest/stories.js';
import { addDays, ymd } from '../digest/time.js';
import type { Digest, DigestStory, DigestTopic } from '../digest/types.js';
import type { Database } from '../store/schema.js';
import { linkedStories, recentStoryArticles, saveStoryLinks, threadCounts, type StoryArticleRow } from '../store/stories.js';

/** How far back a digest looks for a story to continue: a story quiet this many days starts over. */
export const STORY_WINDOW_DAYS = 7;
/** Articles of each recent story compared with today's (its most recent ones). */
export const STORY_MEMBERS_COMPARED = 20;

/** A new story's id: from the topic and its first lead article, so racing builders agree on it. */
export function newStoryId(topicId: string, leadItemId: string): string {
  return createHash('sha256').update(`${topicId}\u0000${leadItemId}`).digest('base64url').slice(0, 16);
}

function daysBefore(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return ymd(addDays(y, m, d, -n));
}

/** When an article was first known: its own date when not after it was stored, else when it was stored. */
function seenAt(published: string, storedAt: string): string {
  return published && published <= storedAt ? published : storedAt;
}

/**
 * Link the digest's stories to persistent stories (stored), and return the digest with every shown story's
 * `thread` set. `entries` are the digest's input (their text is what today's stories are compared by).
 */
export async function linkDigestStories(db: Kysely<Database>, digest: Digest, entries: readonly DigestEntry[], now: string): Promise<Digest> {
  const text = new Map(entries.map((e) => [e.itemId, e.text]));
  const idOf = new Map<string, string>(); // `${topicId}\u0000${digest story id}` → persistent id
  for (const t of digest.topics) {
    if (!t.stories.length) continue;
    const ids = await storyIdsFor(db, t, digest.period, text);
    for (const [k, v] of ids) idOf.set(`${t.id}\u0000${k}`, v);
    const links: StoryArticleRow[] = t.articles.map((a) => ({
      story_id: ids.get(a.storyId)!, item_id: a.itemId, topic_id: t.id, day: digest.period, digest_id: digest.digestId,
      seen_at: seenAt(a.published, a.storedAt), title: a.title, url: a.url, source: a.source,
    }));
    const stories = t.stories.map((s) => ({ id: ids.get(s.id)!, topicId: t.id, headline: s.headline, day: digest.period }));
    await saveStoryLinks(db, stories, links, now);
  }
  const counts = await threadCounts(db, [...new Set(idOf.values())], digest.period);
  const withThread = (t: DigestTopic, s: DigestStory): DigestStory => {
    const id = idOf.get(`${t.id}\u0000${s.id}`);
    const c = id ? counts.get(id) : undefined;
    return c ? { ...s, thread: { id: c.story_id, since: c.first_day, days: c.days, articles: c.articles, outlets: c.outlets } } : s;
  };
  return { ...digest, topics: digest.topics.map((t) => ({ ...t, stories: t.stories.map((s) => withThread(t, s)) })) };
}

/** Digest story id → persistent story id, for one topic's shown stories. */
async function storyIdsFor(db: Kysely<Database>, t: DigestTopic, day: string, text: Map<string, string>): Promise<Map<string, string>> {
  const members = (s: DigestStory) => [s.itemId, ...s.others.map((o) => o.itemId)];
  const titles = new Map(t.articles.map((a) => [a.itemId, a.title]));
  const out = new Map<string, string>();
  // 1. Articles linked before (this digest built again, or another digest of the same topic): their story.
  const linked = await linkedStories(db, t.id, t.stories.flatMap(members));
  const open: DigestStory[] = [];
  for (const s of t.stories) {
    const votes = new Map<string, number>();
    for (const m of members(s)) {
      const id = linked.get(m);
      if (id) votes.set(id, (votes.get(id) ?? 0) + 1);
    }
    const best = [...votes].sort(([a, x], [b, y]) => y - x || a.localeCompare(b))[0];
    if (best) out.set(s.id, best[0]);
    else open.push(s);
  }
  // 2. A recent story of the topic it continues; 3. else a new story.
  if (open.length) {
    const rows = await recentStoryArticles(db, { topicId: t.id, fromDay: daysBefore(day, STORY_WINDOW_DAYS), toDay: day, perStory: STORY_MEMBERS_COMPARED });
    const known = new Map<string, KnownStory>();
    for (const r of rows) {
      const k = known.get(r.story_id) ?? { id: r.story_id, lastDay: r.last_day, members: [] };
      k.members.push({ itemId: r.item_id, title: r.title, text: r.text });
      known.set(r.story_id, k);
    }
    const today: TodayStory[] = open.map((s) => ({
      key: s.id,
      members: members(s).map((m) => ({ itemId: m, title: titles.get(m) ?? '', text: text.get(m) ?? '' })),
    }));
    const continued = await continuedStoriesSliced(today, [...known.values()]);
    for (const s of open) out.set(s.id, continued.get(s.id) ?? newStoryId(t.id, s.itemId));
  }
  return out;
}
