// A stable, readable feed id derived from its URL when the configuration gives none:
// https://www.kyivindependent.com/news/rss/ → kyivindependent.com-news-rss (+ a short hash when the path is long).
import { createHash } from 'node:crypto';

export function feedIdFor(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `feed-${createHash('sha256').update(url).digest('hex').slice(0, 12)}`;
  }
  // An IPv6 literal ("[::1]") has characters an id may not: spell it with dashes (C5).
  const host = u.hostname.startsWith('[')
    ? `ip6-${u.hostname.slice(1, -1).replace(/[^a-z0-9]+/gi, '-').replace(/^-+|-+$/g, '')}`.toLowerCase()
    : u.hostname.replace(/^www\./, '').toLowerCase().replace(/[^a-z0-9._-]+/g, '-');
  const rest = `${u.pathname}${u.search}`.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  const port = u.port ? `-${u.port}` : '';
  const id = rest ? `${host}${port}-${rest}` : `${host}${port}`;
  return id.length <= 64 ? id : `${id.slice(0, 51)}-${createHash('sha256').update(url).digest('hex').slice(0, 12)}`;
}
