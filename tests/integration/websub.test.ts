// WebSub against a loopback hub (tests/support/websub-hub.ts): discovery of the hub in a polled feed, subscription
// with verification of intent through the guarded web app (auth on: the callback is exempt and signed instead),
// signed pushes recorded as items, forged and unsigned ones ignored, a flood bounded (per-minute cap, byte cap,
// max_items), and a hub that stops renewing hands the feed back to polling when the lease ends.
import pino from 'pino';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWebApp, startWebServer, type WebServer } from '../../src/http/app.js';
import { registerWebsubRoutes } from '../../src/http/routes/websub.js';
import { createFetcher, type Fetcher } from '../../src/fetch/client.js';
import { upsertFeeds } from '../../src/store/feeds.js';
import { getSubscription } from '../../src/store/websub.js';
import { recordPush, subscribe, verifyIntent } from '../../src/pipeline/websub.js';
import { pollFeed } from '../../src/pipeline/poll.js';
import { DEFAULT_POLL_POLICY } from '../../src/feeds/poll-policy.js';
import { pushActive, safetyNet } from '../../src/websub/lease.js';
import { signBody } from '../../src/websub/signature.js';
import { sqliteStore, type TestStore } from '../support/stores.js';
import { startLoopbackHub } from '../../bench/lib/websub-hub.js';

const log = pino({ level: 'silent' });
const FEED = { id: 'wire', url: '' };

function rss(hub: string, self: string, items: { id: string; title: string }[]): string {
  return `<?xml version="1.0"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>Wire</title><link>${self}</link><description>d</description>` +
    `<atom:link rel="hub" href="${hub}"/><atom:link rel="self" href="${self}"/>` +
    items.map((i) => `<item><title>${i.title}</title><link>https://wire.example/${i.id}</link><guid>${i.id}</guid><pubDate>${new Date().toUTCString()}</pubDate></item>`).join('') +
    '</channel></rss>';
}

