// Feed rows: configured sources and their poll state (conditional GET validators, health, next poll).
import type { Kysely } from 'kysely';
import type { FeedHealth, FeedSource } from '../model.js';
import type { Database, FeedsTable } from './schema.js';
import type { SyncTx } from './sqlite-sync.js';

export type FeedRow = FeedsTable;

export interface PollRecord {
  lastPollAt: string;
  status?: number;
  etag?: string | null;
  lastModified?: string | null;
  success: boolean;
  notModified?: boolean;
  unconditional?: boolean;
  error?: string | null;
  consecutiveFailures: number;
  nextPollAt: string;
  intervalS: number;
  /** Why that interval (shown in `feeds list` and /feeds). */
  intervalWhy?: string;
  recentItemDates?: string[];
}

/** Rows per INSERT in upsertFeeds: 18 columns × 500 stays under SQLite's and PostgreSQL's bound-parameter limits. */
const UPSERT_BATCH = 500;

/**
 * Insert new feeds, refresh url/title/lang of known ones; poll state is never reset. One transaction of multi-row
 * statements: 10,000 feeds at start-up are 20 statements, not 10,000 (issue 15).
 */
export async function upsertFeeds(db: Kysely<Database>, feeds: FeedSource[], now: string): Promise<void> {
  // The same id twice in one statement is an error in PostgreSQL (ON CONFLICT cannot touch a row twice): last wins.
  const unique = [...new Map(feeds.map((f) => [f.id, f])).values()];
  if (!unique.length) return;
  await db.transaction().execute(async (tx) => {
    for (let i = 0; i < unique.length; i += UPSERT_BATCH) {
      await tx
        .insertInto('feeds')
        .values(unique.slice(i, i + UPSERT_BATCH).map((f) => ({
          id: f.id, url: f.url, title: f.title ?? null, lang: f.lang ?? null, etag: null, last_modified: null,
          last_poll_at: null, last_success_at: null, last_unconditional_at: null, last_status: null, last_error: null,
          consecutive_failures: 0, next_poll_at: null, interval_s: f.interval_s ?? null, polls: 0, not_modified: 0,
          recent_item_dates: null, created_at: now,
        })))
        .onConflict((oc) =>
          oc.column('id').doUpdateSet((eb) => ({ url: eb.ref('excluded.url'), title: eb.ref('excluded.title'), lang: eb.ref('excluded.lang') })),
        )
        .execute();
    }
  });
}

export async function getFeed(db: Kysely<Database>, id: string): Promise<FeedRow | undefined> {
  return db.selectFrom('feeds').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Record a poll's outcome. `current` is the row the poll started from (saves a read); else it is read here. */
export async function recordPoll(db: Kysely<Database>, id: string, r: PollRecord, current?: FeedRow): Promise<void> {
  const cur = current ?? (await getFeed(db, id));
  if (!cur) return;
  await db.updateTable('feeds').set(pollUpdate(r, cur)).where('id', '=', id).execute();
}

/** recordPoll inside a synchronous SQLite transaction (store/sqlite-sync), from the row the poll started from. */
export function recordPollSync(tx: SyncTx, id: string, r: PollRecord, cur: FeedRow): void {
  tx.run(POLL_UPDATE_SQL, { ...pollUpdate(r, cur), id });
}

/** The feed row's columns after a poll: pure, shared by both recordPoll paths. */
function pollUpdate(r: PollRecord, cur: FeedRow) {
  return {
    last_poll_at: r.lastPollAt,
    last_status: r.status ?? null,
    // Validators are kept across failures; a success replaces them with what the server sent.
    etag: r.success && !r.notModified ? r.etag ?? null : r.etag ?? cur.etag,
    last_modified: r.success && !r.notModified ? r.lastModified ?? null : r.lastModified ?? cur.last_modified,
    last_success_at: r.success ? r.lastPollAt : cur.last_success_at,
    last_unconditional_at: r.unconditional ? r.lastPollAt : cur.last_unconditional_at,
    last_error: r.success ? null : r.error ?? 'unknown error',
    consecutive_failures: r.consecutiveFailures,
    next_poll_at: r.nextPollAt,
    interval_s: r.intervalS,
    interval_why: r.intervalWhy ?? cur.interval_why,
    polls: Number(cur.polls) + 1,
    not_modified: Number(cur.not_modified) + (r.notModified ? 1 : 0),
    recent_item_dates: r.recentItemDates ? JSON.stringify(r.recentItemDates) : cur.recent_item_dates,
  };
}

const POLL_COLUMNS = Object.keys(pollUpdate({ lastPollAt: '', success: true, consecutiveFailures: 0, nextPollAt: '', intervalS: 0 }, {} as FeedRow));
const POLL_UPDATE_SQL = `UPDATE feeds SET ${POLL_COLUMNS.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`;

export function toHealth(f: FeedRow): FeedHealth {
  return {
    feedId: f.id,
    url: f.url,
    title: f.title ?? undefined,
    lastPollAt: f.last_poll_at ?? undefined,
    lastSuccessAt: f.last_success_at ?? undefined,
    consecutiveFailures: Number(f.consecutive_failures),
    lastError: f.last_error ?? undefined,
    lastStatus: f.last_status ?? undefined,
    nextPollAt: f.next_poll_at ?? undefined,
    intervalS: f.interval_s ?? undefined,
    intervalWhy: f.interval_why ?? undefined,
  };
}

export async function listFeeds(db: Kysely<Database>): Promise<FeedRow[]> {
  return db.selectFrom('feeds').selectAll().orderBy('id').execute();
}
