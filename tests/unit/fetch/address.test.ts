// The SSRF address policy: what counts as private, allow-lists, and the pre-connection URL check.
import { describe, expect, it } from 'vitest';
import { PermanentError } from '../../../src/errors.js';
import { addressAllowed, checkUrl, type AddressPolicy } from '../../../src/fetch/address.js';

const strict: AddressPolicy = { allowPrivateNetworks: false, allowedPorts: [80, 443] };

describe('addressAllowed', () => {
  it.each([
    '127.0.0.1', '127.0.0.2', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0',
    '224.0.0.1', '255.255.255.255', '::1', '::', 'fc00::1', 'fe80::1', '::ffff:127.0.0.2', '::ffff:10.0.0.1', '2002:7f00:1::1',
  ])('%s is private', (ip) => expect(addressAllowed(ip, strict)).toBe(false));

  it.each(['8.8.8.8', '93.184.216.34', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('%s is public', (ip) => expect(addressAllowed(ip, strict)).toBe(true));

  it('honours allowPrivateNetworks, allowHosts (host, IP, CIDR) and treatAsPublic', () => {
    expect(addressAllowed('10.0.0.5', { ...strict, allowPrivateNetworks: true })).toBe(true);
    expect(addressAllowed('10.0.0.5', { ...strict, allowHosts: ['10.0.0.0/8'] })).toBe(true);
    expect(addressAllowed('10.0.0.5', { ...strict, allowHosts: ['10.0.0.5'] })).toBe(true);
    expect(addressAllowed('10.0.0.5', { ...strict, allowHosts: ['intranet.local'] }, 'intranet.local')).toBe(true);
    expect(addressAllowed('10.0.0.5', { ...strict, allowHosts: ['192.168.0.0/16'] })).toBe(false);
    expect(addressAllowed('127.0.0.1', { ...strict, treatAsPublic: ['127.0.0.1'] })).toBe(true);
    expect(addressAllowed('127.0.0.2', { ...strict, treatAsPublic: ['127.0.0.1'] })).toBe(false);
    expect(addressAllowed('not-an-ip', { ...strict, allowPrivateNetworks: true })).toBe(false);
  });
});

describe('checkUrl', () => {
  const code = (url: string, p: AddressPolicy = strict): string => {
    try {
      checkUrl(url, p);
      return 'ok';
    } catch (err) {
      return (err as PermanentError).code;
    }
  };
  it('classifies URLs before anything is opened', () => {
    expect(code('https://example.com/a')).toBe('ok');
    expect(code('http://example.com:8080/')).toBe('bad_port');
    expect(code('http://example.com:8080/', { ...strict, allowedPorts: [8080] })).toBe('ok');
    expect(code('http://u:p@example.com/')).toBe('userinfo');
    expect(code('ftp://example.com/')).toBe('bad_scheme');
    expect(code('not a url')).toBe('bad_url');
    expect(code('http://0x7f.1/')).toBe('ssrf_blocked');
    expect(code('http://[::ffff:7f00:2]/')).toBe('ssrf_blocked');
    expect(code('http://169.254.169.254/latest/meta-data/')).toBe('ssrf_blocked');
  });
});

describe('issue 13: IPv6 transition ranges and the port rule', () => {
  it.each([
    '::127.0.0.1', '::7f00:1', '::10.0.0.1', '::8.8.8.8', '::808:808', '64:ff9b::127.0.0.1', '64:ff9b::a00:1',
    '64:ff9b::169.254.169.254', '64:ff9b:1::808:808', '2002:a00:1::1', '2002:c0a8:101::', '2001::1',
  ])('%s is private', (ip) => expect(addressAllowed(ip, strict)).toBe(false));

  it.each(['64:ff9b::8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'])('%s embeds a public IPv4: public', (ip) =>
    expect(addressAllowed(ip, strict)).toBe(true),
  );

  it('blocks http://[::127.0.0.1]/ and the other embedded forms before connecting', () => {
    for (const u of ['http://[::127.0.0.1]/', 'http://[::7f00:1]/', 'http://[64:ff9b::127.0.0.1]/', 'http://[2002:7f00:1::]/', 'http://[::10.1.2.3]/']) {
      expect(() => checkUrl(u, strict), u).toThrow(/blocked private address/);
    }
  });

  it('allow_private_networks lifts the address check only; loopback any-port is its own switch', () => {
    const open: AddressPolicy = { ...strict, allowPrivateNetworks: true };
    const code = (url: string, p: AddressPolicy): string => {
      try {
        checkUrl(url, p);
        return 'ok';
      } catch (err) {
        return (err as PermanentError).code;
      }
    };
    expect(code('http://10.0.0.5/', open)).toBe('ok');
    expect(code('http://10.0.0.5:6379/', open)).toBe('bad_port');
    expect(code('http://127.0.0.1:6379/', open)).toBe('bad_port');
    const local: AddressPolicy = { ...open, allowLoopbackAnyPort: true };
    expect(code('http://127.0.0.1:45678/', local)).toBe('ok');
    expect(code('http://[::1]:45678/', local)).toBe('ok');
    expect(code('http://localhost:45678/', local)).toBe('ok');
    expect(code('http://10.0.0.5:6379/', local)).toBe('bad_port');
    expect(code('http://intranet.example:6379/', local)).toBe('bad_port');
  });
});
