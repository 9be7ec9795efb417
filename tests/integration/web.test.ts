// The web app in-process (Hono app.request) over a temp SQLite store with a built digest, plus one real listen.
import fs from 'node:fs';
import { JSDOM } from 'jsdom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/store/db.js';
import { createWebApp, startWebServer, type WebDeps } from '../../src/http/app.js';
import { parseFeedSync } from '../../src/feeds/parse.js';
import { activeContent } from '../unit/digest/helpers.js';
import { setupWebStore } from '../unit/digest/web-store.js';

const HOSTILE = '<script>alert(1)</script> &lt;img onerror&gt; <img src=x onerror=alert(2)>';
let dir: string;
let h: DbHandle;
let deps: WebDeps;

beforeAll(async () => {
  ({ dir, h, deps } = await setupWebStore());
});
afterAll(async () => {
  await h.db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

const doc = (html: string) => new JSDOM(html).window.document;

describe('web app', () => {
  it('archive lists digests, topics and alerts on unknown deliveries', async () => {
    const res = await createWebApp(deps).request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const d = doc(await res.text());
    expect(d.querySelector('a[href="/digests/morning/2026-11-26"]')).not.toBeNull();
    expect(d.querySelector('.alert')!.textContent).toContain('connection lost after DATA <maybe>');
    expect(d.querySelector('a[href="/topics/ukraine-energy"]')).not.toBeNull();
  });

  it('digest page: stories, escaped hostile text, delivery status; JSON and Markdown variants', async () => {
    const app = createWebApp(deps);
    const res = await app.request('/digests/morning/2026-11-26');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(activeContent(html, true)).toEqual([]);
    const d = doc(html);
    expect([...d.querySelectorAll('h3')].map((x) => x.textContent)).toContain(HOSTILE);
    expect(d.querySelector('a[href="/articles/a1"]')).not.toBeNull();
    expect(d.querySelector('.alert')!.textContent).toContain('Delivery unknown on email:deadbeef');
    const json = await (await app.request('/digests/morning/2026-11-26.json')).json();
    expect(json.date).toBe('2026-11-26');
    expect(await (await app.request('/digests/morning/2026-11-26.md')).text()).toContain('# Morning');
    expect((await app.request('/digests/morning/2026-11-27')).status).toBe(404);
    expect((await app.request('/digests/morning/../../etc')).status).toBe(404);
  });

  it('Atom per digest and per topic parse back, titles as text', async () => {
    const app = createWebApp({ ...deps, baseUrl: 'https://news.example.org/ww/' });
    for (const [url, n] of [['/digests/morning/feed.atom', 4], ['/topics/ukraine-energy/feed.atom', 3], ['/topics/markets/feed.atom', 1]] as const) {
      const res = await app.request(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/application\/atom\+xml/);
      const feed = parseFeedSync(await res.text(), { url: `https://news.example.org/ww${url}` });
      expect(feed.format).toBe('atom');
      expect(feed.items).toHaveLength(n);
      if (url !== '/topics/markets/feed.atom') expect(feed.items.map((i) => i.title)).toContain(HOSTILE);
    }
    expect((await app.request('/topics/nope/feed.atom')).status).toBe(404);
  });

  it('topic page and article view with evidence; article HTML sanitised', async () => {
    const app = createWebApp(deps);
    const topic = await (await app.request('/topics/ukraine-energy')).text();
    expect(activeContent(topic, true)).toEqual([]);
    expect(doc(topic).body.textContent).toContain('3 outlets');
    const res = await app.request('/articles/x1');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(activeContent(html, true)).toEqual([]);
    const d = doc(html);
    expect(d.querySelector('h1')!.textContent).toBe(HOSTILE);
    expect(d.querySelector('table.evidence')!.textContent).toContain('power grid');
    expect(d.querySelector('.article a[href="https://ok.example/"]')).not.toBeNull();
    expect(d.querySelector('.article')!.textContent).toContain('click');
    expect((await app.request('/articles/nope')).status).toBe(404);
  });

  it('basic auth and bearer token guard everything except public paths; extra routes share them', async () => {
    const app = createWebApp({ ...deps, auth: { basic: { user: 'ed', password: 's3cret' }, token: 'tok-0123456789abcdef' } }, [
      (a) => a.get('/healthz', (c) => c.text('ok')),
      (a) => a.get('/metrics', (c) => c.text('# metrics')),
    ]);
    expect((await app.request('/')).status).toBe(401);
    expect((await app.request('/')).headers.get('www-authenticate')).toMatch(/^Basic/);
    expect((await app.request('/', { headers: { authorization: `Basic ${Buffer.from('ed:wrong').toString('base64')}` } })).status).toBe(401);
    expect((await app.request('/', { headers: { authorization: `Basic ${Buffer.from('ed:s3cret').toString('base64')}` } })).status).toBe(200);
    expect((await app.request('/', { headers: { authorization: 'Bearer tok-0123456789abcdef' } })).status).toBe(200);
    expect((await app.request('/', { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    expect((await app.request('/healthz')).status).toBe(200);
    expect((await app.request('/metrics')).status).toBe(401);
  });

  it('our pages carry a script-free CSP; mounted UIs (bull-board) keep their own', async () => {
    const app = createWebApp(deps, [(a) => a.get('/queues', (c) => c.html('<script src="/queues/app.js"></script>'))]);
    // Issue 13 (W4): every response forbids framing, so a mounted UI gets frame-ancestors only — not our script-free policy.
    expect((await app.request('/queues')).headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
    expect((await app.request('/queues')).headers.get('x-content-type-options')).toBe('nosniff');
    expect((await app.request('/topics/markets')).headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect((await app.request('/nope')).headers.get('content-security-policy')).toMatch(/default-src 'none'/);
  });

  it('listens on 127.0.0.1 by default and closes', async () => {
    const server = await startWebServer(createWebApp(deps), { port: 0 });
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/digests/morning`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('2026-11-26');
    } finally {
      await server.close();
    }
  });
});
