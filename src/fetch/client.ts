// The one guarded HTTP client for feeds and article pages. Every URL comes from a stranger's feed:
// - SSRF: the URL is checked before dialling (scheme, userinfo, port, IP literal); DNS answers are filtered; the
//   connected socket's peer address is checked again (DNS rebinding); redirects are followed here, each hop
//   re-validated, at most maxRedirects.
// - Limits: connect, headers and total deadlines (the total one stops a server dripping a byte every 500 ms);
//   Content-Length checked before reading; decoded bytes capped while streaming (gzip/brotli bombs); a
//   Content-Type allow-list per kind.
// - Failures: PermanentError (blocked, 404/410, other 4xx, too large, wrong type) or TransientError (timeouts,
//   connection errors, 5xx, 429/503 with Retry-After).
import dns from 'node:dns';
import type { LookupFunction, Socket } from 'node:net';
import { Agent, buildConnector, request } from 'undici';
import { PermanentError, TransientError } from '../errors.js';
import { addressAllowed, checkUrl, type AddressPolicy } from './address-policy.js';
import { readCapped } from './body.js';

export interface FetchPolicy extends AddressPolicy {
  maxBytes: number;
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  totalTimeoutMs: number;
  maxRedirects: number;
  userAgent: string;
  feedContentTypes?: string[];
  pageContentTypes?: string[];
  /** Injectable resolver (tests: rebinding answers). */
  lookup?: (hostname: string) => Promise<{ address: string; family: 4 | 6 }[]>;
  /** Per-host etiquette gate (Redis-backed); resolves to a release function. */
  hostGate?: (host: string) => Promise<() => void>;
}

export interface FetchRequest { url: string; kind: 'feed' | 'page'; etag?: string; lastModified?: string; signal?: AbortSignal }
export interface FetchResult { url: string; status: number; headers: Record<string, string>; body: Buffer; notModified: boolean; contentType?: string }
export interface Fetcher { fetch(req: FetchRequest): Promise<FetchResult>; close(): Promise<void> }

export const DEFAULT_FEED_TYPES = ['application/rss+xml', 'application/atom+xml', 'application/rdf+xml', 'application/xml', 'text/xml',
  'application/feed+json', 'application/json', 'text/plain', 'text/html', 'application/x-rss+xml', 'application/octet-stream'];
export const DEFAULT_PAGE_TYPES = ['text/html', 'application/xhtml+xml', 'text/plain'];

export const DEFAULT_FETCH_POLICY: FetchPolicy = {
  allowPrivateNetworks: false,
  allowHosts: [],
  allowedPorts: [80, 443],
  maxBytes: 5 * 1024 * 1024,
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 15_000,
  totalTimeoutMs: 30_000,
  maxRedirects: 5,
  userAgent: 'wirewatch/0.1 (+https://github.com/wirewatch/wirewatch)',
  feedContentTypes: DEFAULT_FEED_TYPES,
  pageContentTypes: DEFAULT_PAGE_TYPES,
};

const ACCEPT = {
  feed: 'application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1',
  page: 'text/html, application/xhtml+xml;q=0.9, text/plain;q=0.5, */*;q=0.1',
};

