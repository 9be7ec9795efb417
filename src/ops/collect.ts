// Scrape-time gauges read from the shared state, so any process (typically `serve`) reports for the whole
// deployment: queue depth and oldest waiting job per queue (Redis), feed health, items and deliveries by state
// (the store).
// Each source is bounded by a deadline: a scrape during a Redis or database outage answers at once with
// wirewatch_ops_source_up{source}=0 instead of hanging.
import { Gauge, type Registry } from 'prom-client';
import type { Queue } from 'bullmq';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { countItemsByState } from '../store/items.js';
import { withDeadline } from '../deadline.js';

export interface CollectDeps {
  /** Queues by key (queue/queues.createQueues). */
  queues: Record<string, Queue>;
  db: Kysely<Database>;
  /** Per-source deadline for one scrape (default 2 s). */
  timeoutMs?: number;
  now?: () => number;
}

const STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed', 'completed'] as const;

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return withDeadline(p, ms, `ops: ${what} did not answer within ${ms} ms`);
}

/** A promise shared by every gauge of one scrape (prom-client collects gauges concurrently). */
function perScrape<T>(fn: () => Promise<T>, now: () => number, ttlMs = 1000): () => Promise<T> {
  let at = 0;
  let p: Promise<T> | undefined;
  return () => {
    if (!p || now() - at > ttlMs) {
      at = now();
      p = fn();
      p.catch(() => undefined);
    }
    return p;
  };
}

/** Register the scrape-time gauges on `registry`. */
export function registerCollectors(registry: Registry, d: CollectDeps): void {
  const timeoutMs = d.timeoutMs ?? 2000;
  const now = d.now ?? Date.now;
  const queueState = perScrape(
    () =>
      within(
        Promise.all(
          Object.entries(d.queues).map(async ([k, q]) => {
            const [counts, oldest] = await Promise.all([q.getJobCounts(...STATES), q.getJobs(['waiting'], 0, 0, true)]);
            return { queue: k, counts, oldest: oldest[0] };
          }),
        ),
        timeoutMs,
        'redis',
      ),
    now,
  );
  const storeState = perScrape(
    async () => {
      const [feeds, items, outbox] = await within(
        Promise.all([
          d.db.selectFrom('feeds').select(['id', 'consecutive_failures']).execute(),
          countItemsByState(d.db),
          d.db.selectFrom('outbox').select(['state', d.db.fn.countAll().as('n')]).groupBy('state').execute(),
        ]),
        timeoutMs,
        'store',
      );
      return { feeds, items, outbox: Object.fromEntries(outbox.map((r) => [r.state, Number(r.n)])) as Record<string, number> };
    },
    now,
  );
  const ok = (p: Promise<unknown>) => p.then(() => 1, () => 0);

  new Gauge({
    name: 'wirewatch_ops_source_up',
    help: 'Whether a scrape source answered (1) or not (0): redis, store',
    labelNames: ['source'],
    registers: [registry],
    async collect() {
      this.labels('redis').set(await ok(queueState()));
      this.labels('store').set(await ok(storeState()));
    },
  });

  new Gauge({
    name: 'wirewatch_queue_jobs',
    help: 'Jobs in each queue by state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      const all = await queueState().catch(() => undefined);
      if (!all) return;
      this.reset();
      for (const { queue, counts } of all) for (const s of STATES) this.labels(queue, s).set(counts[s] ?? 0);
    },
  });

  new Gauge({
    name: 'wirewatch_queue_oldest_waiting_seconds',
    help: 'Age of the oldest job waiting to be taken, per queue (0 when none waits)',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      const all = await queueState().catch(() => undefined);
      if (!all) return;
      const t = now();
      for (const { queue, oldest } of all) this.labels(queue).set(oldest ? Math.max(0, (t - oldest.timestamp - (oldest.opts.delay ?? 0)) / 1000) : 0);
    },
  });

  new Gauge({
    name: 'wirewatch_feeds',
    help: 'Feeds in the store',
    registers: [registry],
    async collect() {
      const s = await storeState().catch(() => undefined);
      if (s) this.set(s.feeds.length);
    },
  });

  new Gauge({
    name: 'wirewatch_feeds_failing',
    help: 'Feeds whose last poll failed',
    registers: [registry],
    async collect() {
      const s = await storeState().catch(() => undefined);
      if (s) this.set(s.feeds.filter((r) => Number(r.consecutive_failures) > 0).length);
    },
  });

  new Gauge({
    name: 'wirewatch_feed_consecutive_failures',
    help: 'Consecutive failed polls per feed (0 when healthy)',
    labelNames: ['feed'],
    registers: [registry],
    async collect() {
      const s = await storeState().catch(() => undefined);
      if (!s) return;
      this.reset();
      for (const r of s.feeds) this.labels(r.id).set(Number(r.consecutive_failures));
    },
  });

  new Gauge({
    name: 'wirewatch_items',
    help: 'Items in the store by state (discovered = waiting for its article job)',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const s = await storeState().catch(() => undefined);
      if (!s) return;
      this.reset();
      for (const st of ['discovered', 'stored', 'failed']) this.labels(st).set(s.items[st] ?? 0);
      for (const [st, n] of Object.entries(s.items)) this.labels(st).set(n);
    },
  });

  new Gauge({
    name: 'wirewatch_deliveries',
    help: 'Outbox rows (one per digest, period and channel) by state; unknown and failed need an operator',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const s = await storeState().catch(() => undefined);
      if (!s) return;
      this.reset();
      for (const st of ['pending', 'sending', 'sent', 'failed', 'unknown']) this.labels(st).set(s.outbox[st] ?? 0);
    },
  });
}
