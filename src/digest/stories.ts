// Stories across days: which of today's digest stories continue a story of earlier days. Today's stories and the
// recent stories' articles are clustered together with the digest's own clustering (cluster.ts: MinHash of bodies,
// headline word overlap, same thresholds), so "continues" means exactly "would have been one story had both days
// been in one digest". Pure: the caller loads the recent stories and stores the links (pipeline/stories.ts).
import { clusterSteps, type ClusterOptions } from './cluster.js';
import { runSliced, runToEnd, type Steps } from './slices.js';
import type { StoryThread } from './types.js';

export interface ThreadArticle {
  itemId: string;
  title: string;
  /** The article text ('' when it is no longer stored: the headline alone can still join). */
  text: string;
}

/** A story earlier digests carried: its id, the last digest day that carried it, and (some of) its articles. */
export interface KnownStory {
  id: string;
  lastDay: string;
  members: ThreadArticle[];
}

/** One of today's digest stories, named by a key of the caller's choosing. */
export interface TodayStory {
  key: string;
  members: ThreadArticle[];
}

/**
 * For each of today's stories that continues a known one, the known story's id (keyed by the today story's key);
 * stories absent from the map are new. When today's story joins several known stories, the one with the most
 * articles joined wins, then the most recently carried, then the smaller id (so the answer is deterministic).
 */
export function continuedStories(today: readonly TodayStory[], known: readonly KnownStory[], opts: ClusterOptions = {}): Map<string, string> {
  return runToEnd(continuedSteps(today, known, opts));
}

/** The same answer, computed in slices that give the event loop back (a week of stories is thousands of articles). */
export function continuedStoriesSliced(today: readonly TodayStory[], known: readonly KnownStory[], opts: ClusterOptions = {}): Promise<Map<string, string>> {
  return runSliced(continuedSteps(today, known, opts));
}

function* continuedSteps(today: readonly TodayStory[], known: readonly KnownStory[], opts: ClusterOptions): Steps<Map<string, string>> {
  const items: ThreadArticle[] = [];
  const owner: number[] = []; // ≥ 0: index into today; < 0: −1 − index into known
  today.forEach((t, i) => t.members.forEach((m) => (items.push(m), owner.push(i))));
  known.forEach((k, i) => k.members.forEach((m) => (items.push(m), owner.push(-1 - i))));
  const out = new Map<string, string>();
  if (!known.length || !today.length) return out;
  const groups = yield* clusterSteps(items, opts);
  // Per group: which today stories it holds, and how many articles of each known story.
  const votes = new Map<number, Map<number, number>>();
  for (const g of groups) {
    const todays = new Set<number>();
    const knownCount = new Map<number, number>();
    for (const i of g) {
      if (owner[i] >= 0) todays.add(owner[i]);
      else knownCount.set(-1 - owner[i], (knownCount.get(-1 - owner[i]) ?? 0) + 1);
    }
    if (!knownCount.size) continue;
    for (const t of todays) {
      const v = votes.get(t) ?? new Map<number, number>();
      for (const [k, n] of knownCount) v.set(k, (v.get(k) ?? 0) + n);
      votes.set(t, v);
    }
  }
  for (const [t, v] of votes) {
    const best = [...v].sort(([a, na], [b, nb]) => nb - na || known[b].lastDay.localeCompare(known[a].lastDay) || known[a].id.localeCompare(known[b].id))[0];
    out.set(today[t].key, known[best[0]].id);
  }
  return out;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "26 Nov" from "2026-11-26" (with the year when it is not `thisDay`'s year). */
export function dayLabel(day: string, thisDay?: string): string {
  const [y, m, d] = day.split('-').map(Number);
  if (!y || !m || !d) return day;
  return `${d} ${MONTHS[m - 1]}${thisDay && thisDay.slice(0, 4) !== day.slice(0, 4) ? ` ${y}` : ''}`;
}

/** True when the story was carried on a day before this digest's: the "developing since" line is shown. */
export function isDeveloping(thread: StoryThread | undefined, period: string): thread is StoryThread {
  return !!thread && thread.since < period;
}

/** "Developing since 26 Nov: 14 articles from 6 outlets". */
export function developingText(thread: StoryThread, period: string): string {
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  return `Developing since ${dayLabel(thread.since, period)}: ${plural(thread.articles, 'article')} from ${plural(thread.outlets, 'outlet')}`;
}
