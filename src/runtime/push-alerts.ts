// Process assembly for alerts and WebSub (issue 16), kept apart from service.ts: what the poll worker, the digest
// worker, the article worker's onStored and the outbox sweeper get so that alert jobs (digest queue) and WebSub jobs
// (poll queue) run, and alert deliveries are swept like digest ones.
import type { Kysely } from 'kysely';
import type { Logger } from '../log.js';
import type { Config } from '../config/load.js';
import type { Database } from '../store/schema.js';
import type { Fetcher } from '../fetch/client.js';
import type { FeedSource } from '../model.js';
import type { PollResult } from '../pipeline/poll.js';
import { enqueueAlertEval, enqueueAlertSend, enqueueWebsubSubscribe, type Queues } from '../queue/queues.js';
import { jobIds } from '../queue/names.js';
import { ALERT_JOBS, alertProcessor } from '../../workers/alert.js';
import { WEBSUB_JOBS, websubProcessor } from '../../workers/websub.js';
import { WEBSUB_DEFAULTS, websubCallback } from '../websub/config.js';
import { subscriptionDue } from '../websub/lease.js';
import { getSubscription } from '../store/websub.js';
import { alertIdOfOutbox } from '../alerts/config.js';
import { parseMessageId } from '../alerts/message.js';
import { assertUniqueNames } from '../deliver/channel.js';

interface Parts {
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
    others: { names: WEBSUB_JOBS, run: websubProcessor({
      log: p.log, db: p.db, fetcher: p.fetcher, queues: p.queues, callbackUrl, leaseS: p.cfg.websub.lease_s, maxItems: p.cfg.poll.max_items, feedById: p.feedById,
    }) },
  };
}

/** The digest worker's alert extras: the alert jobs share its queue. */
export function digestExtras(p: Parts) {
  return {
    others: { names: ALERT_JOBS, run: alertProcessor({
      log: p.log, db: p.db, alerts: () => p.current().alerts, topics: () => p.current().topics.topics.map((t) => ({ id: t.id, title: t.title })),
      schedule: (s) => enqueueAlertSend(p.queues, s), baseUrl: p.cfg.http.base_url,
    }) },
  };
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
