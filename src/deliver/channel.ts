// What every delivery channel is: a name in the outbox, whether a repeat is harmless, and send(digest, key) →
// receipt. Channels report failure by kind: TransientError (not accepted, retry with the same key),
// PermanentError (rejected, do not retry), DeliveryUnknownError (may have been accepted).
import { createHash } from 'node:crypto';
import type { ChannelConfig } from '../digest/config.js';
import type { Digest } from '../digest/types.js';

export type Receipt = Record<string, unknown>;

export interface Channel {
  /** Outbox channel name: "files", "email:1a2b3c4d", "webhook:5e6f7a8b", or the configured `name`. */
  name: string;
  type: ChannelConfig['type'];
  /**
   * True when sending twice cannot deliver twice: files overwrite themselves, webhook receivers deduplicate on
   * webhook-id. False for plain SMTP: a message whose fate is unknown is never resent automatically (M1).
   */
  repeatable: boolean;
  /** Deliver the digest. `key` is stable across retries (Message-ID / webhook-id). */
  send(digest: Digest, key: string): Promise<Receipt>;
}

/** The server may have accepted the delivery (connection lost after the data was sent). */
export class DeliveryUnknownError extends Error {
  override name = 'DeliveryUnknownError';
  readonly code = 'outcome_unknown';
}

function hash(s: string, n: number): string {
  return createHash('sha256').update(s).digest('hex').slice(0, n);
}

/** The channel's outbox name: stable while its target is unchanged, without spelling secrets (webhook URLs). */
export function channelName(c: ChannelConfig): string {
  if (c.name) return c.name;
  switch (c.type) {
    case 'files':
      return 'files';
    case 'email':
      return `email:${hash([c.smtp.host, ...[c.to].flat().sort()].join('\n'), 8)}`;
    case 'webhook':
      return `webhook:${hash(c.url, 8)}`;
  }
}

/** The idempotency key of one delivery: deterministic, so racing workers and retries agree on it. */
export function idempotencyKey(digestId: string, period: string, channel: string): string {
  return hash(`${digestId}\n${period}\n${channel}`, 32);
}

/** Unique channel names within one digest (two channels with one target are a configuration mistake). */
export function assertUniqueNames(channels: ChannelConfig[]): string[] {
  const names = channels.map(channelName);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new Error(`deliver: two channels share the name "${dup}"; give one a distinct \`name\``);
  return names;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Exponential backoff with full jitter: attempt 1 → up to base, 2 → up to 2·base, … capped. */
export function backoffMs(attempt: number, baseMs: number, capMs = 30_000, random = Math.random): number {
  return Math.round(Math.min(capMs, baseMs * 2 ** (attempt - 1)) * (0.5 + random() / 2));
}
