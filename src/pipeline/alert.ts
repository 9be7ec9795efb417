// The alert queue's two jobs (workers/alert.ts only calls these). evaluateItem: after an article is stored, each
// rule of its topics looks at the article's story (clustered exactly as the digest clusters it) and, when the trigger
// holds and the story has not fired that rule yet, records it once and schedules its message for when it may leave
// (coalescing window, quiet hours). sendAlert: when due, claim the fired stories of that rule and topic into one
// message (built once, like a digest period) and deliver it through the same outbox as digests.
import type { Kysely } from 'kysely';
import type { Logger } from '../log.js';
import type { Database } from '../store/schema.js';
import type { SendAlertPayload } from '../queue/names.js';
import { PermanentError, TransientError } from '../errors.js';
import { entriesForPeriod, matchesFor } from '../store/articles.js';
import {
  addAlertItems, alertedStory, claimAlertMessage, claimFired, dropEmptyAlertMessage, fillAlertMessage, firedOfMessage, getAlertMessage, getFired,
  lastMessageAt, openFired, recordFired,
} from '../store/alerts.js';
import { buildDigest } from '../digest/build.js';
import type { Digest, DigestArticle, DigestStory } from '../digest/types.js';
import { channelsFor, type Transports } from '../deliver/channels.js';
import { deliverOne, type DeliveryResult } from '../deliver/deliver.js';
import { ALERT_DEFAULTS, type AlertConfig } from '../alerts/config.js';
import { decideAlert, type AlertReason } from '../alerts/decide.js';
import { quietEnd, sendAt } from '../alerts/window.js';
import { buildAlertMessage, messageId } from '../alerts/message.js';

export interface AlertDeps {
  db: Kysely<Database>;
  log: Logger;
  alerts: AlertConfig[];
  topics: { id: string; title: string }[];
  /** Enqueue a send job (queue/queues.ts enqueueAlertSend); tests may run sendAlert themselves. */
  schedule: (p: SendAlertPayload) => Promise<void>;
  now?: () => Date;
  transports?: Transports;
  baseUrl?: string;
  /** Unused by alerts (no files channel), required by channelsFor. */
  outputDir?: string;
}

/** A delayed job may start a moment before its time; a window this close to its end counts as over. */
const EARLY_MS = 2_000;

const rulesFor = (alerts: AlertConfig[], topicId: string) => alerts.filter((a) => !a.topics || a.topics.includes(topicId));

/** The story of `itemId` among the topic's recent matches, clustered as the digest does, with its articles. */
async function storyOf(db: Kysely<Database>, topicId: string, itemId: string, now: Date, lookbackH: number): Promise<{ story: DigestStory; articles: DigestArticle[] } | undefined> {
  const from = new Date(now.getTime() - lookbackH * 3_600_000).toISOString();
  const to = new Date(now.getTime() + 86_400_000).toISOString();
  const entries = await entriesForPeriod(db, { topicIds: [topicId], from, to });
  const d = buildDigest({
    digestId: 'alert', title: '', period: '', start: from, end: to, tz: 'UTC', topics: [{ id: topicId, title: topicId }],
    entries, feedsInTrouble: [], maxItems: 100_000,
  });
  const t = d.topics[0];
  const story = t.stories.find((s) => s.itemId === itemId || s.others.some((o) => o.itemId === itemId));
  return story && { story, articles: t.articles.filter((a) => a.storyId === story.id) };
}

export interface Fired { alertId: string; topicId: string; storyKey: string; dueAt: string; reason: AlertReason }

/** Evaluate every alert rule for a stored item. Idempotent: a repeat records nothing new and reschedules the same jobs. */
export async function evaluateItem(deps: AlertDeps, itemId: string): Promise<Fired[]> {
  const now = deps.now?.() ?? new Date();
  const out: Fired[] = [];
  for (const m of await matchesFor(deps.db, itemId)) {
    for (const rule of rulesFor(deps.alerts, m.topicId)) {
      const lookbackH = Math.max(ALERT_DEFAULTS.lookbackH, rule.trigger.breaking?.within_h ?? 0);
      const found = await storyOf(deps.db, m.topicId, itemId, now, lookbackH);
      if (!found) continue;
      const members = found.articles.map((a) => a.itemId);
      const before = await alertedStory(deps.db, rule.id, members);
      if (before) {
        // Already alerted: the new article joins it (the digest's note), and a message not yet sent is (re)scheduled.
        await addAlertItems(deps.db, rule.id, before.storyKey, members, before.firedAt);
        const row = await getFired(deps.db, rule.id, before.storyKey);
        if (row && !row.message) await deps.schedule({ alertId: rule.id, topicId: row.topic_id, dueAt: row.due_at });
        continue;
      }
      const reason = decideAlert(rule.trigger, found.story, found.articles, now);
      if (!reason) continue;
      const storyKey = [...members].sort()[0];
      const last = await lastMessageAt(deps.db, rule.id, m.topicId);
      const due = sendAt(now, { lastSentAt: last ? new Date(last) : undefined, coalesceMs: rule.coalesce_minutes * 60_000, quiet: rule.quiet_hours });
      // Recorded before its items: a crash in between leaves a fired story the retry finds and schedules.
      await recordFired(deps.db, {
        alert_id: rule.id, story_key: storyKey, topic_id: m.topicId, item_id: itemId, reason: JSON.stringify(reason),
        story: JSON.stringify(found.story), fired_at: now.toISOString(), due_at: due.toISOString(),
      });
      const row = (await getFired(deps.db, rule.id, storyKey))!;
      await addAlertItems(deps.db, rule.id, storyKey, members, row.fired_at);
      if (!row.message) await deps.schedule({ alertId: rule.id, topicId: m.topicId, dueAt: row.due_at });
      out.push({ alertId: rule.id, topicId: m.topicId, storyKey, dueAt: row.due_at, reason });
    }
  }
  return out;
}

