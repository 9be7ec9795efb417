// Attention over time for one topic: matched articles per UTC day, top outlets and languages, week over week.
// Counts come from `matches` (matched_at: when wirewatch matched the article) through its (topic_id, matched_at) index.
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface TopicTrend {
  topicId: string;
  /** Oldest first, one entry per UTC day, `days` long, ending today. */
  daily: { day: string; count: number }[];
  total: number;
  lastWeek: number;
  weekBefore: number;
  /** (lastWeek − weekBefore) / weekBefore × 100; null when the week before had nothing. */
  weekChangePct: number | null;
  outlets: { name: string; count: number }[];
  langs: { lang: string; count: number }[];
}

export const TREND_DAYS = 30;
const DAY_MS = 86_400_000;

function dayKeys(now: Date, days: number): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: days }, (_, i) => new Date(today - (days - 1 - i) * DAY_MS).toISOString().slice(0, 10));
}

/** Per-day counts only (the home page's sparklines), for several topics in one query. */
export async function dailyCounts(db: Kysely<Database>, topicIds: string[], now: Date, days = TREND_DAYS): Promise<Map<string, { day: string; count: number }[]>> {
  const keys = dayKeys(now, days);
  const out = new Map(topicIds.map((t) => [t, keys.map((day) => ({ day, count: 0 }))]));
  if (!topicIds.length) return out;
  const rows = await db
    .selectFrom('matches')
    .select(['topic_id', sql<string>`substr(matched_at, 1, 10)`.as('day'), db.fn.countAll().as('n')])
    .where('topic_id', 'in', topicIds)
    .where('matched_at', '>=', `${keys[0]}T00:00:00.000Z`)
    .groupBy(['topic_id', sql`substr(matched_at, 1, 10)`])
    .execute();
  for (const r of rows) {
    const slot = out.get(r.topic_id)?.[keys.indexOf(r.day)];
    if (slot) slot.count = Number(r.n);
  }
  return out;
}

export async function topicTrend(db: Kysely<Database>, topicId: string, now: Date, days = TREND_DAYS): Promise<TopicTrend> {
  const daily = (await dailyCounts(db, [topicId], now, days)).get(topicId)!;
  const from = `${daily[0].day}T00:00:00.000Z`;
  // One pass over the topic's matches joined to their articles, counted by (outlet, language): the join, not the
  // grouping, is the cost (half the topic page at 100,000 articles when it ran once for outlets and once for languages).
  const outletExpr = sql<string>`coalesce(a.site_name, a.url)`;
  const langExpr = sql<string>`coalesce(a.lang, '?')`;
  const pairs = await db.selectFrom('matches as m').innerJoin('articles as a', 'a.item_id', 'm.item_id')
    .where('m.topic_id', '=', topicId).where('m.matched_at', '>=', from)
    .select([outletExpr.as('name'), langExpr.as('lang'), db.fn.countAll().as('n')])
    .groupBy([outletExpr, langExpr])
    .execute();
  const outlets = top(pairs, (p) => p.name, 5).map(([name, n]) => ({ name, n }));
  const langs = top(pairs, (p) => p.lang, 6).map(([lang, n]) => ({ lang, n }));
  const sum = (xs: { count: number }[]) => xs.reduce((s, x) => s + x.count, 0);
  const lastWeek = sum(daily.slice(-7));
  const weekBefore = sum(daily.slice(-14, -7));
  return {
    topicId,
    daily,
    total: sum(daily),
    lastWeek,
    weekBefore,
    weekChangePct: weekBefore ? ((lastWeek - weekBefore) / weekBefore) * 100 : null,
    outlets: outlets.map((o) => ({ name: hostName(o.name), count: Number(o.n) })),
    langs: langs.map((l) => ({ lang: l.lang, count: Number(l.n) })),
  };
}

/** The `k` keys with the largest summed counts, ties by key (what ORDER BY n DESC, key LIMIT k gave). */
function top<T extends { n: unknown }>(rows: T[], key: (r: T) => string, k: number): [string, number][] {
  const sums = new Map<string, number>();
  for (const r of rows) sums.set(key(r), (sums.get(key(r)) ?? 0) + Number(r.n));
  return [...sums].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, k);
}

/** A site name as stored, or the host of a URL when no site name was known. */
function hostName(s: string): string {
  if (!/^https?:\/\//i.test(s)) return s;
  try {
    return new URL(s).host;
  } catch {
    return s;
  }
}
