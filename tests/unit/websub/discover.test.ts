// Hub discovery and signatures: pure functions over untrusted input.
import { describe, expect, it } from 'vitest';
import { findHubLinks } from '../../../src/websub/discover.js';
import { signBody, verifySignature } from '../../../src/websub/signature.js';
import { isPublicBaseUrl } from '../../../src/websub/config.js';
import { subscriptionDue } from '../../../src/websub/lease.js';

describe('hub discovery', () => {
  it('reads rel=hub and rel=self from the Link header and from atom:link elements, resolving relative URLs', () => {
    expect(findHubLinks('', { link: '<https://hub.example/>; rel="hub", </feed.xml>; rel="self"' }, 'https://site.example/x')).toEqual({ hub: 'https://hub.example/', self: 'https://site.example/feed.xml' });
    const atom = `<feed xmlns="http://www.w3.org/2005/Atom"><link rel='hub' href='https://pubsubhubbub.appspot.com/'/><link href="https://s.example/a?x=1&amp;y=2" rel="self"/></feed>`;
    expect(findHubLinks(Buffer.from(atom), {}, 'https://s.example/a')).toEqual({ hub: 'https://pubsubhubbub.appspot.com/', self: 'https://s.example/a?x=1&y=2' });
  });
  it('ignores non-http(s) hubs and never throws on junk', () => {
    expect(findHubLinks('<link rel="hub" href="javascript:alert(1)"/>', {}, 'https://s.example/')).toEqual({});
    for (const junk of ['<link', '<link rel=hub href=>', '\u0000'.repeat(100), '<link rel="hub" href="http://[::1"/>']) expect(() => findHubLinks(junk, { link: junk }, 'https://s.example/')).not.toThrow();
  });
});

describe('X-Hub-Signature', () => {
  it('accepts the right HMAC in every method and refuses everything else', () => {
    const body = Buffer.from('<rss/>');
    for (const m of ['sha1', 'sha256', 'sha384', 'sha512']) expect(verifySignature(signBody('s3cret', body, m), 's3cret', body)).toBe(true);
    expect(verifySignature(signBody('other', body), 's3cret', body)).toBe(false);
    expect(verifySignature(signBody('s3cret', '<rss/> '), 's3cret', body)).toBe(false);
    for (const bad of [undefined, '', 'sha256=', 'md5=abcd', 'sha256=zz', signBody('s3cret', body).slice(0, 20)]) expect(verifySignature(bad, 's3cret', body)).toBe(false);
  });
});

describe('when to subscribe', () => {
  it('only a public base URL is offered to hubs', () => {
    expect(isPublicBaseUrl('https://news.example.org/')).toBe(true);
    expect(isPublicBaseUrl('http://127.0.0.1:8080/')).toBe(false);
    expect(isPublicBaseUrl('http://localhost/')).toBe(false);
    expect(isPublicBaseUrl('http://10.1.2.3/')).toBe(false);
    expect(isPublicBaseUrl('http://wirewatch.lan/')).toBe(false);
    expect(isPublicBaseUrl(undefined)).toBe(false);
  });
  it('subscribe when new, renew near the end of the lease, retry a failure with backoff', () => {
    const now = new Date('2026-12-07T12:00:00Z');
    const row = { feed_id: 'f', hub: 'https://h/', topic: 'https://t/', secret: 's', state: 'active', lease_s: 86_400, expires_at: '2026-12-08T12:00:00.000Z',
      requested_at: '2026-12-07T12:00:00.000Z', verified_at: null, last_push_at: null, pushes: 0, failures: 0, error: null, updated_at: '' };
    expect(subscriptionDue(undefined, 'https://h/', 'https://t/', now)).toBe('subscribe');
    expect(subscriptionDue(row, 'https://h/', 'https://t/', now)).toBeUndefined();
    expect(subscriptionDue(row, 'https://h2/', 'https://t/', now)).toBe('subscribe');
    expect(subscriptionDue(row, 'https://h/', 'https://t/', new Date('2026-12-08T11:30:00Z'))).toBe('renew');
    const failed = { ...row, state: 'failed', failures: 2 };
    expect(subscriptionDue(failed, 'https://h/', 'https://t/', new Date('2026-12-07T12:20:00Z'))).toBeUndefined();
    expect(subscriptionDue(failed, 'https://h/', 'https://t/', new Date('2026-12-07T12:31:00Z'))).toBe('subscribe');
  });
});
