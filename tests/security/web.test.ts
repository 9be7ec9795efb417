// SECURITY-TESTS W1–W6 (issue 13): the web surface is safe by default. Real listeners on 127.0.0.1 (port 0), raw
// node:http requests (so Host, Origin and Sec-Fetch-Site say what an attacker's browser would), real Redis queues.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebApp, startWebServer, type WebDeps, type WebServer } from '../../src/http/app.js';
import { assertSafeBind } from '../../src/http/exposure.js';
import { allowedHostsFor } from '../../src/http/guard.js';
import { registerOpsRoutes } from '../../src/http/ops.js';
import { clientKey, createAuthThrottle } from '../../src/http/throttle.js';
import { createOpsMetrics } from '../../src/ops/metrics.js';
import { startMetricsServer } from '../../src/http/metrics-server.js';
import { producerConnection } from '../../src/queue/connection.js';
import { closeQueues, createQueues, type Queues } from '../../src/queue/queues.js';
import type { DbHandle } from '../../src/store/db.js';
import { runCli, dropRedisPrefix } from '../support/cli.js';
import { startTestRedis } from '../support/private-redis.js';
import { tempDir } from '../support/stores.js';
import { setupWebStore } from '../unit/digest/web-store.js';

const prefix = `w-${randomUUID().slice(0, 8)}`;
let dir: string;
let h: DbHandle;
let deps: WebDeps;
let redis: Redis;
let queues: Queues;
const servers: WebServer[] = [];

