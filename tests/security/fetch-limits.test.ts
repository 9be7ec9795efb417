// SECURITY-TESTS L1–L7: size, time and type limits of the fetch client, each bounded in time.
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentError, TransientError } from '../../src/errors.js';
import { serve, testFetcher, until, type TestServer } from './helpers.js';

const MiB = 1024 * 1024;
let srv: TestServer;
let gzipBomb: Buffer;
let brotliBomb: Buffer;
const timers = new Set<NodeJS.Timeout>();

beforeAll(async () => {
  const zeros = Buffer.alloc(100 * MiB);
  gzipBomb = zlib.gzipSync(zeros, { level: 9 });
  brotliBomb = zlib.brotliCompressSync(zeros);
  srv = await serve((req, res) => {
    switch (req.url) {
      case '/gzip':
        res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip', 'content-length': gzipBomb.length });
        return res.end(gzipBomb);
      case '/br':
        res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'br', 'content-length': brotliBomb.length });
        return res.end(brotliBomb);
      case '/drip': {
        res.writeHead(200, { 'content-type': 'text/html' });
        let ticks = 0;
        const t = setInterval(() => {
          if (++ticks > 40 || res.destroyed) {
            clearInterval(t);
            timers.delete(t);
            return res.end();
          }
          res.write('x');
        }, 500);
        timers.add(t);
        return;
      }
      case '/silent':
        return; // accept, never answer
      case '/big': {
        res.writeHead(200, { 'content-type': 'text/html' }); // chunked, no content-length
        const chunk = Buffer.alloc(64 * 1024, 'a');
        let sent = 0;
        const pump = (): void => {
          while (sent < 50 * MiB && !res.destroyed) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        return pump();
      }
      case '/announced':
        res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(1024 * 1024 * 1024) });
        return res.write('a'); // then nothing
      case '/binary':
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(10 * MiB) });
        return res.write(Buffer.alloc(1024));
      case '/image':
        res.writeHead(200, { 'content-type': 'image/jpeg' });
        return res.write(Buffer.alloc(1024));
      case '/hugefeed': {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        const head = '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>';
        const item = (i: number): string => `<item><title>Item ${i}</title><link>https://example.com/${i}</link><description>${'lorem ipsum '.repeat(45)}</description></item>`;
        res.write(head);
        let i = 0;
        const pump = (): void => {
          while (i < 50_000 && !res.destroyed) {
            if (!res.write(item(i++))) return void res.once('drain', pump);
          }
          res.end('</channel></rss>');
        };
        return pump();
      }
      default:
        res.writeHead(404).end();
    }
  });
});
afterAll(async () => {
  for (const t of timers) clearInterval(t);
  await srv.close();
});

async function failure(p: Promise<unknown>): Promise<PermanentError | TransientError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err instanceof PermanentError || err instanceof TransientError).toBe(true);
  return err as PermanentError | TransientError;
}

describe('L1 compression bombs', () => {
  it.each(['/gzip', '/br'])('%s (100 MiB decoded) is cut at the 5 MiB decoded cap within 1 s', async (path) => {
    const f = testFetcher([srv.port]);
    const rss0 = process.memoryUsage.rss();
    const t0 = performance.now();
    const err = await failure(f.fetch({ url: srv.url(path), kind: 'page' }));
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(err).toBeInstanceOf(PermanentError);
    expect(err.code).toBe('too_large');
    expect(err.message).toMatch(/^fetch: body exceeds 5 MiB \(http:\/\/127\.0\.0\.1:\d+\//);
    expect(process.memoryUsage.rss() - rss0).toBeLessThan(50 * MiB);
    await f.close();
  });
});

describe('L2 drip feed', () => {
  it('aborts at the total deadline and hangs up (server sees close)', async () => {
    const f = testFetcher([srv.port], { totalTimeoutMs: 1500, headersTimeoutMs: 1000 });
    const closed0 = srv.closed;
    const t0 = performance.now();
    const err = await failure(f.fetch({ url: srv.url('/drip'), kind: 'page' }));
    const took = performance.now() - t0;
    expect(err).toBeInstanceOf(TransientError);
    expect(err.code).toBe('timeout');
    expect(took).toBeGreaterThanOrEqual(1400);
    expect(took).toBeLessThan(4000);
    expect(await until(() => srv.closed > closed0, 3000)).toBe(true);
    await f.close();
  });
});

describe('L3 no response headers', () => {
  it('fails with headers_timeout', async () => {
    const f = testFetcher([srv.port], { headersTimeoutMs: 500, totalTimeoutMs: 5000 });
    const t0 = performance.now();
    const err = await failure(f.fetch({ url: srv.url('/silent'), kind: 'page' }));
    expect(err).toBeInstanceOf(TransientError);
    expect(err.code).toBe('headers_timeout');
    expect(performance.now() - t0).toBeLessThan(10_000);
    await f.close();
  });
});

describe('L4 endless body without Content-Length', () => {
  it('is cut at the cap as too_large (permanent: not retried)', async () => {
    const f = testFetcher([srv.port]);
    const err = await failure(f.fetch({ url: srv.url('/big'), kind: 'page' }));
    expect(err).toBeInstanceOf(PermanentError);
    expect(err.code).toBe('too_large');
    await f.close();
  });
});

describe('L5 announced 1 GB', () => {
  it('is rejected from the header, before reading', async () => {
    const f = testFetcher([srv.port]);
    const t0 = performance.now();
    const err = await failure(f.fetch({ url: srv.url('/announced'), kind: 'page' }));
    expect(err.code).toBe('too_large');
    expect(err.message).toMatch(/content-length/);
    expect(performance.now() - t0).toBeLessThan(1000);
    await f.close();
  });
});

describe('L6 non-HTML content type for an article', () => {
  it.each(['/binary', '/image'])('%s is skipped without reading the body', async (path) => {
    const f = testFetcher([srv.port]);
    const err = await failure(f.fetch({ url: srv.url(path), kind: 'page' }));
    expect(err).toBeInstanceOf(PermanentError);
    expect(err.code).toBe('wrong_type');
    await f.close();
  });
});

describe('L7 huge feed', () => {
  it('a 50 000-item (~30 MiB) feed stops at the byte cap well within the budget', async () => {
    const f = testFetcher([srv.port]);
    const t0 = performance.now();
    const err = await failure(f.fetch({ url: srv.url('/hugefeed'), kind: 'feed' }));
    expect(err.code).toBe('too_large');
    expect(performance.now() - t0).toBeLessThan(3000);
    await f.close();
  });
});
