// The digest step of `run --once`: for each digest, the period of its latest scheduled fire at or before now is
// built, stored and delivered through the outbox exactly as the scheduled job would. Building it cuts at now
// (pipeline/digest.ts), so it carries every match not yet delivered — including what this run just collected: a cron
// user running --once at 07:05 gets that morning's articles in that morning's digest. A second run in the same
// period finds it built and sends nothing; what it collected waits for the next period's digest.
import type { Kysely } from 'kysely';
import type { Logger } from '../log.js';
import type { DigestConfig } from '../digest/config.js';
import { lastFireAtOrBefore } from '../digest/period.js';
import { runDigest, type Transports } from '../pipeline/digest.js';
import type { Database } from '../store/schema.js';
import { digestSince } from '../store/meta.js';
import type { Service } from './service.js';
import { topicTitles } from './live-config.js';

export interface DueDigestsDeps {
  db: Kysely<Database>;
  log: Logger;
  outputDir: string;
  digests: DigestConfig[];
  topics: { id: string; title: string }[];
  baseUrl?: string;
  transports?: Transports;
}

/** Build and deliver, for each digest, the period of its latest fire at or before `now` (no-op when built). */
export async function deliverDueDigests(d: DueDigestsDeps, now: Date): Promise<{ digestId: string; period: string; built: boolean }[]> {
  const out: { digestId: string; period: string; built: boolean }[] = [];
  for (const digest of d.digests) {
    await digestSince(d.db, digest.id, now);
    const last = lastFireAtOrBefore(digest, now);
    if (!last) continue;
    const r = await runDigest({
      db: d.db, log: d.log, outputDir: d.outputDir, digest, topics: d.topics, fireTime: last, baseUrl: d.baseUrl,
      transports: d.transports, throwOnPending: false, now: () => now,
    });
    out.push({ digestId: digest.id, period: r.period, built: r.built });
  }
  return out;
}

export function buildOnceDigests(svc: Service, log: Logger, now: Date): Promise<{ digestId: string; period: string; built: boolean }[]> {
  const { cfg, store } = svc;
  return deliverDueDigests(
    { db: store.db, log, outputDir: cfg.outputDir, digests: cfg.digests, topics: topicTitles(cfg), baseUrl: cfg.http.base_url },
    now,
  );
}