async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('WebSub subscriber', () => {
  let store: TestStore;
  let hub: Awaited<ReturnType<typeof startLoopbackHub>>;
  let web: WebServer;
  let site: http.Server;
  let siteUrl: string;
  let fetcher: Fetcher;
  let pushed: { feedId: string; body: Buffer }[];
  let feedXml: () => string;

  beforeEach(async () => {
    store = await sqliteStore();
    hub = await startLoopbackHub();
    pushed = [];
    site = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feedXml()));
    await new Promise<void>((r) => site.listen(0, '127.0.0.1', () => r()));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/feed.xml`;
    FEED.url = siteUrl;
    feedXml = () => rss(hub.url, siteUrl, [{ id: 'a1', title: 'First' }]);
    await upsertFeeds(store.handle.db, [FEED], new Date().toISOString());
    // The web app as served: auth required everywhere; the callback is exempt and verified by signature.
    const app = createWebApp({ db: store.handle.db, digests: [], topics: [], auth: { token: 'x'.repeat(20) } }, [
      (a) => registerWebsubRoutes(a, {
        db: store.handle.db, log, maxBytes: 64 * 1024, maxPushesPerMinute: 5,
        onPush: async (feedId, body) => {
          pushed.push({ feedId, body });
          await recordPush({ db: store.handle.db, maxItems: 10 }, FEED, body, 'application/rss+xml');
        },
      }),
    ]);
    web = await startWebServer(app, { host: '127.0.0.1', port: 0 });
    fetcher = createFetcher({ allowPrivateNetworks: true, allowLoopbackAnyPort: true });
  });
  afterEach(async () => {
    await fetcher.close();
    await web.close();
    await hub.close();
    await new Promise<void>((r) => { site.closeAllConnections(); site.close(() => r()); });
    await store.cleanup();
  });

  const callbackUrl = (feedId: string) => `http://127.0.0.1:${web.port}/websub/callback?feed=${encodeURIComponent(feedId)}`;
  const subDeps = (leaseS = 3600) => ({ db: store.handle.db, fetcher, log, callbackUrl, leaseS });
  const count = async () => Number((await store.handle.db.selectFrom('items').select((eb) => eb.fn.countAll().as('n')).where('feed_id', '=', FEED.id).executeTakeFirst())?.n ?? 0);

  async function subscribed(leaseS = 3600) {
    const polled = await pollFeed({ db: store.handle.db, fetcher, policy: DEFAULT_POLL_POLICY, maxItems: 50 }, FEED, { force: true });
    expect(polled).toMatchObject({ status: 'ok', links: { hub: hub.url, self: siteUrl } });
    expect(await subscribe(subDeps(leaseS), FEED.id, hub.url, siteUrl)).toBe('requested');
    await until(async () => (await getSubscription(store.handle.db, FEED.id))?.state === 'active' && hub.verified(siteUrl).length === 1, 'verification of intent');
  }

  it('finds the hub in a polled feed, subscribes, verifies intent, and records a signed push at once', async () => {
    await subscribed();
    const row = (await getSubscription(store.handle.db, FEED.id))!;
    expect(row.lease_s).toBe(3600);
    // Not due again until the renewal margin.
    expect(await subscribe(subDeps(), FEED.id, hub.url, siteUrl)).toBe('not_due');
    expect(await hub.publish(siteUrl, rss(hub.url, siteUrl, [{ id: 'a2', title: 'Second' }]))).toEqual([202]);
    expect(await count()).toBe(2);
    // A stranger cannot confirm a subscription for us: a wrong topic or mode is 404, no challenge echoed.
    const bad = await fetch(`${callbackUrl(FEED.id)}&hub.mode=subscribe&hub.topic=${encodeURIComponent('https://evil.example/')}&hub.challenge=abc`);
    expect(bad.status).toBe(404);
    expect(await bad.text()).not.toContain('abc');
    // Nor stretch the lease later, when no request of ours is pending: the right topic, but 404 and the lease unchanged.
    const later = new Date(Date.now() + 11 * 60_000);
    expect(await verifyIntent(store.handle.db, FEED.id, { mode: 'subscribe', topic: siteUrl, challenge: 'abc', lease_seconds: '999999' }, later)).toMatchObject({ status: 404 });
    expect((await getSubscription(store.handle.db, FEED.id))!.expires_at).toBe(row.expires_at);
  });

  it('a forged or missing X-Hub-Signature is acknowledged and ignored: nothing is recorded', async () => {
    await subscribed();
    const forged = rss(hub.url, siteUrl, [{ id: 'evil', title: 'Forged' }]);
    expect(await hub.publish(siteUrl, forged, { sign: (_s, body) => signBody('not-the-secret', body) })).toEqual([202]);
    expect(await hub.publish(siteUrl, forged, { sign: () => undefined })).toEqual([202]);
    expect(await hub.publish(siteUrl, forged, { sign: (s, body) => signBody(s, `${body} `) })).toEqual([202]);
    expect(pushed).toHaveLength(0);
    expect(await count()).toBe(1);
    // Unknown feed: gone.
    const r = await fetch(callbackUrl('nope'), { method: 'POST', body: forged, headers: { 'x-hub-signature': 'sha256=00' } });
    expect(r.status).toBe(410);
  });

  it('a flood of pushes from one hub is bounded like any feed: per-minute cap, byte cap, max_items', async () => {
    await subscribed();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push(...(await hub.publish(siteUrl, rss(hub.url, siteUrl, [{ id: `f${i}`, title: `Flood ${i}` }]))));
    expect(statuses.filter((s) => s === 202)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
    expect(pushed).toHaveLength(5);
  });

  it('oversized pushes are refused and a push carries at most max_items entries', async () => {
    await subscribed();
    const huge = rss(hub.url, siteUrl, Array.from({ length: 2000 }, (_, i) => ({ id: `h${i}`, title: `Huge ${i} ${'x'.repeat(40)}` })));
    expect(huge.length).toBeGreaterThan(64 * 1024);
    expect(await hub.publish(siteUrl, huge)).toEqual([413]);
    const many = rss(hub.url, siteUrl, Array.from({ length: 200 }, (_, i) => ({ id: `m${i}`, title: `M${i}` })));
    expect(await hub.publish(siteUrl, many)).toEqual([202]);
    expect(await count()).toBe(1 + 10);
  });

  it('a hub that stops renewing: the lease runs out and polling takes over at its normal pace', async () => {
    await subscribed(1200);
    const row = (await getSubscription(store.handle.db, FEED.id))!;
    const now = new Date();
    const plan = { nextPollAt: new Date(now.getTime() + 300_000).toISOString(), intervalS: 300, why: 'learned' };
    const net = { factor: 4, minS: 3600, maxS: 86_400 };
    // While push is in force polling slows down, but never past the lease's end.
    const slowed = safetyNet(plan, row, now, net);
    expect(slowed.nextPollAt).toBe(row.expires_at);
    expect(slowed.why).toMatch(/WebSub push in force/);
    hub.state.refuse = true;
    expect(await subscribe(subDeps(1200), FEED.id, hub.url, siteUrl, { force: true })).toBe('failed');
    const after = (await getSubscription(store.handle.db, FEED.id))!;
    expect(after).toMatchObject({ state: 'active', failures: 1 });
    expect(after.error).toMatch(/hub refused or unreachable/);
    // Past the lease: push is no longer relied on, the plan is the plain poll plan again, and a new request is due.
    const later = new Date(Date.parse(after.expires_at!) + 1000);
    expect(pushActive(after, later)).toBe(false);
    expect(safetyNet(plan, after, later, net)).toEqual(plan);
    const polled = await pollFeed({ db: store.handle.db, fetcher, policy: DEFAULT_POLL_POLICY, maxItems: 50, now: () => later, safetyNet: net }, FEED, { force: true });
    expect(polled.status).toBe('ok');
    expect(Date.parse(polled.nextPollAt) - later.getTime()).toBeLessThan(2 * 3600_000);
  });
});
