// A local news site on 127.0.0.1 for tests and benchmarks: RSS feeds listing article pages, with ETag/Last-Modified
// (answers 304), per-path hit counts, and broken feeds on demand. No traffic leaves loopback.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';

export interface SiteArticle {
  slug: string;
  title: string;
  /** Paragraphs of body text. */
  paragraphs: string[];
  lang?: string;
  published?: string;
  siteName?: string;
}

export interface SiteFeed {
  /** Path, e.g. "/feeds/world.xml". */
  path: string;
  title: string;
  slugs: string[];
  /** 'ok' (default), 'error500' (always 500), 'garbage' (200 with non-XML bytes). */
  mode?: 'ok' | 'error500' | 'garbage';
  /** A WebSub hub the feed announces (<atom:link rel="hub">, with rel="self"). */
  hub?: string;
}

export interface NewsSite {
  url: string;
  port: number;
  /** Requests per path. */
  hits: Map<string, number>;
  requests: () => number;
  setFeeds(feeds: SiteFeed[]): void;
  addArticles(a: SiteArticle[]): void;
  close(): Promise<void>;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function articleHtml(a: SiteArticle, base: string): string {
  const nav = '<nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/politics">Politics</a></nav>';
  return `<!doctype html><html lang="${a.lang ?? 'en'}"><head><meta charset="utf-8"><title>${esc(a.title)} | ${esc(a.siteName ?? 'Local News')}</title>
<link rel="canonical" href="${base}/news/${a.slug}">
<meta property="og:site_name" content="${esc(a.siteName ?? 'Local News')}">
<meta property="og:title" content="${esc(a.title)}">
<script>window.analytics = { track: function () {} };</script><style>body{font-family:serif}</style></head>
<body><header>${nav}</header><main><article><h1>${esc(a.title)}</h1>
<p class="byline">By Staff Reporter</p><time datetime="${a.published ?? '2026-11-25T08:00:00Z'}">${a.published ?? ''}</time>
${a.paragraphs.map((p) => `<p>${esc(p)}</p>`).join('\n')}
</article><aside><h3>Most read</h3><ul><li><a href="/news/other">Weather: a sunny week ahead</a></li></ul></aside></main>
<footer>© Local News. All rights reserved. <a href="/privacy">Privacy</a></footer></body></html>`;
}

export function rssXml(feed: SiteFeed, articles: Map<string, SiteArticle>, base: string): string {
  const items = feed.slugs
    .map((s) => articles.get(s))
    .filter((a): a is SiteArticle => !!a)
    .map((a) => `<item><title>${esc(a.title)}</title><link>${base}/news/${a.slug}?utm_source=rss&amp;utm_medium=${encodeURIComponent(feed.path)}</link>
<guid isPermaLink="false">${esc(feed.path)}#${a.slug}</guid><pubDate>${new Date(a.published ?? '2026-11-25T08:00:00Z').toUTCString()}</pubDate>
<description>${esc(a.paragraphs[0] ?? '')}</description></item>`)
    .join('\n');
  const hub = feed.hub ? `<atom:link rel="hub" href="${esc(feed.hub)}"/><atom:link rel="self" href="${esc(base + feed.path)}"/>` : '';
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"${feed.hub ? ' xmlns:atom="http://www.w3.org/2005/Atom"' : ''}><channel><title>${esc(feed.title)}</title><link>${base}/</link><description>${esc(feed.title)}</description>${hub}${items}</channel></rss>`;
}

export async function startNewsSite(init: { articles: SiteArticle[]; feeds: SiteFeed[]; latencyMs?: number; onFeedServed?: (feed: SiteFeed) => void }): Promise<NewsSite> {
  const articles = new Map(init.articles.map((a) => [a.slug, a]));
  let feeds = new Map(init.feeds.map((f) => [f.path, f]));
  const hits = new Map<string, number>();
  let total = 0;
  let base = '';
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    hits.set(path, (hits.get(path) ?? 0) + 1);
    total++;
    const send = () => {
      const feed = feeds.get(path);
      if (feed) {
        if (feed.mode === 'error500') return res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
        if (feed.mode === 'garbage') return res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(Buffer.from([0x00, 0xff, 0x13, 0x37, 0x3c, 0x3f, 0x78]));
        const body = rssXml(feed, articles, base);
        const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
        if (req.headers['if-none-match'] === etag) return res.writeHead(304, { etag }).end();
        init.onFeedServed?.(feed);
        return res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag, 'last-modified': new Date(0).toUTCString() }).end(body);
      }
      const m = /^\/news\/([^/]+)$/.exec(path);
      const a = m ? articles.get(m[1]) : undefined;
      if (a) return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(articleHtml(a, base));
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    };
    if (init.latencyMs) setTimeout(send, init.latencyMs);
    else send();
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
  return {
    url: base,
    port,
    hits,
    requests: () => total,
    setFeeds: (f) => { feeds = new Map(f.map((x) => [x.path, x])); },
    addArticles: (list) => { for (const a of list) articles.set(a.slug, a); },
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
