// One poll of one feed: conditional GET → parse → identify → record items → (caller enqueues) → schedule next.
// Fetch and parse failures are the feed's health, recorded here and never thrown: a broken feed must not stop
// others, and its job scheduler keeps trying (backoff in feeds/poll-policy, never disabled). Store errors do throw
// (transient: the job retries).
import type { Kysely } from 'kysely';
import { isPermanent } from '../errors.js';
import type { FeedSource, ParsedFeed } from '../model.js';
import type { Fetcher } from '../fetch/client.js';
import { parseFeed } from '../feeds/parse.js';
import { itemIdentity } from '../feeds/identity.js';
import { planNextPoll, shouldSendValidators, type PollOutcome, type PollPolicy, type PollState } from '../feeds/poll-policy.js';
import type { Database } from '../store/schema.js';
import { getFeed, recordPoll, recordPollSync, type FeedRow, type PollRecord } from '../store/feeds.js';
import { recordItemsIn, recordItemsSync, type NewItem, type RecordResult } from '../store/items.js';
import { sqliteTransaction } from '../store/sqlite-sync.js';
import { findHubLinks, type HubLinks } from '../websub/discover.js';
import { safetyNet } from '../websub/lease.js';
import { getSubscription } from '../store/websub.js';

export interface PollDeps {
  db: Kysely<Database>;
  fetcher: Fetcher;
  policy: PollPolicy;
  maxItems: number;
  now?: () => Date;
  /** While a WebSub subscription pushes, poll this much less often (websub/lease safetyNet); absent = no WebSub. */
  safetyNet?: { factor: number; minS: number };
}

export type PollResult =
  | { status: 'skipped'; nextPollAt: string }
  | { status: 'not_modified'; nextPollAt: string }
  | { status: 'ok'; items: number; created: string[]; edited: string[]; nextPollAt: string; contentHashes: Record<string, string>; links?: HubLinks }
  | { status: 'error'; code: string; message: string; nextPollAt: string };

export async function pollFeed(deps: PollDeps, feed: FeedSource, opts: { force?: boolean } = {}): Promise<PollResult> {
  const now = deps.now?.() ?? new Date();
  const row = await getFeed(deps.db, feed.id);
  if (!row) throw new Error(`poll: feed ${feed.id} is not in the store (scheduler not started?)`);
  if (!opts.force && row.next_poll_at && row.next_poll_at > now.toISOString()) {
    return { status: 'skipped', nextPollAt: row.next_poll_at };
  }
  const state = stateOf(row);
  const conditional = shouldSendValidators(state, deps.policy, now);
  let outcome: PollOutcome;
  let parsed: ParsedFeed | undefined;
  let headers: Record<string, string> = {};
  let status: number | undefined;
  let links: HubLinks | undefined;
  try {
    const res = await deps.fetcher.fetch({
      url: feed.url,
      kind: 'feed',
      truncateAtCap: true,
      etag: conditional ? row.etag ?? undefined : undefined,
      lastModified: conditional ? row.last_modified ?? undefined : undefined,
    });
    headers = res.headers;
    status = res.status;
    if (res.notModified) {
      outcome = { kind: 'not_modified', headers };
    } else {
      parsed = await parseFeed(res.body, { url: res.url, contentType: res.contentType, tz: feed.tz, maxItems: deps.maxItems, truncated: res.truncated });
      links = findHubLinks(res.body, headers, res.url);
      outcome = { kind: 'ok', feed: parsed, headers, newItems: 0 };
    }
  } catch (err) {
    const e = err as Error & { code?: string; retryAfterMs?: number; status?: number };
    outcome = { kind: 'error', error: { code: e.code ?? 'error', permanent: isPermanent(err), retryAfterMs: e.retryAfterMs } };
    const plan = planNextPoll(state, outcome, deps.policy, now, feed.interval_s);
    await recordPoll(deps.db, feed.id, {
      lastPollAt: now.toISOString(), status: e.status ?? status, success: false, error: e.message,
      consecutiveFailures: plan.consecutiveFailures, nextPollAt: plan.nextPollAt, intervalS: plan.intervalS, intervalWhy: plan.why,
    }, row);
    return { status: 'error', code: e.code ?? 'error', message: e.message, nextPollAt: plan.nextPollAt };
  }

  let created: string[] = [];
  let edited: string[] = [];
  const contentHashes: Record<string, string> = {};
  let recentItemDates: string[] | undefined;
  const items: NewItem[] = (parsed?.items ?? []).map((item) => {
    const idn = itemIdentity(item, feed);
    contentHashes[idn.id] = idn.contentHash;
    return { id: idn.id, canonicalUrl: idn.canonicalUrl, guidKey: idn.guidKey, contentHash: idn.contentHash, item };
  });
  if (parsed) recentItemDates = parsed.items.map((i) => i.published ?? i.updated).filter((d): d is string => !!d).sort().slice(-50);
  const subscription = deps.safetyNet ? await getSubscription(deps.db, feed.id) : undefined;
  const nowIso = now.toISOString();
  /** The next poll, once the items are recorded (the outcome counts the new ones); pure. */
  const planAfter = (recorded: RecordResult | undefined): { next: ReturnType<typeof planNextPoll>; record: PollRecord } => {
    if (parsed && recorded) {
      ({ created, edited } = recorded);
      outcome = { kind: 'ok', feed: parsed, headers, newItems: created.length };
    }
    let next = planNextPoll({ ...state, recentItemDates: recentItemDates ?? state.recentItemDates }, outcome, deps.policy, now, feed.interval_s);
    if (deps.safetyNet) next = safetyNet(next, subscription, now, { ...deps.safetyNet, maxS: deps.policy.maxIntervalS });
    return {
      next,
      record: {
        lastPollAt: nowIso, status, success: true, notModified: outcome.kind === 'not_modified',
        unconditional: !conditional, etag: headers['etag'], lastModified: headers['last-modified'],
        consecutiveFailures: next.consecutiveFailures, nextPollAt: next.nextPollAt, intervalS: next.intervalS, intervalWhy: next.why, recentItemDates,
      },
    };
  };
  // The poll's items and the feed's poll state are one transaction: one commit a poll (a SQLite commit writes every
  // page it dirtied to the WAL), and a crash between the two cannot leave items recorded under the old poll state.
  // On SQLite it is one synchronous transaction of prepared statements (store/sqlite-sync: why).
  const sync = sqliteTransaction(deps.db);
  const plan = sync
    ? await sync((tx) => {
      const { next, record } = planAfter(parsed ? recordItemsSync(tx, feed.id, items, nowIso) : undefined);
      recordPollSync(tx, feed.id, record, row);
      return next;
    })
    : await deps.db.transaction().execute(async (tx) => {
      const { next, record } = planAfter(parsed ? await recordItemsIn(tx, feed.id, items, nowIso) : undefined);
      await recordPoll(tx, feed.id, record, row);
      return next;
    });
  if (outcome.kind === 'not_modified') return { status: 'not_modified', nextPollAt: plan.nextPollAt };
  return { status: 'ok', items: parsed?.items.length ?? 0, created, edited, nextPollAt: plan.nextPollAt, contentHashes, ...(links?.hub ? { links } : {}) };
}

function stateOf(row: FeedRow): PollState {
  return {
    intervalS: row.interval_s ?? undefined,
    consecutiveFailures: Number(row.consecutive_failures),
    lastSuccessAt: row.last_success_at ?? undefined,
    lastUnconditionalAt: row.last_unconditional_at ?? undefined,
    recentItemDates: row.recent_item_dates ? (JSON.parse(row.recent_item_dates) as string[]) : undefined,
  };
}
