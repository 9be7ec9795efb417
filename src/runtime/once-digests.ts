// The digest step of `run --once`. Two things, both safe to repeat:
// 1. the last *completed* period of each digest (the latest scheduled fire at or before now) is built, stored and
//    delivered through the outbox exactly as the scheduled job would — a cron user running --once daily gets their
//    digest, and a later scheduled run sends nothing twice;
// 2. the *open* period (ending at the next fire) is built from what is stored so far and written as files only,
//    never stored or delivered: "today's digest so far", rewritten by each run until its period closes.
import { Cron } from 'croner';
import type { Logger } from '../log.js';
import { runDigest, loadOrBuildDigest } from '../digest/run.js';
import { periodFor } from '../digest/period.js';
import { writeDigestFiles } from '../deliver/files.js';
import { cronFor } from '../scheduler.js';
import { lastFireAtOrBefore } from './once.js';
import type { Service } from './service.js';

export async function buildOnceDigests(svc: Service, log: Logger, now: Date): Promise<{ digestId: string; period: string; built: boolean }[]> {
  const { cfg, store } = svc;
  const topics = cfg.topics.topics.map((t) => ({ id: t.id, title: t.title }));
  const out: { digestId: string; period: string; built: boolean }[] = [];
  for (const d of cfg.digests) {
    const last = lastFireAtOrBefore(d, now);
    if (last) {
      const r = await runDigest({ db: store.db, log, outputDir: cfg.outputDir, digest: d, topics, fireTime: last, baseUrl: cfg.http.base_url, throwOnPending: false });
      out.push({ digestId: d.id, period: r.period, built: r.built });
    }
    const next = new Cron(cronFor(d), { timezone: d.schedule.tz, paused: true }).nextRun(now);
    if (!next) continue;
    const p = periodFor(d.schedule, next);
    const { digest } = await loadOrBuildDigest({ db: store.db, digest: d, topics }, p, { store: false, now });
    const receipt = await writeDigestFiles(cfg.outputDir, digest);
    log.info({ digest_id: d.id, period: p.period, files: receipt.files }, 'open period written (provisional: not stored, not delivered)');
    out.push({ digestId: d.id, period: p.period, built: true });
  }
  return out;
}
