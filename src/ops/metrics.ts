// The process's Prometheus registry and the instruments the pipeline reports into: job outcomes, fetch errors,
// classifications and latencies. One registry per service (never prom-client's global one), so tests and several
// services in one process do not collide. Scrape-time gauges (queues, feeds, items) live in ops/collect.ts.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Seconds: from seconds (pipeline) to a day (a feed that publishes late, a digest delivered next morning). */
const LATENCY_BUCKETS = [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 24 * 3600, 48 * 3600];

export interface OpsMetrics {
  registry: Registry;
  /** One finished job attempt: completed, failed (no retry left), retry (will run again), stalled (lock lost). */
  job(queue: string, outcome: 'completed' | 'failed' | 'retry' | 'stalled'): void;
  /** A fetch that threw, by kind (feed|page) and error code (http_404, timeout, ssrf_blocked, too_large …). */
  fetchError(kind: string, code: string): void;
  /** An article stored: its topics (none → "none") and its latencies. */
  stored(r: { topics: string[]; publishedAt?: string; discoveredAt?: string }, now?: Date): void;
  /** A digest delivered: one observation per article it carried (stored → delivered). */
  delivered(storedAts: string[], now?: Date): void;
  /** The reconciler re-enqueued items: `added` (job gone from Redis) or `retried` (job had failed/completed: alert). */
  requeued(how: 'added' | 'retried', n: number): void;
  /** The outbox sweeper moved a delivery stuck in `sending`: to `unknown` (alert) or back to `pending`. */
  swept(to: 'unknown' | 'pending', n: number): void;
}

export function createOpsMetrics(opts: { defaultMetrics?: boolean } = {}): OpsMetrics {
  const registry = new Registry();
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'wirewatch_process_' });
  const counter = <L extends string>(name: string, help: string, labelNames: L[]) => new Counter<L>({ name, help, labelNames, registers: [registry] });
  const latency = (name: string, help: string) => new Histogram({ name, help, buckets: LATENCY_BUCKETS, registers: [registry] });
  const jobs = counter('wirewatch_jobs_total', 'Job attempts finished by this process, by queue and outcome (completed, failed, retry, stalled)', ['queue', 'outcome']);
  const fetchErrors = counter('wirewatch_fetch_errors_total', 'Fetches that failed, by kind (feed, page) and error code', ['kind', 'code']);
  const classified = counter(
    'wirewatch_articles_classified_total',
    'Articles stored, by matched topic ("none" when no topic matched); an article matching two topics counts twice',
    ['topic'],
  );
  const publishToStored = latency('wirewatch_publish_to_stored_seconds', "From the item's feed publication date to the article being stored");
  const discoveredToStored = latency('wirewatch_discovered_to_stored_seconds', 'From the poll that discovered the item to the article being stored (the pipeline alone)');
  const storedToDelivered = latency('wirewatch_stored_to_delivered_seconds', 'From an article being stored to the digest carrying it being delivered');
  const requeued = counter(
    'wirewatch_reconciler_requeued_total',
    'Items the reconciler re-enqueued: added (their job was lost from Redis) or retried (their job had failed or completed without storing them)',
    ['how'],
  );
  const swept = counter(
    'wirewatch_outbox_swept_total',
    'Deliveries the outbox sweeper found stuck in sending past the lease: to=unknown (not resent: alert) or to=pending (repeatable, resent)',
    ['to'],
  );
  // Zero series for the outcomes that matter, so alerts on rate() see a 0 instead of no data.
  swept.labels('unknown').inc(0);
  swept.labels('pending').inc(0);
  requeued.labels('added').inc(0);
  requeued.labels('retried').inc(0);
  for (const q of ['poll', 'article', 'digest', 'maintenance']) for (const o of ['completed', 'failed']) jobs.labels(q, o).inc(0);

  const secondsSince = (iso: string | undefined, now: Date): number | undefined => {
    if (!iso) return undefined;
    const t = Date.parse(iso);
    if (!Number.isFinite(t)) return undefined;
    // Feeds lie about dates (future pubDates, time zones): clamp at 0 rather than record negative latency.
    return Math.max(0, (now.getTime() - t) / 1000);
  };

  return {
    registry,
    job: (queue, outcome) => jobs.labels(queue, outcome).inc(),
    fetchError: (kind, code) => fetchErrors.labels(kind, code).inc(),
    stored(r, now = new Date()) {
      for (const t of r.topics.length ? r.topics : ['none']) classified.labels(t).inc();
      const p = secondsSince(r.publishedAt, now);
      if (p !== undefined) publishToStored.observe(p);
      const d = secondsSince(r.discoveredAt, now);
      if (d !== undefined) discoveredToStored.observe(d);
    },
    requeued: (how, n) => requeued.labels(how).inc(n),
    swept: (to, n) => swept.labels(to).inc(n),
    delivered(storedAts, now = new Date()) {
      for (const s of storedAts) {
        const v = secondsSince(s, now);
        if (v !== undefined) storedToDelivered.observe(v);
      }
    },
  };
}
