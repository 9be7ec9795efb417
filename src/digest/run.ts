// The digest job's body (workers/digest.ts only calls this): work out the period from the scheduled fire time,
// build the digest once (the digests row is the claim) or re-read the stored one, then deliver it through every
// channel via the outbox. A repeated, late or racing run builds nothing new and sends nothing twice.
import type { Kysely } from 'kysely';
import type { Logger } from '../log.js';
import type { Database } from '../store/schema.js';
import { entriesForPeriod } from '../store/articles.js';
import { getDigest, putDigest } from '../store/digests.js';
import { listFeeds, toHealth } from '../store/feeds.js';
import { TransientError } from '../errors.js';
import { assertUniqueNames, type Channel } from '../deliver/channel.js';
import { deliverOne, type DeliveryResult } from '../deliver/deliver.js';
import { emailChannel, type EmailTransportFactory } from '../deliver/email.js';
import { filesChannel } from '../deliver/files.js';
import { webhookChannel } from '../deliver/webhook.js';
import { buildDigestSliced } from './build.js';
import type { DigestConfig } from './config.js';
import { periodFor, type Period } from './period.js';
import type { Digest } from './types.js';
import type { HtmlOptions } from './render-html.js';

export interface Transports {
  email?: EmailTransportFactory;
  fetch?: typeof fetch;
  /** Backoff sleeps inside one run (tests pass a no-op). */
  sleep?: (ms: number) => Promise<void>;
}

export interface RunDigestDeps {
  db: Kysely<Database>;
  log: Logger;
  outputDir: string;
  digest: DigestConfig;
  /** All configured topics (id, title); the digest's `topics` selects among them. */
  topics: { id: string; title: string }[];
  /** The scheduled fire time (not the wall clock). */
  fireTime: Date;
  now?: () => Date;
  transports?: Transports;
  /** Public base URL of the web UI: evidence links in email and Slack. */
  baseUrl?: string;
  /** Throw TransientError when a channel is left pending, so the queue retries the job (default true). */
  throwOnPending?: boolean;
}

export interface RunDigestResult {
  period: string;
  built: boolean;
  deliveries: { channel: string; state: string }[];
}

/** Build (or load) the digest of a period without delivering it: the CLI's on-the-fly path uses this too. */
export async function loadOrBuildDigest(
  deps: Pick<RunDigestDeps, 'db' | 'digest' | 'topics'>,
  p: Period,
  opts: { store: boolean; now: Date },
): Promise<{ digest: Digest; built: boolean; stored: boolean }> {
  const existing = await getDigest(deps.db, deps.digest.id, p.period);
  if (existing) return { digest: JSON.parse(existing.content) as Digest, built: false, stored: true };
  const wanted = deps.digest.topics ?? deps.topics.map((t) => t.id);
  const titles = new Map(deps.topics.map((t) => [t.id, t.title]));
  const topics = wanted.map((id) => ({ id, title: titles.get(id) ?? id }));
  const entries = await entriesForPeriod(deps.db, { topicIds: wanted, from: p.start, to: p.end, minScore: deps.digest.min_score });
  const feeds = (await listFeeds(deps.db)).map(toHealth);
  const digest = await buildDigestSliced({
    digestId: deps.digest.id, title: deps.digest.title, period: p.period, start: p.start, end: p.end,
    tz: deps.digest.schedule.tz, topics, entries, feedsInTrouble: feeds, maxItems: deps.digest.max_items,
  });
  if (!opts.store) return { digest, built: true, stored: false };
  const won = await putDigest(deps.db, {
    digest_id: digest.digestId, period: digest.period, period_start: digest.start, period_end: digest.end,
    built_at: opts.now.toISOString(), content: JSON.stringify(digest),
  });
  if (won) return { digest, built: true, stored: true };
  // Another worker stored it first: deliver exactly what it stored.
  const row = await getDigest(deps.db, deps.digest.id, p.period);
  return { digest: JSON.parse(row!.content) as Digest, built: false, stored: true };
}

export function channelsFor(deps: Pick<RunDigestDeps, 'digest' | 'outputDir' | 'transports' | 'baseUrl' | 'now'>): Channel[] {
  const names = assertUniqueNames(deps.digest.channels);
  const base = deps.baseUrl?.replace(/\/+$/, '');
  const html: HtmlOptions = base ? { articleHref: (id) => `${base}/articles/${encodeURIComponent(id)}` } : {};
  const t = deps.transports ?? {};
  return deps.digest.channels.map((c, i) => {
    switch (c.type) {
      case 'files':
        return filesChannel(deps.outputDir, names[i]);
      case 'email':
        return emailChannel(names[i], c, { transport: t.email, sleep: t.sleep, now: deps.now, html });
      case 'webhook':
        return webhookChannel(names[i], c, { fetch: t.fetch, sleep: t.sleep, now: deps.now, baseUrl: base });
    }
  });
}

export async function runDigest(deps: RunDigestDeps): Promise<RunDigestResult> {
  const now = deps.now ?? (() => new Date());
  const p = periodFor(deps.digest.schedule, deps.fireTime);
  const log = deps.log.child({ digest_id: deps.digest.id, period: p.period });
  const { digest, built } = await loadOrBuildDigest(deps, p, { store: true, now: now() });
  if (built) log.info({ stories: digest.counts.stories, articles: digest.counts.articles }, 'digest: built');
  const results: DeliveryResult[] = [];
  for (const ch of channelsFor(deps)) {
    results.push(await deliverOne({ db: deps.db, log, now }, digest, ch));
  }
  const pending = results.filter((r) => r.state === 'pending');
  if (pending.length && deps.throwOnPending !== false) {
    throw new TransientError(
      'delivery_pending',
      `digest: ${deps.digest.id} ${p.period}: delivery pending on ${pending.map((r) => `${r.channel} (${r.error ?? 'retry'})`).join(', ')}`,
    );
  }
  return { period: p.period, built, deliveries: results.map((r) => ({ channel: r.channel, state: r.state })) };
}
