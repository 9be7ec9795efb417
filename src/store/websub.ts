// WebSub subscriptions (migration 007): one row per feed. The secret never leaves this table and the callback.
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { WebsubSubscriptionsTable } from './alerts-schema.js';

export type SubscriptionRow = WebsubSubscriptionsTable;

export async function getSubscription(db: Kysely<Database>, feedId: string): Promise<SubscriptionRow | undefined> {
  return db.selectFrom('websub_subscriptions').selectAll().where('feed_id', '=', feedId).executeTakeFirst();
}

export async function listSubscriptions(db: Kysely<Database>): Promise<SubscriptionRow[]> {
  return db.selectFrom('websub_subscriptions').selectAll().orderBy('feed_id').execute();
}

/** A (re)subscription request: keeps the secret of an existing row for the same hub, so pushes in flight verify. */
export async function requestSubscription(db: Kysely<Database>, r: { feedId: string; hub: string; topic: string; secret: string; now: string }): Promise<SubscriptionRow> {
  const cur = await getSubscription(db, r.feedId);
  if (!cur) {
    await db.insertInto('websub_subscriptions').values({
      feed_id: r.feedId, hub: r.hub, topic: r.topic, secret: r.secret, state: 'requested', lease_s: null, expires_at: null, requested_at: r.now,
      verified_at: null, last_push_at: null, pushes: 0, failures: 0, error: null, updated_at: r.now,
    }).onConflict((oc) => oc.column('feed_id').doNothing()).execute();
  } else {
    const sameHub = cur.hub === r.hub && cur.topic === r.topic;
    await db.updateTable('websub_subscriptions').where('feed_id', '=', r.feedId).set({
      hub: r.hub, topic: r.topic, secret: sameHub ? cur.secret : r.secret, requested_at: r.now, updated_at: r.now,
      // An active subscription stays active while its renewal is pending; anything else waits for verification.
      state: sameHub && cur.state === 'active' ? 'active' : 'requested',
    }).execute();
  }
  return (await getSubscription(db, r.feedId))!;
}

export async function markSubscription(db: Kysely<Database>, feedId: string, set: Partial<Omit<SubscriptionRow, 'feed_id'>>): Promise<void> {
  await db.updateTable('websub_subscriptions').where('feed_id', '=', feedId).set(set).execute();
}

/** A request the hub refused or that could not be sent: count it; an active lease stays until it ends. */
export async function failSubscription(db: Kysely<Database>, feedId: string, error: string, now: string): Promise<void> {
  const cur = await getSubscription(db, feedId);
  if (!cur) return;
  const stillActive = cur.state === 'active' && !!cur.expires_at && cur.expires_at > now;
  await markSubscription(db, feedId, { failures: cur.failures + 1, error, updated_at: now, state: stillActive ? 'active' : 'failed' });
}

export async function countPush(db: Kysely<Database>, feedId: string, now: string): Promise<void> {
  const cur = await getSubscription(db, feedId);
  if (cur) await markSubscription(db, feedId, { pushes: cur.pushes + 1, last_push_at: now });
}
