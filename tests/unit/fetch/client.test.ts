// The fetch client's HTTP semantics against a loopback server: conditional GET, status mapping, Retry-After,
// content types, decoding, the host gate.
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentError, TransientError } from '../../../src/errors.js';
import { DEFAULT_FETCH_POLICY } from '../../../src/fetch/client.js';
import { parseRetryAfter } from '../../../src/fetch/retry-after.js';
import { serve, testFetcher, type TestServer } from '../../security/helpers.js';

let srv: TestServer;
const seen: Record<string, string | undefined>[] = [];

beforeAll(async () => {
  srv = await serve((req, res) => {
    seen.push({ ua: req.headers['user-agent'], inm: req.headers['if-none-match'], ims: req.headers['if-modified-since'] });
    switch (req.url) {
      case '/feed':
        if (req.headers['if-none-match'] === '"v1"') return res.writeHead(304, { etag: '"v1"' }).end();
        res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag: '"v1"' });
        return res.end('<rss/>');
      case '/gz':
        res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' });
        return res.end(zlib.gzipSync('<p>zipped</p>'));
      case '/404':
        return res.writeHead(404).end();
      case '/410':
        return res.writeHead(410).end();
      case '/403':
        return res.writeHead(403).end();
      case '/500':
        return res.writeHead(500).end();
      case '/429':
        return res.writeHead(429, { 'retry-after': '120' }).end();
      case '/503':
        return res.writeHead(503, { 'retry-after': new Date(Date.now() + 60_000).toUTCString() }).end();
      case '/feed-as-html':
        res.writeHead(200, { 'content-type': 'application/pdf' });
        return res.end('%PDF');
      default:
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end('<p>hello</p>');
    }
  });
});
afterAll(() => srv.close());

async function failure(p: Promise<unknown>): Promise<PermanentError | TransientError> {
  return p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: PermanentError | TransientError) => e,
  );
}

describe('fetch client', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_FETCH_POLICY.maxBytes).toBe(5 * 1024 * 1024);
    expect(DEFAULT_FETCH_POLICY.maxRedirects).toBe(5);
    expect(DEFAULT_FETCH_POLICY.allowedPorts).toEqual([80, 443]);
    expect(DEFAULT_FETCH_POLICY.userAgent).toBe('wirewatch/0.1 (+https://github.com/wirewatch/wirewatch)');
  });

  it('does a conditional GET: 200 with etag, then 304 notModified with an empty body', async () => {
    const f = testFetcher([srv.port]);
    const first = await f.fetch({ url: srv.url('/feed'), kind: 'feed' });
    expect(first.status).toBe(200);
    expect(first.headers.etag).toBe('"v1"');
    expect(first.contentType).toBe('application/rss+xml; charset=utf-8');
    const second = await f.fetch({ url: srv.url('/feed'), kind: 'feed', etag: '"v1"', lastModified: 'Wed, 21 Oct 2015 07:28:00 GMT' });
    expect(second.notModified).toBe(true);
    expect(second.body.length).toBe(0);
    expect(seen.at(-1)).toMatchObject({ inm: '"v1"', ims: 'Wed, 21 Oct 2015 07:28:00 GMT', ua: DEFAULT_FETCH_POLICY.userAgent });
    await f.close();
  });

  it('decodes gzip', async () => {
    const f = testFetcher([srv.port]);
    expect((await f.fetch({ url: srv.url('/gz'), kind: 'page' })).body.toString()).toBe('<p>zipped</p>');
    await f.close();
  });

  it.each([
    ['/404', PermanentError, 'http_404'],
    ['/410', PermanentError, 'http_410'],
    ['/403', PermanentError, 'http_4xx'],
    ['/500', TransientError, 'http_5xx'],
  ])('maps %s', async (path, kind, code) => {
    const f = testFetcher([srv.port]);
    const err = await failure(f.fetch({ url: srv.url(path), kind: 'page' }));
    expect(err).toBeInstanceOf(kind);
    expect(err.code).toBe(code);
    expect(err.message).toContain(srv.url(path));
    expect(err.message.startsWith('fetch:')).toBe(true);
    await f.close();
  });

  it('an error from an HTTP status carries the status as a field; other errors carry none', async () => {
    const f = testFetcher([srv.port]);
    for (const [path, status] of [['/404', 404], ['/410', 410], ['/403', 403], ['/500', 500], ['/429', 429], ['/503', 503]] as const) {
      expect((await failure(f.fetch({ url: srv.url(path), kind: 'page' }))) as PermanentError | TransientError).toHaveProperty('status', status);
    }
    const wrongType = (await failure(f.fetch({ url: srv.url('/feed-as-html'), kind: 'feed' }))) as PermanentError;
    expect(wrongType.code).toBe('wrong_type');
    expect(wrongType.status).toBeUndefined();
    await f.close();
  });

  it('429 and 503 are transient with retryAfterMs from seconds and from an HTTP-date', async () => {
    const f = testFetcher([srv.port]);
    const a = (await failure(f.fetch({ url: srv.url('/429'), kind: 'page' }))) as TransientError;
    expect(a).toBeInstanceOf(TransientError);
    expect(a.retryAfterMs).toBe(120_000);
    const b = (await failure(f.fetch({ url: srv.url('/503'), kind: 'page' }))) as TransientError;
    expect(b.code).toBe('http_503');
    expect(b.retryAfterMs).toBeGreaterThan(50_000);
    expect(b.retryAfterMs).toBeLessThanOrEqual(60_000);
    await f.close();
  });

  it('refuses a content type that is not a feed', async () => {
    const f = testFetcher([srv.port]);
    const err = await failure(f.fetch({ url: srv.url('/feed-as-html'), kind: 'feed' }));
    expect(err.code).toBe('wrong_type');
    await f.close();
  });

  it('passes every hop through the host gate and releases it', async () => {
    const events: string[] = [];
    const f = testFetcher([srv.port], {
      hostGate: async (host) => {
        events.push(`acquire ${host}`);
        return () => events.push(`release ${host}`);
      },
    });
    await f.fetch({ url: srv.url('/'), kind: 'page' });
    await failure(f.fetch({ url: srv.url('/404'), kind: 'page' }));
    expect(events).toEqual([`acquire 127.0.0.1:${srv.port}`, `release 127.0.0.1:${srv.port}`, `acquire 127.0.0.1:${srv.port}`, `release 127.0.0.1:${srv.port}`]);
    await f.close();
  });

  it('a refused connection is transient', async () => {
    const closed = await serve((_q, s) => s.end());
    const port = closed.port;
    await closed.close();
    const f = testFetcher([port]);
    const err = await failure(f.fetch({ url: `http://127.0.0.1:${port}/`, kind: 'page' }));
    expect(err).toBeInstanceOf(TransientError);
    await f.close();
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds, HTTP-dates, and rejects nonsense', () => {
    const now = Date.parse('2026-11-26T08:00:00Z');
    expect(parseRetryAfter('30', now)).toBe(30_000);
    expect(parseRetryAfter('Thu, 26 Nov 2026 08:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Thu, 26 Nov 2026 07:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