export type SendResult =
  | { state: 'deferred'; until: string; why: 'quiet_hours' | 'coalescing' }
  | { state: 'nothing' }
  | { state: 'delivered'; message: string; stories: number; deliveries: { channel: string; state: string }[] };

/** Build (once) and deliver the message of a rule and topic due at `p.dueAt`. */
export async function sendAlert(deps: AlertDeps, p: SendAlertPayload): Promise<SendResult> {
  const rule = deps.alerts.find((a) => a.id === p.alertId);
  if (!rule) throw new PermanentError('unknown_alert', `alert: no alert "${p.alertId}" is configured; job refused`);
  const due = new Date(p.dueAt);
  if (Number.isNaN(due.getTime())) throw new PermanentError('bad_due_time', `alert: ${rule.id}: due time ${JSON.stringify(p.dueAt)} is not a date; job refused`);
  const now = deps.now?.() ?? new Date();
  const message = messageId(p.topicId, due);
  let row = await getAlertMessage(deps.db, rule.id, message);
  if (!row) {
    const quiet = quietEnd(now, rule.quiet_hours);
    if (quiet.getTime() > now.getTime()) return defer(deps, p, quiet, 'quiet_hours');
    const last = await lastMessageAt(deps.db, rule.id, p.topicId, message);
    const open = last ? Date.parse(last) + rule.coalesce_minutes * 60_000 : 0;
    if (open - EARLY_MS > now.getTime()) return defer(deps, p, new Date(open), 'coalescing');
    if (!(await openFired(deps.db, rule.id, p.topicId, now.toISOString())).length) return { state: 'nothing' };
    row = await claimAlertMessage(deps.db, { alert_id: rule.id, message, topic_id: p.topicId, built_at: now.toISOString() });
  }
  const digest = row.content ? (JSON.parse(row.content) as Digest) : await build(deps, rule, p.topicId, message, row.built_at);
  if (!digest) return { state: 'nothing' };
  const log = deps.log.child({ alert_id: rule.id, topic_id: p.topicId, message });
  const results: DeliveryResult[] = [];
  for (const ch of channelsFor({ digest: { channels: rule.channels } as never, outputDir: deps.outputDir ?? '', transports: deps.transports, baseUrl: deps.baseUrl, now: deps.now })) {
    results.push(await deliverOne({ db: deps.db, log, now: deps.now ?? (() => new Date()) }, digest, ch));
  }
  await scheduleLeftovers(deps, rule, p, row.built_at);
  const pending = results.filter((r) => r.state === 'pending');
  if (pending.length) throw new TransientError('delivery_pending', `alert: ${rule.id} ${message}: delivery pending on ${pending.map((r) => r.channel).join(', ')}`);
  return { state: 'delivered', message, stories: digest.counts.stories, deliveries: results.map((r) => ({ channel: r.channel, state: r.state })) };
}

/** Stories fired meanwhile that this message did not carry go out with the next window's message. */
async function scheduleLeftovers(deps: AlertDeps, rule: AlertConfig, p: SendAlertPayload, builtAt: string): Promise<void> {
  const left = await openFired(deps.db, rule.id, p.topicId, '9999-12-31T00:00:00.000Z');
  if (!left.length) return;
  const next = sendAt(new Date(builtAt), { lastSentAt: new Date(builtAt), coalesceMs: rule.coalesce_minutes * 60_000, quiet: rule.quiet_hours });
  const due = new Date(Math.max(next.getTime(), ...left.map((f) => Date.parse(f.due_at))));
  await deps.schedule({ ...p, dueAt: due.toISOString() });
}

async function defer(deps: AlertDeps, p: SendAlertPayload, until: Date, why: 'quiet_hours' | 'coalescing'): Promise<SendResult> {
  await deps.schedule({ ...p, dueAt: until.toISOString() });
  return { state: 'deferred', until: until.toISOString(), why };
}

/** Claim the due fired stories into the message and store it; a repeat after a crash claims and builds the same. */
async function build(deps: AlertDeps, rule: AlertConfig, topicId: string, message: string, builtAt: string): Promise<Digest | undefined> {
  await claimFired(deps.db, rule.id, topicId, message, builtAt);
  const fired = await firedOfMessage(deps.db, rule.id, message);
  if (!fired.length) {
    await dropEmptyAlertMessage(deps.db, rule.id, message);
    return undefined;
  }
  const topic = deps.topics.find((t) => t.id === topicId) ?? { id: topicId, title: topicId };
  const digest = buildAlertMessage(rule, topic, message, builtAt, fired.map((f) => ({
    story: JSON.parse(f.story) as DigestStory, reason: JSON.parse(f.reason) as AlertReason, firedAt: f.fired_at,
  })), deps.baseUrl);
  if (await fillAlertMessage(deps.db, rule.id, message, JSON.stringify(digest))) return digest;
  return JSON.parse((await getAlertMessage(deps.db, rule.id, message))!.content) as Digest;
}
