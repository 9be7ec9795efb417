// The digest queue's work: check the job (G1), work out the period from the scheduled fire time, build the digest
// once (the digests row and its cut are the claim) or re-read the stored one, then deliver it through every
// channel via the outbox. A repeated, late or racing run builds nothing new and sends nothing twice. The digest
// itself is built by digest/ (pure); this file reads and writes the store and calls deliver/.
import type { Kysely } from 'kysely';
import type { Logger } from '../log.js';
import type { DigestEntry } from '../model.js';
import { PermanentError, TransientError } from '../errors.js';
import type { DigestPayload } from '../queue/names.js';
import type { Database } from '../store/schema.js';
import { entriesForPeriod } from '../store/articles.js';
import { possibleForPeriod } from '../store/possible.js';
import { fillDigest, getDigest, getDigestRow, putDigest } from '../store/digests.js';
import { assignMatches, digestFloor, entriesOfPeriod, previousCut, undeliveredEntries } from '../store/cuts.js';
import { listFeeds, toHealth } from '../store/feeds.js';
import { channelsFor, type Transports } from '../deliver/channels.js';
import { deliverOne, type DeliveryResult } from '../deliver/deliver.js';
import { buildDigestSliced } from '../digest/build.js';
import type { DigestConfig } from '../digest/config.js';
import { periodFor, type Period } from '../digest/period.js';
import type { Digest } from '../digest/types.js';
import { linkDigestStories } from './stories.js';
import { noteAlerted } from './alert-note.js';

export type { Transports };

