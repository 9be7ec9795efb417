// Feed health for the /feeds page: every stored feed with its poll state, items per day over the last week, and
// a status that sorts the feeds in trouble first.
import type { Kysely } from 'kysely';
import type { Database, FeedsTable } from './schema.js';

export type FeedStatus = 'failing' | 'quiet' | 'overdue' | 'never polled' | 'ok';

export interface FeedHealthRow {
  feed: FeedsTable;
  status: FeedStatus;
  /** Items first discovered through this feed per day, over the last WINDOW_DAYS. */
  itemsPerDay: number;
}

export const HEALTH_WINDOW_DAYS = 7;
/** A feed polled successfully that brought nothing new for this long is "quiet". */
export const QUIET_AFTER_DAYS = 3;

const RANK: Record<FeedStatus, number> = { failing: 0, overdue: 1, quiet: 2, 'never polled': 3, ok: 4 };

export function feedStatus(f: FeedsTable, recentItems: number, lastItemAt: string | undefined, now: Date): FeedStatus {
  if (Number(f.consecutive_failures) > 0) return 'failing';
  if (!f.last_poll_at) return 'never polled';
  // Twice the interval (or an hour) past the planned poll: the scheduler or the workers are not getting to it.
  const slack = Math.max(3600, 2 * Number(f.interval_s ?? 0)) * 1000;
  if (f.next_poll_at && Date.parse(f.next_poll_at) + slack < now.getTime()) return 'overdue';
  const quietSince = now.getTime() - QUIET_AFTER_DAYS * 86_400_000;
  if (!recentItems || !lastItemAt || Date.parse(lastItemAt) < quietSince) {
    if (Date.parse(f.created_at) < quietSince) return 'quiet';
  }
  return 'ok';
}

/** Every feed, trouble first (failing by failure count, overdue, quiet, never polled), then by id. */
export async function feedHealth(db: Kysely<Database>, now: Date): Promise<FeedHealthRow[]> {
  const since = new Date(now.getTime() - HEALTH_WINDOW_DAYS * 86_400_000).toISOString();
  const [feeds, counts] = await Promise.all([
    db.selectFrom('feeds').selectAll().execute(),
    db.selectFrom('items').select(['feed_id', db.fn.countAll().as('n'), db.fn.max('discovered_at').as('last')]).where('discovered_at', '>=', since).groupBy('feed_id').execute(),
  ]);
  const by = new Map(counts.map((c) => [c.feed_id, { n: Number(c.n), last: c.last as string | undefined }]));
  return feeds
    .map((feed) => {
      const c = by.get(feed.id);
      return { feed, status: feedStatus(feed, c?.n ?? 0, c?.last, now), itemsPerDay: (c?.n ?? 0) / HEALTH_WINDOW_DAYS };
    })
    .sort((a, b) => RANK[a.status] - RANK[b.status] || Number(b.feed.consecutive_failures) - Number(a.feed.consecutive_failures) || a.feed.id.localeCompare(b.feed.id));
}
