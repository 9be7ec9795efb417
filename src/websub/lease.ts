// When to (re)subscribe, whether push is in force, and how polling relaxes while it is. Pure.
import type { WebsubSubscriptionsTable } from '../store/alerts-schema.js';

export type SubscriptionRow = WebsubSubscriptionsTable;

/** Renew this long before the lease ends: a tenth of the lease, between 10 s and an hour. */
export function renewBeforeMs(leaseS: number): number {
  return Math.min(3_600_000, Math.max(10_000, leaseS * 100));
}

/** After a failed or unanswered request, wait this long before the next: 15 min doubling per failure, at most a day. */
export function retryAfterMs(failures: number): number {
  return Math.min(86_400_000, 15 * 60_000 * 2 ** Math.max(0, failures - 1));
}

/** A request the hub has not verified within this long counts as failed (hubs verify within seconds). */
export const VERIFY_WITHIN_MS = 10 * 60_000;

/** True while pushes from a verified, unexpired subscription can be relied on. */
export function pushActive(row: SubscriptionRow | undefined, now: Date): boolean {
  return !!row && row.state === 'active' && !!row.expires_at && Date.parse(row.expires_at) > now.getTime();
}

/**
 * What to ask the hub now for a feed that advertises `hub` with `topic`: 'subscribe' (none yet, a new hub or topic,
 * or a retry that is due), 'renew' (active and inside the renewal margin, or expired), or undefined (nothing to do).
 */
export function subscriptionDue(row: SubscriptionRow | undefined, hub: string, topic: string, now: Date): 'subscribe' | 'renew' | undefined {
  if (!row || row.hub !== hub || row.topic !== topic) return 'subscribe';
  const t = now.getTime();
  if (row.state === 'active') {
    const ends = row.expires_at ? Date.parse(row.expires_at) : 0;
    return ends - t <= renewBeforeMs(row.lease_s ?? 0) ? 'renew' : undefined;
  }
  if (row.state === 'requested' && t - Date.parse(row.requested_at) < VERIFY_WITHIN_MS) return undefined;
  return t - Date.parse(row.requested_at) >= retryAfterMs(Math.max(1, row.failures)) ? 'subscribe' : undefined;
}

/**
 * The poll plan while push is in force (`row` active and unexpired): the feed's interval times `factor`, at least
 * `minS` (capped at `maxS`), so polling only catches what a silent hub missed — but never later than the lease's
 * end, so a hub that stops renewing hands the feed straight back to normal polling. Unchanged otherwise.
 */
export function safetyNet<P extends { nextPollAt: string; intervalS: number; why: string }>(
  plan: P, row: SubscriptionRow | undefined, now: Date, o: { factor: number; minS: number; maxS: number },
): P {
  if (!pushActive(row, now)) return plan;
  const s = Math.min(o.maxS, Math.max(o.minS, plan.intervalS * o.factor));
  let due = new Date(now.getTime() + s * 1000).toISOString();
  if (row!.expires_at! < due) due = row!.expires_at!;
  return { ...plan, nextPollAt: due > plan.nextPollAt ? due : plan.nextPollAt, why: `${plan.why}; WebSub push in force: polled every ${Math.round(s / 60)} min as a safety net` };
}
