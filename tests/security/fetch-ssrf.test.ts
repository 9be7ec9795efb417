// SECURITY-TESTS S1–S7: the fetch client never connects to a private address, whatever the URL, DNS or redirect says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentError } from '../../src/errors.js';
import { createFetcher } from '../../src/fetch/client.js';
import { serve, testFetcher, type TestServer } from './helpers.js';

let target: TestServer;
let origin: TestServer;

beforeAll(async () => {
  // Target on every address (dual stack): 127.0.0.2 and ::1 reach it, so a connection would be counted.
  target = await serve((_req, res) => res.end('secret'), '::');
  origin = await serve((req, res) => {
    const m = /^\/redirect\?to=(.*)$/.exec(req.url ?? '');
    if (m) {
      res.writeHead(302, { location: decodeURIComponent(m[1]) });
      return res.end();
    }
    const r = /^\/r\/(\d+)$/.exec(req.url ?? '');
    if (r) {
      res.writeHead(302, { location: `/r/${Number(r[1]) + 1}` });
      return res.end();
    }
    if (req.url === '/loop') {
      res.writeHead(301, { location: '/loop' });
      return res.end();
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<p>ok</p>');
  });
});
afterAll(async () => {
  await target.close();
  await origin.close();
});

async function rejection(p: Promise<unknown>): Promise<PermanentError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PermanentError);
  return err as PermanentError;
}

describe('S1 cloud metadata literal', () => {
  it('blocks http://169.254.169.254/latest/meta-data/ before connecting', async () => {
    const f = createFetcher({ allowPrivateNetworks: false, lookup: async () => { throw new Error('must not resolve'); } });
    const err = await rejection(f.fetch({ url: 'http://169.254.169.254/latest/meta-data/', kind: 'page' }));
    expect(err.code).toBe('ssrf_blocked');
    expect(err.message).toMatch(/^fetch: .*169\.254\.169\.254/);
    await f.close();
  });
});

describe('S2 loopback literals', () => {
  it('blocks 127.0.0.2 and [::1] with zero connections to the target', async () => {
    const f = testFetcher([target.port]);
    for (const host of ['127.0.0.2', '::1']) {
      const err = await rejection(f.fetch({ url: target.url('/', host), kind: 'page' }));
      expect(err.code).toBe('ssrf_blocked');
    }
    expect(target.connections).toBe(0);
    await f.close();
  });
});

describe('S3 obfuscated literals', () => {
  it('normalises and blocks ::ffff:127.0.0.2, 2130706433, 0x7f.1, 127.1', async () => {
    // Default policy (127.0.0.1 is private here): the decimal/hex/short forms all normalise to 127.0.0.1.
    const f = createFetcher({ allowPrivateNetworks: false, allowedPorts: [80, 443, target.port] });
    for (const host of ['[::ffff:127.0.0.2]', '2130706433', '0x7f.1', '127.1']) {
      const err = await rejection(f.fetch({ url: `http://${host}:${target.port}/`, kind: 'page' }));
      expect(err.code).toBe('ssrf_blocked');
    }
    expect(target.connections).toBe(0);
    await f.close();
  });
});

describe('S4 hostnames resolving to private addresses', () => {
  it('blocks a rebinding answer (injected resolver → 127.0.0.2) at lookup', async () => {
    const f = testFetcher([target.port], { lookup: async () => [{ address: '127.0.0.2', family: 4 }] });
    const err = await rejection(f.fetch({ url: `http://rebind.example:${target.port}/`, kind: 'page' }));
    expect(err.code).toBe('ssrf_blocked');
    expect(target.connections).toBe(0);
    await f.close();
  });

  it('blocks a mixed answer (public + private) and localhost (::1 / 127.0.0.2 private)', async () => {
    const f = testFetcher([target.port], {
      lookup: async () => [
        { address: '127.0.0.1', family: 4 },
        { address: '::1', family: 6 },
      ],
    });
    const err = await rejection(f.fetch({ url: `http://localhost:${target.port}/`, kind: 'page' }));
    expect(err.code).toBe('ssrf_blocked');
    expect(target.connections).toBe(0);
    await f.close();
  });

  it('connects when the resolver answers with an allowed address (the check is not over-eager)', async () => {
    const f = testFetcher([origin.port], { lookup: async () => [{ address: '127.0.0.1', family: 4 }] });
    const res = await f.fetch({ url: `http://news.example:${origin.port}/`, kind: 'page' });
    expect(res.body.toString()).toBe('<p>ok</p>');
    await f.close();
  });
});

describe('S5 redirect to a private address', () => {
  it('re-validates the hop and blocks it, zero connections to the target', async () => {
    const f = testFetcher([origin.port, target.port]);
    const to = encodeURIComponent(target.url('/', '127.0.0.2'));
    const err = await rejection(f.fetch({ url: origin.url(`/redirect?to=${to}`), kind: 'page' }));
    expect(err.code).toBe('ssrf_blocked');
    expect(err.message).toMatch(/redirect to blocked address/);
    expect(target.connections).toBe(0);
    await f.close();
  });
});

