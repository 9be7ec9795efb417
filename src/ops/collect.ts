// Scrape-time gauges read from the shared state, so any process (typically `serve`) reports for the whole
// deployment: queue depth and oldest waiting job per queue (Redis), feed health, items and deliveries by state
// (the store).
// Each source is bounded by a deadline: a scrape during a Redis or database outage answers at once with
// wirewatch_ops_source_up{source}=0 instead of hanging.
import { Gauge, type Registry } from 'prom-client';
import type { Job, Queue } from 'bullmq';
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

type QueueState = { queue: string; counts: Record<string, number>; oldest?: Job }[];
interface StoreState {
  feeds: { id: string; consecutive_failures: number | string }[];
  items: Record<string, number>;
  outbox: Record<string, number>;
}

/** One gauge set from one source at scrape time; a source that did not answer leaves the gauge as it was. */
interface GaugeDef<S> {
  name: string;
  help: string;
  labelNames?: string[];
  /** Clear the previous scrape's series first (label sets that come and go: feeds, states). */
  reset?: boolean;
  set(g: Gauge, state: S, now: number): void;
}

const QUEUE_GAUGES: GaugeDef<QueueState>[] = [
  {
    name: 'wirewatch_queue_jobs', help: 'Jobs in each queue by state', labelNames: ['queue', 'state'], reset: true,
    set: (g, all) => { for (const { queue, counts } of all) for (const s of STATES) g.labels(queue, s).set(counts[s] ?? 0); },
  },
  {
    name: 'wirewatch_queue_oldest_waiting_seconds', help: 'Age of the oldest job waiting to be taken, per queue (0 when none waits)', labelNames: ['queue'],
    set: (g, all, t) => {
      for (const { queue, oldest } of all) g.labels(queue).set(oldest ? Math.max(0, (t - oldest.timestamp - (oldest.opts.delay ?? 0)) / 1000) : 0);
    },
  },
];

const STORE_GAUGES: GaugeDef<StoreState>[] = [
  { name: 'wirewatch_feeds', help: 'Feeds in the store', set: (g, s) => g.set(s.feeds.length) },
  { name: 'wirewatch_feeds_failing', help: 'Feeds whose last poll failed', set: (g, s) => g.set(s.feeds.filter((r) => Number(r.consecutive_failures) > 0).length) },
  {
    name: 'wirewatch_feed_consecutive_failures', help: 'Consecutive failed polls per feed (0 when healthy)', labelNames: ['feed'], reset: true,
    set: (g, s) => { for (const r of s.feeds) g.labels(r.id).set(Number(r.consecutive_failures)); },
  },
  {
    name: 'wirewatch_items', help: 'Items in the store by state (discovered = waiting for its article job)', labelNames: ['state'], reset: true,
    set: (g, s) => {
      for (const st of ['discovered', 'stored', 'failed']) g.labels(st).set(s.items[st] ?? 0);
      for (const [st, n] of Object.entries(s.items)) g.labels(st).set(n);
    },
  },
  {
    name: 'wirewatch_deliveries', help: 'Outbox rows (one per digest, period and channel) by state; unknown and failed need an operator', labelNames: ['state'],
    reset: true,
    set: (g, s) => { for (const st of ['pending', 'sending', 'sent', 'failed', 'unknown']) g.labels(st).set(s.outbox[st] ?? 0); },
  },
];

function registerGauges<S>(registry: Registry, defs: GaugeDef<S>[], read: () => Promise<S>, now: () => number): void {
  for (const d of defs) {
    new Gauge({
      name: d.name, help: d.help, labelNames: d.labelNames ?? [], registers: [registry],
      async collect() {
        const state = await read().catch(() => undefined);
        if (state === undefined) return;
        if (d.reset) this.reset();
        d.set(this, state, now());
      },
    });
  }
}

/** Register the scrape-time gauges on `registry`. */
export function registerCollectors(registry: Registry, d: CollectDeps): void {
  const timeoutMs = d.timeoutMs ?? 2000;
  const now = d.now ?? Date.now;
  const queueState = perScrape(
    (): Promise<QueueState> =>
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
  const storeState = perScrape(async (): Promise<StoreState> => {
    const [feeds, items, outbox] = await within(
      Promise.all([
        d.db.selectFrom('feeds').select(['id', 'consecutive_failures']).execute(),
        countItemsByState(d.db),
        d.db.selectFrom('outbox').select(['state', d.db.fn.countAll().as('n')]).groupBy('state').execute(),
      ]),
      timeoutMs,
      'store',
    );
    return { feeds, items, outbox: Object.fromEntries(outbox.map((r) => [r.state, Number(r.n)])) };
  }, now);
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
  registerGauges(registry, QUEUE_GAUGES, queueState, now);
  registerGauges(registry, STORE_GAUGES, storeState, now);
}
