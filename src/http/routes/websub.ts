// The WebSub callback (issue 16): GET answers the hub's verification of intent, POST takes a delivery. A hub is a
// server elsewhere, so this one path is exempt from auth and the cross-site check (http/guard.ts signedPaths): each
// delivery is authenticated by its X-Hub-Signature instead, checked here before anything is recorded. Bodies are
// bounded like a fetched feed (fetch.max_bytes) and pushes per feed per minute are capped (429 beyond: the hub
// retries, and polling catches up anyway).
import { createHash } from 'node:crypto';
import type { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { Logger } from '../../log.js';
import type { Database } from '../../store/schema.js';
import { checkPush, verifyIntent } from '../../pipeline/websub.js';
import { WEBSUB_CALLBACK_PATH } from '../../websub/config.js';

export interface WebsubRouteDeps {
  db: Kysely<Database>;
  log?: Logger;
  maxBytes: number;
  maxPushesPerMinute: number;
  /** A verified push: enqueue it (jobId from the body hash, so a hub's retry is one job). */
  onPush: (feedId: string, body: Buffer, contentType: string | undefined, bodyHash: string) => Promise<void>;
  /** A subscription became active: schedule its renewal. */
  onVerified?: (feedId: string, leaseS: number) => Promise<void>;
  now?: () => Date;
}

/** Pushes per feed in the last minute: a sliding window per process. */
function limiter(max: number, now: () => number) {
  const seen = new Map<string, number[]>();
  return (feedId: string): boolean => {
    const t = now();
    const recent = (seen.get(feedId) ?? []).filter((x) => t - x < 60_000);
    if (recent.length >= max) {
      seen.set(feedId, recent);
      return false;
    }
    recent.push(t);
    seen.set(feedId, recent);
    return true;
  };
}

/** The request body, refused past `max` bytes (announced or read). */
async function readBounded(req: Request, max: number): Promise<Buffer | undefined> {
  if (Number(req.headers.get('content-length') ?? 0) > max) return undefined;
  if (!req.body) return Buffer.alloc(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    n += value.byteLength;
    if (n > max) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

export function registerWebsubRoutes(app: Hono, d: WebsubRouteDeps): void {
  const now = d.now ?? (() => new Date());
  const allow = limiter(d.maxPushesPerMinute, () => now().getTime());
  app.get(WEBSUB_CALLBACK_PATH, async (c) => {
    const feedId = c.req.query('feed') ?? '';
    const q = { mode: c.req.query('hub.mode'), topic: c.req.query('hub.topic'), challenge: c.req.query('hub.challenge'), lease_seconds: c.req.query('hub.lease_seconds'), reason: c.req.query('hub.reason') };
    const r = await verifyIntent(d.db, feedId, q, now());
    d.log?.info({ feed_id: feedId, mode: q.mode, status: r.status, lease_s: r.leaseS }, 'websub: verification of intent');
    if (r.leaseS !== undefined) await d.onVerified?.(feedId, r.leaseS);
    return c.text(r.body, r.status as 200);
  });
  app.post(WEBSUB_CALLBACK_PATH, async (c) => {
    const feedId = c.req.query('feed') ?? '';
    if (!allow(feedId)) return c.text('too many deliveries for this feed\n', 429, { 'retry-after': '60' });
    const body = await readBounded(c.req.raw, d.maxBytes);
    if (!body) return c.text('delivery too large\n', 413);
    const verdict = await checkPush(d.db, feedId, body, c.req.header('x-hub-signature'));
    if (verdict === 'unknown') return c.text('unknown subscription\n', 410);
    if (verdict === 'forged') {
      // W3C WebSub §8: acknowledge, ignore. Nothing of the body is recorded.
      d.log?.warn({ feed_id: feedId, bytes: body.length }, 'websub: delivery with a bad X-Hub-Signature ignored');
      return c.text('ok\n', 202);
    }
    const hash = createHash('sha256').update(body).digest('hex');
    await d.onPush(feedId, body, c.req.header('content-type'), hash);
    return c.text('ok\n', 202);
  });
}