describe('S6 scheme, userinfo and port policy', () => {
  it.each([
    ['file:///etc/passwd', 'bad_scheme'],
    ['gopher://127.0.0.1:70/_x', 'bad_scheme'],
    ['data:text/html,<p>x</p>', 'bad_scheme'],
  ])('refuses a redirect to %s', async (location, code) => {
    const f = testFetcher([origin.port]);
    const err = await rejection(f.fetch({ url: origin.url(`/redirect?to=${encodeURIComponent(location)}`), kind: 'page' }));
    expect(err.code).toBe(code);
    await f.close();
  });

  it.each([
    ['http://user:pass@example.com/', 'userinfo'],
    ['http://127.0.0.1:22/', 'bad_port'],
    ['http://127.0.0.1:6379/', 'bad_port'],
    ['ftp://example.com/', 'bad_scheme'],
  ])('refuses %s without opening anything', async (url, code) => {
    const f = testFetcher([], { lookup: async () => { throw new Error('must not resolve'); } });
    const err = await rejection(f.fetch({ url, kind: 'page' }));
    expect(err.code).toBe(code);
    expect(err.message).not.toContain('pass@');
    await f.close();
  });
});

describe('S7 redirect chains', () => {
  it('follows 5 redirects, stops at the 6th with too_many_redirects', async () => {
    const f = testFetcher([origin.port]);
    const err = await rejection(f.fetch({ url: origin.url('/r/0'), kind: 'page' }));
    expect(err.code).toBe('too_many_redirects');
    await f.close();
  });

  it('stops a redirect loop', async () => {
    const f = testFetcher([origin.port]);
    const err = await rejection(f.fetch({ url: origin.url('/loop'), kind: 'page' }));
    expect(err.code).toBe('too_many_redirects');
    await f.close();
  });

  it('a chain of exactly 5 succeeds', async () => {
    const f = testFetcher([origin.port], { maxRedirects: 5 });
    const srv = await serve((req, res) => {
      const n = Number((req.url ?? '/0').slice(1));
      if (n < 5) {
        res.writeHead(302, { location: `/${n + 1}` });
        return res.end();
      }
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('done');
    });
    const f2 = testFetcher([srv.port]);
    const res = await f2.fetch({ url: srv.url('/0'), kind: 'page' });
    expect(res.body.toString()).toBe('done');
    expect(res.url).toBe(srv.url('/5'));
    await Promise.all([f.close(), f2.close(), srv.close()]);
  });
});

describe('issue 13 smaller items: IPv4-compatible literals and the private-networks port rule', () => {
  it('blocks http://[::127.0.0.1]/ (IPv4-compatible ::/96) and NAT64 / 6to4 forms of loopback, zero connections', async () => {
    const f = createFetcher({ allowPrivateNetworks: false, allowedPorts: [80, 443, target.port] });
    for (const host of ['[::127.0.0.1]', '[::7f00:2]', '[64:ff9b::127.0.0.1]', '[2002:7f00:1::1]']) {
      const err = await rejection(f.fetch({ url: `http://${host}:${target.port}/`, kind: 'page' }));
      expect(err.code).toBe('ssrf_blocked');
    }
    expect(target.connections).toBe(0);
    await f.close();
  });

  it('allow_private_networks alone keeps the port list: a loopback test site on a random port is refused', async () => {
    const before = origin.connections;
    const f = createFetcher({ allowPrivateNetworks: true, allowedPorts: [80, 443] });
    const err = await rejection(f.fetch({ url: origin.url('/'), kind: 'page' }));
    expect(err.code).toBe('bad_port');
    expect(origin.connections).toBe(before);
    await f.close();
  });

  it('the --allow-private-networks switch (any port on loopback) reaches the local site by IP and by localhost', async () => {
    const f = createFetcher({ allowPrivateNetworks: true, allowLoopbackAnyPort: true, allowedPorts: [80, 443] });
    expect((await f.fetch({ url: origin.url('/'), kind: 'page' })).body.toString()).toBe('<p>ok</p>');
    expect((await f.fetch({ url: `http://localhost:${origin.port}/`, kind: 'page' })).body.toString()).toBe('<p>ok</p>');
    await f.close();
  });

  it('a host that is not loopback gets no port exemption, even when its name resolves to loopback', async () => {
    const f = createFetcher({ allowPrivateNetworks: true, allowLoopbackAnyPort: true, allowedPorts: [80, 443], lookup: async () => [{ address: '127.0.0.1', family: 4 }] });
    const err = await rejection(f.fetch({ url: `http://intranet.example:${origin.port}/`, kind: 'page' }));
    expect(err.code).toBe('bad_port');
    await f.close();
  });
});
