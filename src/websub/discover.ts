// Where a feed says its WebSub hub is (W3C WebSub §4): an HTTP `Link: <…>; rel="hub"` header, or a
// <link rel="hub" href="…"> / <atom:link rel="hub" …> element in the feed; the topic is its rel="self" link, else the
// feed's URL. Pure, bounded: only the first HEAD_BYTES of the body are scanned, and only http(s) URLs are returned
// (the hub is then reached through the guarded client like any feed URL).
const HEAD_BYTES = 64 * 1024;

export interface HubLinks {
  hub?: string;
  self?: string;
}

function absolute(href: string, base: string): string | undefined {
  try {
    const u = new URL(href.trim(), base);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** `Link` header values: `<https://hub.example/>; rel="hub", <https://x/feed>; rel="self"`. */
function fromLinkHeader(value: string | undefined, base: string): HubLinks {
  const out: HubLinks = {};
  if (!value) return out;
  for (const m of value.slice(0, 8192).matchAll(/<([^>]*)>\s*((?:;\s*[^;,]*)*)/g)) {
    const rels = /;\s*rel\s*=\s*"?([^";,]*)"?/i.exec(m[2])?.[1].toLowerCase().split(/\s+/) ?? [];
    if (rels.includes('hub')) out.hub ??= absolute(m[1], base);
    if (rels.includes('self')) out.self ??= absolute(m[1], base);
  }
  return out;
}

const attr = (tag: string, name: string) => new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)')`, 'i').exec(tag);
const unescape = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;|&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');

/** The hub and self links of a fetched feed. */
export function findHubLinks(body: Buffer | string, headers: Record<string, string>, feedUrl: string): HubLinks {
  const out = fromLinkHeader(headers['link'] ?? headers['Link'], feedUrl);
  const head = (typeof body === 'string' ? body.slice(0, HEAD_BYTES) : body.subarray(0, HEAD_BYTES).toString('latin1'));
  for (const m of head.matchAll(/<(?:[a-z0-9_-]+:)?link\b[^>]{0,2000}>/gi)) {
    const rel = attr(m[0], 'rel');
    const href = attr(m[0], 'href');
    if (!rel || !href) continue;
    const rels = (rel[2] ?? rel[3]).toLowerCase().split(/\s+/);
    const url = absolute(unescape(href[2] ?? href[3]), feedUrl);
    if (rels.includes('hub')) out.hub ??= url;
    if (rels.includes('self')) out.self ??= url;
    if (out.hub && out.self) break;
  }
  return out;
}
