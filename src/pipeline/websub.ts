// WebSub subscriber (W3C WebSub; issue 16): ask a feed's hub for pushes, answer its verification of intent, accept
// signed deliveries and record their entries exactly as a poll records a feed's. Polling carries on as the safety net
// (feeds/poll + websub/lease safetyNet) and takes over again when a hub stops verifying or renewing.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Logger } from '../log.js';
import type { Database } from '../store/schema.js';
import type { Fetcher } from '../fetch/client.js';
import type { FeedSource } from '../model.js';
import { parseFeed } from '../feeds/parse.js';
import { itemIdentity } from '../feeds/identity.js';
import { recordItems, type NewItem } from '../store/items.js';
import { countPush, failSubscription, getSubscription, markSubscription, requestSubscription } from '../store/websub.js';
import { subscriptionDue, VERIFY_WITHIN_MS } from '../websub/lease.js';
import { verifySignature } from '../websub/signature.js';

export interface SubscribeDeps {
  db: Kysely<Database>;
  fetcher: Pick<Fetcher, 'fetch'>;
  log: Logger;
  /** The callback URL for a feed (websub/config websubCallback). */
  callbackUrl: (feedId: string) => string;
  leaseS: number;
  now?: () => Date;
}

/**
 * Send a subscription request to the hub when one is due (or `force`d: the renewal job). The hub answers 202 and
 * then verifies by GET on the callback (verifyIntent), which makes the row active. A refusal or an unreachable hub
 * is counted on the row; polling goes on regardless.
 */
export async function subscribe(deps: SubscribeDeps, feedId: string, hub: string, topic: string, opts: { force?: boolean } = {}): Promise<'requested' | 'failed' | 'not_due'> {
  const now = deps.now?.() ?? new Date();
  const row = await getSubscription(deps.db, feedId);
  if (!opts.force && !subscriptionDue(row, hub, topic, now)) return 'not_due';
  const sub = await requestSubscription(deps.db, { feedId, hub, topic, secret: randomBytes(24).toString('hex'), now: now.toISOString() });
  try {
    await deps.fetcher.fetch({
      url: hub, kind: 'hub',
      form: { 'hub.callback': deps.callbackUrl(feedId), 'hub.mode': 'subscribe', 'hub.topic': topic, 'hub.secret': sub.secret, 'hub.lease_seconds': String(deps.leaseS) },
    });
    deps.log.info({ feed_id: feedId, hub }, 'websub: subscription requested');
    return 'requested';
  } catch (err) {
    await failSubscription(deps.db, feedId, `hub refused or unreachable: ${(err as Error).message}`, now.toISOString());
    deps.log.warn({ feed_id: feedId, hub, err: (err as Error).message }, 'websub: subscription request failed; polling carries on');
    return 'failed';
  }
}

export interface IntentQuery {
  mode?: string;
  topic?: string;
  challenge?: string;
  lease_seconds?: string;
  reason?: string;
}

/**
 * The hub's verification of intent (GET on the callback, §5.3): echo `hub.challenge` only for the subscription we
 * asked for (same topic, still wanted), record the lease granted; `denied` (§5.2) marks the row failed. Anything
 * else is 404, so a stranger cannot confirm subscriptions on our behalf.
 */
export async function verifyIntent(db: Kysely<Database>, feedId: string, q: IntentQuery, now: Date): Promise<{ status: number; body: string; leaseS?: number }> {
  const row = await getSubscription(db, feedId);
  if (!row || q.topic !== row.topic) return { status: 404, body: 'unknown subscription\n' };
  const at = now.toISOString();
  if (q.mode === 'denied') {
    await markSubscription(db, feedId, { state: 'failed', error: `denied by hub: ${(q.reason ?? '').slice(0, 200)}`, failures: row.failures + 1, updated_at: at });
    return { status: 200, body: 'ok\n' };
  }
  const challenge = q.challenge ?? '';
  if (!challenge || challenge.length > 1024) return { status: 400, body: 'bad challenge\n' };
  if (q.mode === 'unsubscribe') return row.state === 'unsubscribed' ? { status: 200, body: challenge } : { status: 404, body: 'still wanted\n' };
  // Only while a request of ours is pending: the topic and feed id are public, and a stranger's "verification" must
  // not stretch a lease (which keeps polling at the slow safety-net pace).
  const pending = now.getTime() - Date.parse(row.requested_at) < VERIFY_WITHIN_MS;
  if (q.mode !== 'subscribe' || !['requested', 'active'].includes(row.state) || !pending) return { status: 404, body: 'not requested\n' };
  const leaseS = Math.max(1, Math.min(Number(q.lease_seconds) || 0, 365 * 86_400)) || row.lease_s || 86_400;
  await markSubscription(db, feedId, {
    state: 'active', lease_s: leaseS, expires_at: new Date(now.getTime() + leaseS * 1000).toISOString(), verified_at: at, failures: 0, error: null, updated_at: at,
  });
  return { status: 200, body: challenge, leaseS };
}

/**
 * A delivery (POST on the callback, §7): the body is the feed, signed with our secret. Unsigned or forged deliveries
 * are acknowledged (§8: a subscriber answers 2xx and ignores them, so the hub learns nothing) but never recorded.
 */
export async function checkPush(db: Kysely<Database>, feedId: string, body: Buffer, signature: string | undefined): Promise<'ok' | 'forged' | 'unknown'> {
  const row = await getSubscription(db, feedId);
  if (!row || row.state === 'unsubscribed') return 'unknown';
  return verifySignature(signature, row.secret, body) ? 'ok' : 'forged';
}

export interface PushDeps {
  db: Kysely<Database>;
  maxItems: number;
  now?: () => Date;
}

/**
 * Record the entries of a verified push as a poll records a feed's: the same parser under the same limits (worker
 * thread, time budget, max_items), the same identities, so an entry pushed and later polled is one item.
 * Returns the new and edited item ids (the caller enqueues them) with their content hashes.
 */
export async function recordPush(deps: PushDeps, feed: FeedSource, body: Buffer, contentType?: string): Promise<{ created: string[]; edited: string[]; contentHashes: Record<string, string> }> {
  const now = deps.now?.() ?? new Date();
  const parsed = await parseFeed(body, { url: feed.url, contentType, tz: feed.tz, maxItems: deps.maxItems });
  const contentHashes: Record<string, string> = {};
  const items: NewItem[] = parsed.items.map((item) => {
    const idn = itemIdentity(item, feed);
    contentHashes[idn.id] = idn.contentHash;
    return { id: idn.id, canonicalUrl: idn.canonicalUrl, guidKey: idn.guidKey, contentHash: idn.contentHash, item };
  });
  const { created, edited } = await recordItems(deps.db, feed.id, items, now.toISOString());
  await countPush(deps.db, feed.id, now.toISOString());
  return { created, edited, contentHashes };
}