export interface RunDigestDeps {
  db: Kysely<Database>;
  log: Logger;
  outputDir: string;
  digest: DigestConfig;
  /** All configured topics (id, title); the digest's `topics` selects among them. */
  topics: { id: string; title: string }[];
  /** The scheduled fire time (not the wall clock). Queue jobs are checked first (checkDigestJob). */
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

/**
 * Refuse a digest run that must not happen: an unknown digest id (undefined config), a fire time that is not a
 * date, or a period that has not ended yet at `now` (building it early would send an empty digest and block the
 * real one, G1). Throws PermanentError; nothing is stored or sent.
 */
export function assertRunnable(digestId: string, digest: DigestConfig | undefined, fireTime: unknown, now: Date): { digest: DigestConfig; period: Period } {
  if (!digest) throw new PermanentError('unknown_digest', `digest: no digest "${String(digestId)}" is configured; job refused`);
  const t = fireTime instanceof Date ? fireTime : typeof fireTime === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(fireTime) ? new Date(fireTime) : new Date(NaN);
  if (Number.isNaN(t.getTime())) throw new PermanentError('bad_fire_time', `digest: ${digest.id}: fire time ${JSON.stringify(fireTime)} is not an ISO date; job refused`);
  const period = periodFor(digest.schedule, t);
  if (Date.parse(period.end) > now.getTime()) {
    throw new PermanentError('period_not_ended', `digest: ${digest.id}: period ${period.period} ends ${period.end}, after now (${now.toISOString()}); job refused`);
  }
  return { digest, period };
}

/** What a digest job's check reads of a BullMQ job (prevMillis is set on jobs its job scheduler makes). */
export interface DigestJob {
  data: DigestPayload;
  timestamp: number;
  opts: { delay?: number; prevMillis?: number };
}

/**
 * The slot a digest job belongs to: a manual job names it; a scheduler-made job carries it as `opts.prevMillis`
 * (BullMQ's job scheduler records the slot it computed), else it is the creation time plus the delay to the slot.
 * A fire time from job data is only a claim: checkDigestJob checks it.
 */
export function fireTimeOf(job: DigestJob): Date | string {
  if (job.data.fireTime !== undefined) return job.data.fireTime;
  const slot = job.opts.prevMillis;
  return new Date(typeof slot === 'number' && slot > 0 ? slot : job.timestamp + (job.opts.delay ?? 0));
}

/**
 * Check a digest job before anything runs (G1): its fire time (a re-drive of a stored period uses that period's
 * end), its digest id and that its period has ended. Throws PermanentError; nothing is stored or sent.
 */
export async function checkDigestJob(
  db: Kysely<Database>,
  job: DigestJob,
  digestById: (id: string) => DigestConfig | undefined,
  now: Date,
): Promise<{ digest: DigestConfig; period: Period }> {
  let fire = fireTimeOf(job);
  if (job.data.fireTime === undefined && job.data.period !== undefined) {
    const row = await getDigestRow(db, String(job.data.digestId), String(job.data.period));
    if (!row) throw new PermanentError('unknown_period', `digest: ${job.data.digestId}: no stored period ${JSON.stringify(job.data.period)}; job refused`);
    fire = row.period_end;
  }
  return assertRunnable(job.data.digestId, digestById(job.data.digestId), fire, now);
}

function topicsOf(deps: Pick<RunDigestDeps, 'digest' | 'topics'>) {
  const wanted = deps.digest.topics ?? deps.topics.map((t) => t.id);
  const titles = new Map(deps.topics.map((t) => [t.id, t.title]));
  return { wanted, topics: wanted.map((id) => ({ id, title: titles.get(id) ?? id })) };
}

async function assemble(
  deps: Pick<RunDigestDeps, 'db' | 'digest' | 'topics'>,
  p: Period,
  entries: DigestEntry[],
  extra: Partial<Pick<Digest, 'coveredFrom' | 'coveredTo' | 'undelivered'>> = {},
): Promise<Digest> {
  const feeds = (await listFeeds(deps.db)).map(toHealth);
  // The second opinion's rule-missed articles, over the same span of stored time the digest covers.
  const possible = await possibleForPeriod(deps.db, { topicIds: topicsOf(deps).wanted, from: extra.coveredFrom ?? p.start, to: extra.coveredTo ?? p.end });
  const digest = await buildDigestSliced({
    digestId: deps.digest.id, title: deps.digest.title, period: p.period, start: p.start, end: p.end,
    tz: deps.digest.schedule.tz, topics: topicsOf(deps).topics, entries, feedsInTrouble: feeds, possible, maxItems: deps.digest.max_items,
  });
  // Stories that already went out as alerts say so (issue 16).
  return noteAlerted(deps.db, { ...digest, ...extra });
}

/**
 * Build (or load) the digest of a period. `store: true` claims the period and its cut in one transaction
 * (store/cuts.ts): every match of the digest's topics not carried by an earlier period and stored at or before
 * `now` — then builds from exactly those, so a crash between claim and build is finished by the next run with the
 * same content. `store: false` (the CLI's on-the-fly view of a past date) reads the period's stored-time window
 * and assigns nothing.
 */
export async function loadOrBuildDigest(
  deps: Pick<RunDigestDeps, 'db' | 'digest' | 'topics'>,
  p: Period,
  opts: { store: boolean; now: Date },
): Promise<{ digest: Digest; built: boolean; stored: boolean }> {
  const id = deps.digest.id;
  const existing = await getDigestRow(deps.db, id, p.period);
  if (existing?.content) return { digest: JSON.parse(existing.content) as Digest, built: false, stored: true };
  const { wanted } = topicsOf(deps);
  if (!opts.store) {
    const entries = await entriesForPeriod(deps.db, { topicIds: wanted, from: p.start, to: p.end, minScore: deps.digest.min_score });
    return { digest: await assemble(deps, p, entries), built: true, stored: false };
  }
  // Two statements, each atomic, no interactive transaction (better-sqlite3 blocks the event loop while it waits
  // for a lock another handle in this process holds). The insert claims the period and fixes its cut (built_at);
  // the assignment is idempotent, so whoever finds the claim still empty — a racer, or the run after a crash —
  // repeats it with the same cut and gets the same matches.
  if (!existing) {
    await putDigest(deps.db, { digest_id: id, period: p.period, period_start: p.start, period_end: p.end, built_at: opts.now.toISOString(), content: '' });
  }
  const claimed = (await getDigestRow(deps.db, id, p.period))!;
  if (claimed.content) return { digest: JSON.parse(claimed.content) as Digest, built: false, stored: true };
  const from = (await digestFloor(deps.db, id)) ?? p.start;
  await assignMatches(deps.db, { digestId: id, period: p.period, topicIds: wanted, minScore: deps.digest.min_score, from, to: claimed.built_at, now: claimed.built_at });
  const entries = await entriesOfPeriod(deps.db, id, p.period);
  const coveredFrom = (await previousCut(deps.db, id, p.period)) ?? claimed.period_start;
  // Stories across days (issue 17): link each shown story to the story it continues, for "developing since".
  const digest = await linkDigestStories(deps.db, await assemble(deps, p, entries, { coveredFrom, coveredTo: claimed.built_at }), entries, claimed.built_at);
  if (await fillDigest(deps.db, id, p.period, JSON.stringify(digest))) return { digest, built: true, stored: true };
  // Another worker filled it first: deliver exactly what it stored.
  const again = await getDigest(deps.db, id, p.period);
  return { digest: JSON.parse(again!.content) as Digest, built: false, stored: true };
}

/**
 * What the next digest would carry so far: matches of the digest's topics no period has carried, stored since
 * the previous cut (or, before the first digest, since the open period's start). Never stored or delivered.
 */
export async function undeliveredDigest(deps: Pick<RunDigestDeps, 'db' | 'digest' | 'topics'>, open: Period, now: Date): Promise<Digest> {
  const { wanted } = topicsOf(deps);
  const from = (await digestFloor(deps.db, deps.digest.id)) ?? open.start;
  const entries = await undeliveredEntries(deps.db, { digestId: deps.digest.id, topicIds: wanted, minScore: deps.digest.min_score, from, to: now.toISOString() });
  const coveredFrom = (await previousCut(deps.db, deps.digest.id)) ?? from;
  return assemble(deps, open, entries, { coveredFrom, coveredTo: now.toISOString(), undelivered: true });
}

/**
 * Build (or re-read) the period the fire time closes and deliver it through every channel. Throws TransientError
 * when a channel is left pending (unless `throwOnPending: false`), so the queue retries the job; the outbox keeps
 * a retry from sending anything twice.
 */
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