function flat(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** Retry-After: delta-seconds or an HTTP-date, in ms from now. */
export function parseRetryAfter(v: string | undefined, now = Date.now()): number | undefined {
  if (!v) return undefined;
  if (/^\s*\d+\s*$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

export function createFetcher(policy: FetchPolicy): Fetcher {
  const p = { ...DEFAULT_FETCH_POLICY, ...policy };
  // DNS answers are filtered: a name that resolves only to private addresses is refused at lookup.
  const lookup: LookupFunction = (hostname, options, callback) => {
    const resolve = p.lookup
      ? p.lookup(hostname)
      : dns.promises.lookup(hostname, { all: true }).then((a) => a.map((x) => ({ address: x.address, family: x.family as 4 | 6 })));
    resolve.then(
      (answers) => {
        const ok = answers.filter((a) => addressAllowed(a.address, hostname, p));
        if (!ok.length) {
          const err = new PermanentError('ssrf_blocked', `fetch: ${hostname} resolves only to non-public addresses (${answers.map((a) => a.address).join(', ') || 'none'})`);
          return callback(err as NodeJS.ErrnoException, '', 4);
        }
        if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, ok);
        callback(null, ok[0].address, ok[0].family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 4),
    );
  };
  const base = buildConnector({ timeout: p.connectTimeoutMs, lookup } as buildConnector.BuildOptions);
  const agent = new Agent({
    headersTimeout: p.headersTimeoutMs,
    bodyTimeout: p.totalTimeoutMs,
    connections: 64,
    // Second line of defence: the peer we actually connected to (rebinding between lookup and connect).
    connect: (opts, cb) =>
      base(opts, (err, socket) => {
        if (err || !socket) return cb(err as Error, null);
        const peer = (socket as Socket).remoteAddress ?? '';
        if (!addressAllowed(peer, opts.hostname, p)) {
          socket.destroy();
          return cb(new PermanentError('ssrf_blocked', `fetch: connected peer ${peer} is not public (${opts.hostname})`), null);
        }
        cb(null, socket);
      }),
  });

  async function once(url: URL, req: FetchRequest, signal: AbortSignal) {
    const headers: Record<string, string> = {
      'user-agent': p.userAgent,
      accept: ACCEPT[req.kind],
      'accept-encoding': 'gzip, br, deflate',
    };
    if (req.etag) headers['if-none-match'] = req.etag;
    if (req.lastModified) headers['if-modified-since'] = req.lastModified;
    const release = p.hostGate ? await p.hostGate(url.hostname) : undefined;
    try {
      const res = await request(url, { dispatcher: agent, method: 'GET', headers, signal });
      return { res, release };
    } catch (err) {
      release?.();
      throw err;
    }
  }

  return {
    async fetch(req) {
      const deadline = AbortSignal.timeout(p.totalTimeoutMs);
      const signal = req.signal ? AbortSignal.any([req.signal, deadline]) : deadline;
      let url = checkUrl(req.url, p);
      for (let hop = 0; ; hop++) {
        let res: Awaited<ReturnType<typeof request>>;
        let release: (() => void) | undefined;
        try {
          ({ res, release } = await once(url, req, signal));
        } catch (err) {
          throw classify(err, url, deadline.aborted, p.totalTimeoutMs);
        }
        try {
          const headers = flat(res.headers);
          const status = res.statusCode;
          if ([301, 302, 303, 307, 308].includes(status) && headers.location) {
            await res.body.dump().catch(() => undefined);
            if (hop + 1 > p.maxRedirects) throw new PermanentError('too_many_redirects', `fetch: more than ${p.maxRedirects} redirects (${req.url})`);
            let next: URL;
            try {
              next = new URL(headers.location, url);
            } catch {
              throw new PermanentError('bad_url', `fetch: invalid redirect Location ${headers.location.slice(0, 200)} (${url.href})`);
            }
            try {
              url = checkUrl(next.href, p);
            } catch (err) {
              if (err instanceof PermanentError && err.code === 'ssrf_blocked') {
                throw new PermanentError('ssrf_blocked', `fetch: redirect to blocked address ${next.host} (${req.url})`);
              }
              throw err;
            }
            continue;
          }
          if (status === 304) {
            await res.body.dump().catch(() => undefined);
            return { url: url.href, status, headers, body: Buffer.alloc(0), notModified: true, contentType: headers['content-type'] };
          }
          if (status >= 400) {
            await res.body.dump().catch(() => undefined);
            throw statusError(status, headers, url.href);
          }
          const contentType = headers['content-type'];
          const mime = (contentType ?? '').split(';')[0].trim().toLowerCase();
          const allowed = req.kind === 'feed' ? p.feedContentTypes ?? DEFAULT_FEED_TYPES : p.pageContentTypes ?? DEFAULT_PAGE_TYPES;
          if (mime && !allowed.includes(mime) && !(req.kind === 'feed' && /[+/](xml|json)$/.test(mime))) {
            res.body.destroy();
            throw new PermanentError('wrong_type', `fetch: content type ${mime} is not accepted for a ${req.kind} (${url.href})`);
          }
          const length = Number(headers['content-length']);
          if (Number.isFinite(length) && length > p.maxBytes && !headers['content-encoding']) {
            res.body.destroy();
            throw new PermanentError('too_large', `fetch: Content-Length ${length} exceeds ${p.maxBytes} bytes (${url.href})`);
          }
          let body: Buffer;
          try {
            body = await readCapped(res.body, headers['content-encoding'], p.maxBytes, url.href);
          } catch (err) {
            throw classify(err, url, deadline.aborted, p.totalTimeoutMs);
          }
          return { url: url.href, status, headers, body, notModified: false, contentType };
        } finally {
          release?.();
        }
      }
    },
    close: () => agent.close(),
  };
}

function statusError(status: number, headers: Record<string, string>, url: string): Error {
  if (status === 429 || status === 503) {
    return new TransientError(`http_${status}`, `fetch: HTTP ${status} (${url})`, { retryAfterMs: parseRetryAfter(headers['retry-after']) });
  }
  if (status === 408 || status >= 500) return new TransientError(`http_${status}`, `fetch: HTTP ${status} (${url})`);
  if (status === 404 || status === 410) return new PermanentError(`http_${status}`, `fetch: HTTP ${status} (${url})`);
  return new PermanentError('http_4xx', `fetch: HTTP ${status} (${url})`);
}

/** Map transport errors to the two kinds; our own PermanentErrors pass through (also when wrapped by undici). */
function classify(err: unknown, url: URL, timedOut: boolean, totalMs: number): Error {
  if (err instanceof PermanentError || err instanceof TransientError) return err;
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof PermanentError) return cause;
  const e = err as NodeJS.ErrnoException & { code?: string; name?: string };
  if (timedOut || e.name === 'TimeoutError' || e.name === 'AbortError') {
    return new TransientError('timeout', `fetch: no complete response within ${totalMs} ms (${url.href})`, { cause: err });
  }
  const code = e.code ?? 'error';
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return new TransientError('headers_timeout', `fetch: no response headers in time (${url.href})`, { cause: err });
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return new TransientError('connect_timeout', `fetch: connect timed out (${url.href})`, { cause: err });
  if (code === 'UND_ERR_BODY_TIMEOUT') return new TransientError('timeout', `fetch: body timed out (${url.href})`, { cause: err });
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new TransientError('dns', `fetch: cannot resolve ${url.hostname} (${code})`, { cause: err });
  return new TransientError(code.toLowerCase(), `fetch: ${e.message || code} (${url.href})`, { cause: err });
}
