import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, isPrivateAddress, literalAddressRefused } from '../../src/modules/webhooks/webhook-url.js';

const REFUSED = 'The URL must not point to a private, loopback or link-local address';
const strict = { allowPrivate: false };

describe('the SSRF check (ipaddr.js ranges)', () => {
  it.each([
    ['IPv4-compatible, dotted', 'http://[::127.0.0.1]/x'],
    ['IPv4-compatible, hex', 'http://[::7f00:1]/x'],
    ['IPv4-compatible 10/8', 'http://[::a00:1]/x'],
    ['6to4 of 127.0.0.1', 'http://[2002:7f00:1::]/x'],
    ['6to4 of a public address', 'http://[2002:808:808::1]/x'],
    ['Teredo', 'http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/x'],
    ['NAT64 (RFC 6052)', 'http://[64:ff9b::7f00:1]/x'],
    ['local-use NAT64 (RFC 8215)', 'http://[64:ff9b:1::a00:1]/x'],
    ['IPv4-translated', 'http://[::ffff:0:7f00:1]/x'],
    ['IPv4-mapped loopback', 'http://[::ffff:7f00:1]/x'],
    ['IPv4-mapped metadata', 'http://[::ffff:169.254.169.254]/x'],
    ['site-local (deprecated)', 'http://[fec0::1]/x'],
    ['discard-only', 'http://[100::1]/x'],
    ['documentation IPv6', 'http://[2001:db8::1]/x'],
    ['unique local', 'http://[fd12:3456::1]/x'],
    ['link-local IPv6', 'http://[fe80::1]/x'],
    ['multicast IPv6', 'http://[ff02::1]/x'],
    ['unspecified IPv6', 'http://[::]/x'],
    ['loopback IPv6', 'http://[::1]/x'],
    ['loopback, octal', 'http://0177.0.0.1/x'],
    ['loopback, one number', 'http://2130706433/x'],
    ['loopback, short', 'http://127.1/x'],
    ['"this" network', 'http://0.1.2.3/x'],
    ['carrier-grade NAT', 'http://100.64.0.1/x'],
    ['benchmarking', 'http://198.18.0.1/x'],
    ['documentation IPv4', 'http://203.0.113.9/x'],
    ['IETF protocol assignments', 'http://192.0.0.8/x'],
    ['multicast', 'http://224.0.0.1/x'],
    ['broadcast', 'http://255.255.255.255/x'],
    ['reserved', 'http://240.0.0.1/x'],
    ['cloud metadata', 'http://169.254.169.254/latest/meta-data'],
  ])('refuses %s (%s)', async (_name, url) => {
    expect(await checkWebhookUrl(url, strict)).toBe(REFUSED);
    expect(literalAddressRefused(url, false)).toBe(true); // and again at delivery, for IP literals
  });

  it.each(['http://93.184.215.14/hook', 'http://[2606:4700:4700::1111]/hook', 'http://[::ffff:8.8.8.8]/hook', 'https://1.1.1.1/hook'])('accepts the public address in %s', async (url) => {
    expect(await checkWebhookUrl(url, strict)).toBeNull();
    expect(literalAddressRefused(url, false)).toBe(false);
  });

  it('lets private addresses through only when allowed (development and tests)', async () => {
    expect(await checkWebhookUrl('http://[::7f00:1]/x', { allowPrivate: true })).toBeNull();
    expect(literalAddressRefused('http://[2002:7f00:1::]/x', true)).toBe(false);
  });

  it('treats what is not an address as private', () => {
    expect(isPrivateAddress('not-an-ip')).toBe(true);
    expect(isPrivateAddress('')).toBe(true);
  });
});
