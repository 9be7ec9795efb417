// An alert message as a Digest of its fired stories, so every digest channel (email, webhook, Slack-compatible)
// renders and delivers it unchanged through the outbox. Each story says why it fired (its note) besides the
// classifier's evidence; its link goes to the article page of the web UI when a public base URL is configured.
// Pure.
import type { Digest, DigestStory } from '../digest/types.js';
import { localParts } from '../digest/time.js';
import { alertOutboxId, alertTz, type AlertConfig } from './config.js';
import { reasonText, type AlertReason } from './decide.js';

export interface FiredStory {
  story: DigestStory;
  reason: AlertReason;
  firedAt: string;
}

/** The message id (the outbox period of its deliveries): topic and the time it was due, "topic.20261207T174500.123Z". */
export function messageId(topicId: string, dueAt: Date): string {
  return `${topicId}.${dueAt.toISOString().replace(/[-:]/g, '')}`;
}

/** The topic and due time of a message id (the outbox sweeper re-drives a pending delivery with them). */
export function parseMessageId(message: string): { topicId: string; dueAt: string } | undefined {
  const m = /^(.*)\.(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2}\.\d{3})Z$/.exec(message);
  return m ? { topicId: m[1], dueAt: `${m[2]}-${m[3]}-${m[4]}T${m[5]}:${m[6]}:${m[7]}Z` } : undefined;
}

export function buildAlertMessage(
  rule: AlertConfig,
  topic: { id: string; title: string },
  message: string,
  builtAt: string,
  fired: FiredStory[],
  baseUrl?: string,
): Digest {
  const tz = alertTz(rule);
  const base = baseUrl?.replace(/\/+$/, '');
  const stories = fired.map(({ story, reason }) => ({
    ...story,
    url: base ? `${base}/articles/${encodeURIComponent(story.itemId)}` : story.url,
    note: `Alert — ${reasonText(reason)}; outlets so far: ${story.outlets.join(', ')}`,
  }));
  const lead = stories[0];
  const more = stories.length > 1 ? ` (+${stories.length - 1} more)` : '';
  const l = localParts(new Date(builtAt), tz);
  const start = fired.map((f) => f.firedAt).sort()[0] ?? builtAt;
  return {
    version: 1,
    digestId: alertOutboxId(rule.id),
    title: `${rule.title}: ${lead?.headline ?? topic.title}${more}`,
    date: `${l.year}-${String(l.month).padStart(2, '0')}-${String(l.day).padStart(2, '0')}`,
    period: message,
    start,
    end: builtAt,
    tz,
    topics: [{ id: topic.id, title: topic.title, stories, articles: [], omitted: 0 }],
    feedsInTrouble: [],
    counts: { stories: stories.length, articles: stories.reduce((n, s) => n + 1 + s.others.length, 0) },
  };
}
