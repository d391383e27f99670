// Webhook URLs must reach the public internet: a seller must not make our workers call into our
// own network (SSRF). Checked when a webhook is created and again on every connection, after DNS.
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

export const MAX_WEBHOOK_URL_LENGTH = 2048;

const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this" network
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata lives here)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b::', 96], // NAT64 (embeds IPv4)
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv6');
}

/** True for loopback, private, link-local and other addresses that are not the public internet. */
export function isPrivateAddress(address: string): boolean {
  // IPv4-mapped IPv6 (::ffff:127.0.0.1, which URLs normalize to ::ffff:7f00:1) is judged as IPv4
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (dotted) return PRIVATE.check(dotted[1]!, 'ipv4');
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex) {
    const [high, low] = [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16)];
    return PRIVATE.check(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`, 'ipv4');
  }
  const family = isIP(address);
  if (family === 0) return true;
  return PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Why the URL cannot be a webhook, or null when it can (syntax only; see checkWebhookUrl). */
export function webhookUrlSyntaxError(raw: string): string | null {
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) return `The URL must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'The URL is not valid';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'The URL must use http or https';
  if (url.username !== '' || url.password !== '') return 'The URL must not contain credentials';
  if (url.hash !== '') return 'The URL must not contain a fragment';
  if (url.hostname === '') return 'The URL needs a host';
  return null;
}

const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '');

/** The addresses a host resolves to; an IP literal is its own address. */
async function addressesOf(host: string): Promise<string[]> {
  if (isIP(host) !== 0) return [host];
  return (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
}

/** Why the URL cannot be a webhook (syntax, or a host that resolves to a private address), or null. */
export async function checkWebhookUrl(raw: string, options: { allowPrivate: boolean }): Promise<string | null> {
  const syntax = webhookUrlSyntaxError(raw);
  if (syntax) return syntax;
  const host = hostOf(new URL(raw));
  let addresses: string[];
  try {
    addresses = await addressesOf(host);
  } catch {
    return `The host ${host} could not be resolved`;
  }
  if (!options.allowPrivate && addresses.some(isPrivateAddress)) return 'The URL must not point to a private, loopback or link-local address';
  return null;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | { address: string; family: number }[], family?: number) => void;

/**
 * A dns lookup for http.request that refuses private addresses, so a host that resolved to a
 * public address at creation cannot be re-pointed at our network later (DNS rebinding).
 */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    lookup(hostname, { all: true, verbatim: true })
      .then((found) => {
        const refused = !allowPrivate && found.some((a) => isPrivateAddress(a.address));
        if (refused || found.length === 0) {
          const error: NodeJS.ErrnoException = new Error(`refused to connect to ${hostname}: it resolves to a private address`);
          error.code = 'EPRIVATEADDRESS';
          return callback(error, '');
        }
        if (options.all) return callback(null, found);
        callback(null, found[0]!.address, found[0]!.family);
      })
      .catch((error: NodeJS.ErrnoException) => callback(error, ''));
  };
}

/** For IP-literal URLs (which skip the lookup): refuses private ones unless allowed. */
export function literalAddressRefused(raw: string, allowPrivate: boolean): boolean {
  const host = hostOf(new URL(raw));
  return !allowPrivate && isIP(host) !== 0 && isPrivateAddress(host);
}
