// The webhook channel: POST the digest as JSON (or a Slack-compatible {text, blocks} body), signed the Standard
// Webhooks way: webhook-id (the idempotency key, the same on every retry, M2), webhook-timestamp and
// webhook-signature "v1,<base64 HMAC-SHA256 of id.timestamp.body>". Retries 408/429/5xx and network errors
// with backoff (honouring Retry-After); other statuses are permanent. Receivers deduplicate on webhook-id,
// so repeating a delivery whose outcome is unknown is harmless (repeatable). The answer's body is read only up to
// WEBHOOK_RESPONSE_MAX_BYTES (for the error message), within the same timeout as the request.
import { alertIdOfOutbox } from '../alerts/config.js';
import { createHmac } from 'node:crypto';
import type { WebhookChannelConfig } from '../digest/config.js';
import type { Digest } from '../digest/types.js';
import { PermanentError, TransientError } from '../errors.js';
import { backoffMs, sleep as realSleep, type Channel, type Receipt } from './channel.js';
import { slackBody } from './slack.js';

export interface WebhookOptions {
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
  backoffBaseMs?: number;
  /** Absolute base URL of the web UI, for links in Slack messages. */
  baseUrl?: string;
}

/** The HMAC key: Standard Webhooks secrets are "whsec_" + base64; anything else is used as UTF-8 bytes. */
function keyBytes(secret: string): Buffer {
  return secret.startsWith('whsec_') ? Buffer.from(secret.slice(6), 'base64') : Buffer.from(secret, 'utf8');
}

export function signWebhook(secret: string, id: string, timestampS: number, body: string): string {
  return `v1,${createHmac('sha256', keyBytes(secret)).update(`${id}.${timestampS}.${body}`).digest('base64')}`;
}

export function webhookId(key: string): string {
  return `msg_${key}`;
}

export function webhookBody(cfg: Pick<WebhookChannelConfig, 'format'>, d: Digest, baseUrl?: string): string {
  if (cfg.format === 'slack') return JSON.stringify(slackBody(d, baseUrl));
  // An alert message travels the digest outbox under digest id "alert:<rule>"; receivers tell the two apart by type.
  const type = alertIdOfOutbox(d.digestId) === undefined ? 'digest.published' : 'alert.published';
  return JSON.stringify({ type, digest_id: d.digestId, period: d.period, data: d });
}

function retryAfterMs(h: string | null): number | undefined {
  if (!h) return undefined;
  const s = Number(h);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const t = Date.parse(h);
  return Number.isNaN(t) ? undefined : Math.max(0, t - Date.now());
}

/** Bytes of a webhook answer read for the error message; the rest is never read (the stream is cancelled). */
export const WEBHOOK_RESPONSE_MAX_BYTES = 4096;

/** At most `max` bytes of a response body, as text: a receiver answering with an endless body costs nothing. */
async function readSnippet(res: Response, max = WEBHOOK_RESPONSE_MAX_BYTES): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let n = 0;
  try {
    while (n < max) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      n += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, max).toString('utf8');
}

export function webhookChannel(name: string, cfg: WebhookChannelConfig, opts: WebhookOptions = {}): Channel {
  const doFetch = opts.fetch ?? fetch;
  const sleep = opts.sleep ?? realSleep;
  const now = opts.now ?? (() => new Date());
  const host = new URL(cfg.url).host;
  return {
    name,
    type: 'webhook',
    repeatable: true,
    async send(d: Digest, key: string): Promise<Receipt> {
      const id = webhookId(key);
      const body = webhookBody(cfg, d, opts.baseUrl);
      let last: Error | undefined;
      for (let attempt = 1; attempt <= cfg.attempts; attempt++) {
        if (attempt > 1) {
          const hinted = last instanceof TransientError ? last.retryAfterMs : undefined;
          await sleep(Math.min(hinted ?? backoffMs(attempt - 1, opts.backoffBaseMs ?? 1_000), 60_000));
        }
        const ts = Math.floor(now().getTime() / 1000);
        const headers: Record<string, string> = {
          'content-type': 'application/json',
          'user-agent': 'wirewatch-webhook/1',
          'webhook-id': id,
          'webhook-timestamp': String(ts),
          'idempotency-key': id,
        };
        if (cfg.secret) headers['webhook-signature'] = signWebhook(cfg.secret, id, ts, body);
        try {
          const res = await doFetch(cfg.url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(cfg.timeout_ms) });
          const text = (await readSnippet(res).catch(() => '')).slice(0, 200);
          if (res.status >= 200 && res.status < 300) return { webhookId: id, status: res.status, attempts: attempt };
          const msg = `webhook: ${host} answered ${res.status}${text ? ` (${text.replace(/\s+/g, ' ')})` : ''}`;
          if (res.status === 408 || res.status === 429 || res.status >= 500) {
            last = new TransientError(`http_${res.status}`, msg, { retryAfterMs: retryAfterMs(res.headers.get('retry-after')) });
            continue;
          }
          throw new PermanentError(`http_${res.status}`, msg);
        } catch (err) {
          if (err instanceof PermanentError) throw err;
          last = new TransientError('network', `webhook: POST to ${host} failed: ${(err as Error).message}`, { cause: err });
        }
      }
      throw last ?? new TransientError('network', `webhook: POST to ${host} failed`);
    },
  };
}
