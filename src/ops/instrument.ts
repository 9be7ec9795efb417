// Hooks that feed OpsMetrics without touching stage code: BullMQ worker events (job outcomes, stalls, delivered
// digests) and a wrapper around the fetcher (errors by kind and code). Wired by runtime/resources.ts and roles.ts.
import type { Job, Worker } from 'bullmq';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { Digest } from '../digest/types.js';
import { getDigest } from '../store/digests.js';
import type { OpsMetrics } from './metrics.js';

/** Count every finished attempt of `worker`'s jobs under `queue`. */
export function instrumentWorker(queue: string, worker: Worker, m: OpsMetrics): void {
  worker.on('completed', () => m.job(queue, 'completed'));
  worker.on('failed', (job: Job | undefined, err: Error) => {
    // attemptsMade already counts this attempt when 'failed' fires; UnrecoverableError never retries.
    const final = !job || err?.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
    m.job(queue, final ? 'failed' : 'retry');
  });
  worker.on('stalled', () => m.job(queue, 'stalled'));
}

/**
 * After a digest job completes with at least one channel `sent`, observe stored → delivered for every article it
 * carried. A replayed job (M4) observes again; replays are rare and manual.
 */
export function instrumentDigestWorker(worker: Worker, db: Kysely<Database>, m: OpsMetrics, onError?: (err: unknown) => void): void {
  worker.on('completed', (job: Job, result: unknown) => {
    const r = result as { period?: string; deliveries?: { state: string }[] } | undefined;
    if (!r?.period || !r.deliveries?.some((x) => x.state === 'sent')) return;
    const digestId = (job.data as { digestId?: string }).digestId;
    if (!digestId) return;
    const now = new Date();
    getDigest(db, digestId, r.period)
      .then((row) => {
        if (!row) return;
        const d = JSON.parse(row.content) as Digest;
        m.delivered(d.topics.flatMap((t) => t.articles.map((a) => a.storedAt)), now);
      })
      .catch((err) => onError?.(err));
  });
}

/** Wrap a fetcher so every failed fetch is counted by kind and error code; everything else passes through. */
export function instrumentFetcher<F extends { fetch(req: { kind?: string }): Promise<unknown> }>(f: F, m: OpsMetrics): F {
  const fetch = async (req: { kind?: string }) => {
    try {
      return await f.fetch(req);
    } catch (err) {
      m.fetchError(req.kind ?? 'other', (err as { code?: string }).code ?? 'error');
      throw err;
    }
  };
  return new Proxy(f, {
    get(target, prop) {
      if (prop === 'fetch') return fetch;
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
