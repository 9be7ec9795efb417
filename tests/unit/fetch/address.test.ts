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
