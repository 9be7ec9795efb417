// Process assembly for alerts and WebSub, kept apart from roles.ts: what the poll worker, the digest worker, the
// article worker's onStored, the outbox sweeper and the web server get so that alert jobs (digest queue) and WebSub
// jobs (poll queue) run, hubs can call back, and alert deliveries are swept like digest ones.
import type { Kysely } from 'kysely';
import type { Logger } from '../log.js';
import type { Config } from '../config/load.js';
import { topicTitles } from './live-config.js';
import type { Database } from '../store/schema.js';
import type { Fetcher } from '../fetch/client.js';
import type { FeedSource } from '../model.js';
import type { PollResult } from '../pipeline/poll.js';
import { enqueueAlertEval, enqueueAlertSend, enqueueWebsubPush, enqueueWebsubSubscribe, type Queues } from '../queue/queues.js';
import { jobIds } from '../queue/names.js';
import { WEBSUB_DEFAULTS, websubCallback } from '../websub/config.js';
import { renewBeforeMs, subscriptionDue } from '../websub/lease.js';
import { registerWebsubRoutes } from '../http/routes/websub.js';
import type { RouteModule } from '../http/app.js';
import { getSubscription } from '../store/websub.js';
import { alertIdOfOutbox } from '../alerts/config.js';
import { parseMessageId } from '../alerts/message.js';
import { assertUniqueNames } from '../deliver/channel.js';

export interface Parts {
  cfg: Config;
  current: () => Config;
  db: Kysely<Database>;
  queues: Queues;
  log: Logger;
  once?: boolean;
}

/** The poll worker's WebSub extras: safety-net polling, subscribing after polls, the WebSub jobs. None without WebSub. */
export function pollExtras(p: Parts & { fetcher: Fetcher; feedById: (id: string) => FeedSource | undefined }) {
  const callbackUrl = p.once ? undefined : websubCallback(p.cfg);
  if (!callbackUrl) return {};
  return {
    safetyNet: { factor: p.cfg.websub.safety_poll_factor, minS: WEBSUB_DEFAULTS.safetyPollMinS },
    onPolled: (feed: FeedSource, res: PollResult) => void offerHub(p.db, p.queues, feed, res).catch((err) => p.log.warn({ err, feed_id: feed.id }, 'websub: cannot enqueue subscription')),
    /** What the WebSub jobs on the poll queue need (runtime/roles.ts hands it to their processor in workers/). */
    websub: {
      log: p.log, db: p.db, fetcher: p.fetcher, queues: p.queues, callbackUrl, leaseS: p.cfg.websub.lease_s, maxItems: p.cfg.poll.max_items, feedById: p.feedById,
    },
  };
}

/** What the alert jobs need; they share the digest queue (runtime/roles.ts hands this to their processor in workers/). */
export function alertDeps(p: Parts) {
  return {
    log: p.log, db: p.db, alerts: () => p.current().alerts, topics: () => topicTitles(p.current()),
    schedule: (s: Parameters<typeof enqueueAlertSend>[1]) => enqueueAlertSend(p.queues, s), baseUrl: p.cfg.http.base_url,
  };
}

/** The WebSub callback route, where hubs are asked to call it (http.base_url public and WebSub on); else none. */
export function websubRoutes(cfg: Config, db: Kysely<Database>, queues: Queues, log?: Logger): RouteModule[] {
  if (!websubCallback(cfg)) return [];
  return [(app) => registerWebsubRoutes(app, {
    db, log, maxBytes: cfg.fetch.max_bytes, maxPushesPerMinute: cfg.websub.max_pushes_per_minute,
    onPush: (feedId, body, contentType, hash) => enqueueWebsubPush(queues, { feedId, body: body.toString('base64'), contentType, receivedAt: new Date().toISOString() }, jobIds.websubPush(feedId, hash)),
    onVerified: async (feedId, leaseS) => {
      const row = await getSubscription(db, feedId);
      if (!row?.expires_at) return;
      const expires = Date.parse(row.expires_at);
      await enqueueWebsubSubscribe(queues, { feedId, hub: row.hub, topic: row.topic, force: true }, jobIds.websubRenew(feedId, expires), new Date(expires - renewBeforeMs(leaseS)));
    },
  })];
}

/** After an article is stored: evaluate the alert rules (only matched articles can fire; not in run --once). */
export function alertOnStored(p: Parts): (r: { itemId: string; topics: string[] }) => void {
  return (r) => {
    if (p.once || !p.current().alerts.length || !r.topics.length) return;
    enqueueAlertEval(p.queues, { itemId: r.itemId }).catch((err) => p.log.warn({ err, item_id: r.itemId }, 'alert: cannot enqueue evaluation'));
  };
}

/**
 * The sweeper's view of an alert delivery (digest id "alert:<rule>"): whether its channel may repeat a send
 * (webhook yes, email never; undefined when the rule or channel is gone), and how to re-drive it. Undefined for a
 * digest's row.
 */
export function alertSweep(p: Pick<Parts, 'current' | 'queues'>, digestId: string) {
  const alertId = alertIdOfOutbox(digestId);
  if (alertId === undefined) return undefined;
  return {
    repeatable(channel: string): boolean | undefined {
      const rule = p.current().alerts.find((a) => a.id === alertId);
      const i = rule ? assertUniqueNames(rule.channels).indexOf(channel) : -1;
      return i < 0 ? undefined : rule!.channels[i].type !== 'email';
    },
    async redrive(message: string): Promise<void> {
      const m = parseMessageId(message);
      if (m) await enqueueAlertSend(p.queues, { alertId, ...m });
    },
  };
}

/** After a poll of a feed that advertises a hub: enqueue a subscription request when one is due (websub/lease). */
async function offerHub(db: Kysely<Database>, queues: Queues, feed: FeedSource, res: PollResult): Promise<void> {
  if (res.status !== 'ok' || !res.links?.hub) return;
  const topic = res.links.self ?? feed.url;
  if (!subscriptionDue(await getSubscription(db, feed.id), res.links.hub, topic, new Date())) return;
  await enqueueWebsubSubscribe(queues, { feedId: feed.id, hub: res.links.hub, topic }, jobIds.websubSubscribe(feed.id, Math.floor(Date.now() / 3_600_000)));
}
