// The one table of queues, job names, payloads, job ids and default job options. No other file spells a queue name.
import type { JobsOptions } from 'bullmq';

export const QUEUES = {
  /** Fetch one feed, record its new items, enqueue them; WebSub subscriptions and pushed feed bodies. */
  poll: 'poll',
  /** Fetch, extract, classify and store one item. */
  article: 'article',
  /** Build and deliver one digest for one period; alerts (evaluate a stored article, send a due message). */
  digest: 'digest',
  /** Housekeeping: the reconciler, the outbox sweeper, retention. */
  maintenance: 'maintenance',
} as const;
export type QueueKey = keyof typeof QUEUES;
export const ALL_QUEUES = Object.keys(QUEUES) as QueueKey[];

export const JOBS = {
  pollFeed: 'poll-feed',
  /** The job's name stays 'process-item': jobs already waiting in Redis carry it. */
  processArticle: 'process-item',
  buildDigest: 'build-digest',
  reconcile: 'reconcile',
  /** Outbox rows stuck in `sending` past the lease → unknown (or pending); `pending` rows re-driven. */
  sweepOutbox: 'sweep-outbox',
  /** Retention: prune article text and items older than store.retention_days, in batches. */
  prune: 'prune',
  /** Alerts (issue 16), on the digest queue: check a stored article against the alert rules; send a due message. */
  evaluateAlerts: 'evaluate-alerts',
  sendAlert: 'send-alert',
  /** WebSub (issue 16), on the poll queue: ask a hub for pushes (or renew); record a pushed feed body. */
  websubSubscribe: 'websub-subscribe',
  websubPush: 'websub-push',
} as const;

export interface PollPayload { feedId: string; /** Ignore next_poll_at (run --once, feeds add). */ force?: boolean }
export interface ArticlePayload { itemId: string; feedId: string; /** ISO time the item was discovered (latency metrics). */ discoveredAt?: string }
export interface DigestPayload {
  digestId: string;
  /** ISO fire time for manual runs and catch-up; scheduled runs use the job's own slot. Checked, never trusted. */
  fireTime?: string;
  /** Re-deliver this already-stored period (the outbox sweeper); its fire time is the period's end. */
  period?: string;
}
export type MaintenancePayload = Record<string, never>;
export interface EvaluateAlertsPayload { itemId: string }
export interface WebsubSubscribePayload { feedId: string; hub: string; topic: string; /** A renewal: ask even if not yet due. */ force?: boolean }
export interface WebsubPushPayload { feedId: string; /** The pushed body, base64 (bytes as received; bounded by fetch.max_bytes). */ body: string; contentType?: string; receivedAt: string }
export interface SendAlertPayload { alertId: string; topicId: string; /** ISO time the message may leave. */ dueAt: string }

/** Job ids: deterministic, no ':' (BullMQ reserves it). */
export const jobIds = {
  /** One job per item version: the same item from two feeds or ten polls is one job; an edit is a new one. */
  article: (itemId: string, contentHash: string) => `item-${itemId}-${contentHash.slice(0, 12)}`,
  pollOnce: (feedId: string, at: number) => `poll-${feedId}-${at}`,
  /** The poll a feed's plan asks for at `at` (ms), so a learned interval is kept to the second, not to the next tick. */
  pollAt: (feedId: string, at: number) => `pollat-${feedId}-${at}`,
  digest: (digestId: string, period: string) => `digest-${digestId}-${period}`,
  /** A pending delivery re-driven by the sweeper: at most one job per row per hour. */
  redrive: (digestId: string, period: string, hour: number) => `redrive-${digestId}-${period}-${hour}`,
  /** Job-scheduler ids. */
  feedScheduler: (feedId: string) => `feed-${feedId}`,
  digestScheduler: (digestId: string) => `digest-${digestId}`,
  reconcileScheduler: 'reconcile',
  sweepScheduler: 'sweep-outbox',
  pruneScheduler: 'prune',
  /** At most one subscription request per feed per hour from polls; one renewal per lease. */
  websubSubscribe: (feedId: string, hour: number) => `websub-sub-${feedId}-${hour}`,
  websubRenew: (feedId: string, expiresMs: number) => `websub-renew-${feedId}-${expiresMs}`,
  /** The same body pushed twice (hub retries) is one job. */
  websubPush: (feedId: string, bodyHash: string) => `websub-push-${feedId}-${bodyHash.slice(0, 16)}`,
  /** One evaluation per stored item. */
  alertEval: (itemId: string) => `alert-eval-${itemId.replace(/:/g, '_')}`,
  /** One send job per rule, topic and due time: triggers within one window share it. */
  alertSend: (alertId: string, topicId: string, dueMs: number) => `alert-send-${alertId}-${topicId.replace(/:/g, '_')}-${dueMs}`,
};

/** Items of one feed, per enqueue, that go to the FIFO queue before the rest is ranked by priority (C3). */
export const ARTICLE_FIFO_PER_FEED = 2;
/** BullMQ's largest priority. */
export const MAX_PRIORITY = 2_097_151;

const keep = { removeOnComplete: { age: 24 * 3600, count: 5000 }, removeOnFail: { age: 7 * 24 * 3600 } };

/** Transient failures retry with exponential backoff and jitter; permanent ones are UnrecoverableError. */
export const DEFAULT_JOB_OPTIONS: Record<QueueKey, JobsOptions> = {
  // Polls are rescheduled by their job scheduler anyway: retry a little, then let the next tick try.
  poll: { attempts: 2, backoff: { type: 'exponential', delay: 30_000, jitter: 0.5 }, ...keep },
  article: { attempts: 6, backoff: { type: 'exponential', delay: 10_000, jitter: 0.5 }, ...keep },
  digest: { attempts: 8, backoff: { type: 'exponential', delay: 30_000, jitter: 0.3 }, ...keep },
  maintenance: { attempts: 1, ...keep },
};

/** Job options of the jobs that share a queue with others (alerts on digest, WebSub on poll). */
export const JOB_OPTIONS: Partial<Record<keyof typeof JOBS, JobsOptions>> = {
  evaluateAlerts: { attempts: 8, backoff: { type: 'exponential', delay: 5_000, jitter: 0.3 }, ...keep },
  sendAlert: { attempts: 8, backoff: { type: 'exponential', delay: 5_000, jitter: 0.3 }, ...keep },
  websubSubscribe: { attempts: 3, backoff: { type: 'exponential', delay: 5_000, jitter: 0.3 }, ...keep },
  websubPush: { attempts: 3, backoff: { type: 'exponential', delay: 5_000, jitter: 0.3 }, ...keep },
};
