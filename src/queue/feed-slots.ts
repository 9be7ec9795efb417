// Per-feed fairness for article jobs (C3), shared by every process through Redis: at most `perFeed` article jobs of
// one feed run at once. A job that finds its feed's slots taken goes back to the delayed set for a moment instead
// of holding a worker slot, so a feed that lists 200 slow pages keeps at most `perFeed` of the workers and the
// other feeds' jobs run beside it.
//
// Why this design: BullMQ's groups (per-group concurrency) are Pro-only. A per-feed cap on *enqueued* jobs would
// need a second queue of deferred items and a producer that refills it; instead every item is enqueued at once
// (the store and the reconciler stay the source of truth, as before), its place in the queue is its rank within
// its feed's batch (queues.enqueueItems: ranks past the cap become BullMQ priorities, so feeds take turns) and this
// running cap keeps the flood from occupying the workers. Each slot is a lease (a ZSET member scored by its expiry,
// as in host-gate.ts), so a process that dies holding one frees it within `leaseMs`.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Running article jobs per feed when the configuration does not say: half the article workers, at least 1. */
export function defaultPerFeed(articleConcurrency: number): number {
  return Math.max(1, Math.floor(articleConcurrency / 2));
}

/** How long a deferred job waits before it tries again (ms), jittered ±50% so deferred jobs spread out. */
export const DEFER_MS = 1_000;

/** KEYS: slots. ARGV: token, max, leaseMs. Returns 1 when a slot was taken, 0 when the feed is at its cap. */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) + 1000)
return 1
`;

interface ScriptCommands {
  wwFeedSlotTake(slots: string, token: string, max: number, leaseMs: number): Promise<number>;
}

export interface FeedSlotsOptions {
  /** Key prefix: keys are "<prefix>:feedslots:{<feedId>}". */
  prefix: string;
  perFeed: number;
  /**
   * A slot never released (its process was killed, or Redis was away when it ended) expires after this long
   * (default 30 s): a crashed worker must not hold its feeds back for minutes while its stalled jobs re-run
   * elsewhere. A job that runs longer frees its slot early, which only lets that feed run one more job.
   */
  leaseMs?: number;
}

/**
 * `take(feedId)` resolves to a release function when a slot was free (call it when the job ends; idempotent), or
 * to undefined when the feed already runs `perFeed` jobs. Redis errors reject.
 */
export function createFeedSlots(redis: Redis, opts: FeedSlotsOptions): (feedId: string) => Promise<(() => void) | undefined> {
  if (!(opts.perFeed >= 1)) throw new RangeError('feed-slots: perFeed must be >= 1');
  const leaseMs = Math.max(1000, Math.round(opts.leaseMs ?? 30_000));
  const r = redis as Redis & ScriptCommands;
  if (typeof r.wwFeedSlotTake !== 'function') redis.defineCommand('wwFeedSlotTake', { numberOfKeys: 1, lua: TAKE });
  return async (feedId) => {
    const key = `${opts.prefix}:feedslots:{${feedId}}`;
    const token = randomUUID();
    if (Number(await r.wwFeedSlotTake(key, token, opts.perFeed, leaseMs)) !== 1) return undefined;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      redis.zrem(key, token).catch(() => {
        // Redis unreachable: the lease expires on its own.
      });
    };
  };
}