beforeAll(async () => {
  ({ dir, h, deps } = await setupWebStore());
  redis = producerConnection('redis://127.0.0.1:6379');
  await new Promise((r) => redis.once('ready', r));
  queues = createQueues(redis, prefix);
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await closeQueues(queues);
  redis.disconnect();
  await dropRedisPrefix(prefix);
  await h.db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The service's web app as runtime/web.ts assembles it: pages + ops routes (dashboard included). */
async function listen(over: Partial<WebDeps> = {}, ops: Partial<Parameters<typeof registerOpsRoutes>[1]> = {}): Promise<number> {
  const d: WebDeps = { ...deps, ...over };
  const app: Hono = createWebApp(d, [
    (a) => registerOpsRoutes(a, { registry: createOpsMetrics({ defaultMetrics: false }).registry, queues, db: h.db, redis, timeoutMs: 500, ...ops }),
  ]);
  const server = await startWebServer(app, { port: 0 });
  servers.push(server);
  return server.port;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

function request(port: number, p: string, o: { method?: string; headers?: Record<string, string>; body?: string; localAddress?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: p, method: o.method ?? 'GET', headers: { host: `127.0.0.1:${port}`, ...o.headers }, localAddress: o.localAddress, agent: o.localAddress ? undefined : agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.setTimeout(5_000, () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(o.body);
  });
}

const JOB = JSON.stringify({ name: 'build-digest', data: { digestId: 'morning', fireTime: '2026-11-26T06:00:00Z' } });
const waitingDigests = async () => (await queues.digest.getJobCounts('waiting', 'delayed', 'prioritized')) as Record<string, number>;
const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);

describe('W1 cross-site state-changing requests', () => {
  it('a text/plain POST to the dashboard API from Origin evil.example, or with no Origin, is 403 and adds no job', async () => {
    const port = await listen({}, { dashboardWrite: true });
    const add = (headers: Record<string, string>) =>
      request(port, '/ops/queues/api/queues/digest/add', { method: 'POST', headers: { 'content-type': 'text/plain', ...headers }, body: JOB });
    expect((await add({ origin: 'http://evil.example' })).status).toBe(403);
    expect((await add({ origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await add({ 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect((await add({ origin: 'null' })).status).toBe(403);
    expect((await add({})).status).toBe(403);
    expect(total(await waitingDigests())).toBe(0);
    // The same request from the dashboard's own page goes through: the 403s above are the guard, not a broken route.
    const own = await add({ origin: `http://127.0.0.1:${port}`, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' });
    expect(own.status).toBe(200);
    expect(total(await waitingDigests())).toBe(1);
    await queues.digest.obliterate({ force: true });
  });

  it('any state-changing route is covered, not only the dashboard (PUT/PATCH/DELETE too)', async () => {
    const port = await listen();
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const r = await request(port, '/', { method, headers: { origin: 'http://evil.example', 'content-type': 'text/plain' }, body: method === 'DELETE' ? undefined : 'x' });
      expect(r.status, method).toBe(403);
    }
    // Reads are unaffected by Origin.
    expect((await request(port, '/', { headers: { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' } })).status).toBe(200);
  });

  it('the dashboard is read-only unless http.dashboard_write, even same-origin', async () => {
    const port = await listen();
    const r = await request(port, '/ops/queues/api/queues/digest/add', { method: 'POST', headers: { origin: `http://127.0.0.1:${port}`, 'content-type': 'application/json' }, body: JOB });
    expect(r.status).toBe(403);
    expect(r.body).toMatch(/read-only \(http\.dashboard_write\)/);
    const retry = await request(port, '/ops/queues/api/queues/digest/retry/failed', { method: 'PUT', headers: { origin: `http://127.0.0.1:${port}` } });
    expect(retry.status).toBe(403);
    expect(total(await waitingDigests())).toBe(0);
    const list = await request(port, '/ops/queues/api/queues?activeQueue=digest&page=1&jobsPerPage=10');
    expect(list.status).toBe(200);
    expect((JSON.parse(list.body) as { queues: { readOnlyMode: boolean }[] }).queues.every((q) => q.readOnlyMode)).toBe(true);
  });

  it('with a token configured, a script without Origin (curl) may write; the cross-site browser still may not', async () => {
    const token = 'a-long-enough-token-0123456789';
    const port = await listen({ auth: { token } }, { dashboardWrite: true });
    const add = (headers: Record<string, string>) =>
      request(port, '/ops/queues/api/queues/digest/add', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JOB });
    expect((await add({ authorization: `Bearer ${token}`, origin: 'http://evil.example' })).status).toBe(403);
    expect((await add({ origin: 'http://evil.example' })).status).toBe(401);
    expect(total(await waitingDigests())).toBe(0);
    expect((await add({ authorization: `Bearer ${token}` })).status).toBe(200);
    expect(total(await waitingDigests())).toBe(1);
    await queues.digest.obliterate({ force: true });
  });
});

describe('W2 DNS rebinding: the Host allow-list', () => {
  it('answers 421 to Host evil.example:8080; loopback names, base_url host, allowed_hosts and IP literals pass', async () => {
    const port = await listen({ allowedHosts: allowedHostsFor({ base_url: 'https://news.example.org/ww/', allowed_hosts: ['intranet.example'] }) });
    const get = (host: string, p = '/') => request(port, p, { headers: { host } });
    const evil = await get('evil.example:8080');
    expect(evil.status).toBe(421);
    expect(evil.body).not.toContain('Morning');
    expect((await get('evil.example:8080', '/ops/queues/api/queues')).status).toBe(421);
    expect((await get('evil.example:8080', '/metrics')).status).toBe(421);
    expect((await get('localhost.evil.example')).status).toBe(421);
    for (const ok of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'news.example.org', 'news.example.org:443', 'intranet.example:8080', '10.1.2.3:8080']) {
      expect((await get(ok)).status, ok).toBe(200);
    }
    // Probes keep working whatever Host the orchestrator sends; they say nothing (W6).
    expect((await get('evil.example:8080', '/healthz')).status).toBe(200);
  });

  it('by default (no base_url) only loopback names and IP literals are served', async () => {
    const port = await listen({ baseUrl: undefined, allowedHosts: undefined });
    expect((await request(port, '/', { headers: { host: 'evil.example' } })).status).toBe(421);
    expect((await request(port, '/', { headers: { host: `localhost:${port}` } })).status).toBe(200);
  });
});

describe('W3 binding a non-loopback address without auth', () => {
  it('assertSafeBind refuses 0.0.0.0, :: and a LAN address without auth, naming the settings', () => {
    const none = { allow_unauthenticated_public: false };
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'myhost.lan']) {
      expect(() => assertSafeBind(host, none), host).toThrow(/http\.basic_auth or http\.token.*http\.allow_unauthenticated_public: true/);
    }
    for (const host of ['127.0.0.1', '127.0.0.5', '::1', '[::1]', 'localhost']) expect(() => assertSafeBind(host, none), host).not.toThrow();
    expect(() => assertSafeBind('0.0.0.0', { ...none, token: 'x'.repeat(16) })).not.toThrow();
    expect(() => assertSafeBind('0.0.0.0', { ...none, basic_auth: { user: 'u', password: 'p' } })).not.toThrow();
    expect(() => assertSafeBind('0.0.0.0', { allow_unauthenticated_public: true })).not.toThrow();
  });

  it("a worker's metrics listener gets the same rule (refused before anything binds)", async () => {
    const registry = createOpsMetrics({ defaultMetrics: false }).registry;
    const start = startMetricsServer({ registry, queues, db: h.db, redis, host: '0.0.0.0', port: 0 });
    await expect(start).rejects.toThrow(/refusing to serve the metrics listener on 0\.0\.0\.0 without authentication/);
  });

  it('`wirewatch serve` with http.host 0.0.0.0 and no auth exits non-zero with the message; the opt-out key lets it start', async () => {
    const d = tempDir('ww-w3-');
    const topics = path.resolve('config/topics.yml');
    const write = (extra: string) => fs.writeFileSync(path.join(d, 'wirewatch.yml'), `data_dir: ${d}/data\ntopics_file: ${topics}\nfeeds: []\nredis: { start_private: false }\nhttp: { host: 0.0.0.0, port: 0${extra} }\n`);
    try {
      write('');
      const r = await runCli(['--config', path.join(d, 'wirewatch.yml'), 'serve'], { timeoutMs: 90_000 });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/refusing to serve the web server on 0\.0\.0\.0 without authentication/);
      expect(r.stderr).toContain('http.allow_unauthenticated_public');
      expect(fs.existsSync(path.join(d, 'data', 'wirewatch.db'))).toBe(false);
      // The env override docker compose uses for a container whose port is published on the host's loopback.
      const env = await runCli(['--config', path.join(d, 'wirewatch.yml'), 'config', 'check'], { timeoutMs: 90_000, env: { ...process.env, WIREWATCH_HTTP_ALLOW_UNAUTHENTICATED_PUBLIC: 'true' } });
      expect(env.code).toBe(0);
    } finally {
      fs.rmSync(d, { recursive: true, force: true });
    }
  }, 200_000);
});

describe('W4 clickjacking: no response may be framed', () => {
  it("every response carries frame-ancestors 'none' and X-Frame-Options: DENY, dashboard and errors included", async () => {
    const port = await listen({ auth: undefined }, { dashboardWrite: false });
    const cases: [string, Parameters<typeof request>[2]][] = [
      ['/', {}], ['/topics/markets', {}], ['/digests/morning/2026-11-26.json', {}], ['/digests/morning/feed.atom', {}], ['/nope', {}],
      ['/healthz', {}], ['/readyz', {}], ['/metrics', {}], ['/ops/queues', {}], ['/ops/queues/api/queues', {}],
      ['/', { headers: { host: 'evil.example' } }], ['/', { method: 'POST', headers: { origin: 'http://evil.example' } }],
    ];
    for (const [p, o] of cases) {
      const r = await request(port, p, o);
      expect(String(r.headers['content-security-policy']), `${p} ${r.status}`).toMatch(/frame-ancestors 'none'/);
      expect(r.headers['x-frame-options'], p).toBe('DENY');
    }
    // The dashboard's page is its own (scripts); only frame-ancestors is added, not our script-free policy.
    const board = await request(port, '/ops/queues');
    expect(board.status).toBe(200);
    expect(board.headers['content-security-policy']).toBe("frame-ancestors 'none'");
  });
});

describe('W5 failed-authentication throttle', () => {
  it('1,000 wrong passwords: 401 for the first N, then 429; the right password works after the window; other clients unaffected', async () => {
    let now = 1_000_000;
    const auth = { basic: { user: 'ops', password: 'right-password' } };
    const port = await listen({ auth, authThrottle: createAuthThrottle({ maxFailures: 10, windowMs: 60_000, now: () => now }) });
    const basic = (pw: string) => ({ authorization: `Basic ${Buffer.from(`ops:${pw}`).toString('base64')}` });
    const statuses = new Map<number, number>();
    for (let i = 0; i < 1000; i++) {
      const r = await request(port, '/', { headers: basic(`guess-${i}`) });
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    }
    expect(Object.fromEntries(statuses)).toEqual({ 401: 10, 429: 990 });
    const locked = await request(port, '/', { headers: basic('right-password') });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // Another client (source address 127.0.0.2) is not locked out by the first one's failures.
    expect((await request(port, '/', { headers: basic('right-password'), localAddress: '127.0.0.2' })).status).toBe(200);
    now += 60_001;
    expect((await request(port, '/', { headers: basic('right-password') })).status).toBe(200);
    expect((await request(port, '/', { headers: basic('wrong') })).status).toBe(401);
  });

  it('a client is an IPv4 address or an IPv6 /64 (one host usually holds a whole /64)', () => {
    expect(clientKey('2001:db8:1:2::5')).toBe(clientKey('2001:db8:1:2:ffff::1'));
    expect(clientKey('2001:db8:1:3::5')).not.toBe(clientKey('2001:db8:1:2::5'));
    expect(clientKey('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(clientKey(undefined)).toBe('unknown');
  });

  it('the throttle stays bounded: the oldest clients are forgotten first', () => {
    const t = createAuthThrottle({ maxFailures: 1, windowMs: 60_000, maxClients: 100, now: () => 0 });
    for (let i = 0; i < 1000; i++) t.failed(`10.0.${i >> 8}.${i & 255}`);
    expect(t.blockedFor('10.0.0.0')).toBe(0);
    expect(t.blockedFor('10.0.3.231')).toBeGreaterThan(0);
  });
});

describe('W6 /readyz while Redis is down', () => {
  it('503 naming the component, with no error text or address', async () => {
    const priv = await startTestRedis();
    const conn = producerConnection(priv.url);
    conn.on('error', () => undefined);
    const q = createQueues(conn, prefix);
    try {
      await new Promise((r) => conn.once('ready', r));
      const port = await listen({}, { redis: conn, queues: q, dashboard: false });
      const up = await request(port, '/readyz');
      expect(up.status).toBe(200);
      expect(JSON.parse(up.body)).toEqual({ status: 'ok', redis: 'ok', store: 'ok' });
      await priv.stop();
      const down = await request(port, '/readyz');
      expect(down.status).toBe(503);
      expect(JSON.parse(down.body)).toEqual({ status: 'unavailable', redis: 'down', store: 'ok' });
      expect(down.body).not.toContain(String(priv.port));
      expect(down.body).not.toMatch(/127\.0\.0\.1|ECONN|closed|error|within/i);
    } finally {
      await closeQueues(q).catch(() => undefined);
      conn.disconnect();
      await priv.cleanup();
    }
  });
});
