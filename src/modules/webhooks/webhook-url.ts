// Webhook URLs must reach the public internet: a seller must not make our workers call into our
// own network (SSRF). Checked when a webhook is created and again on every connection, after DNS.
import ipaddr from 'ipaddr.js';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

export const MAX_WEBHOOK_URL_LENGTH = 2048;

/**
 * IPv6 ranges that carry or reach IPv4 (NAT64 of RFC 6052 and RFC 8215, 6to4, Teredo,
 * IPv4-translated, IPv4-compatible) or are deprecated site-local: a webhook never needs them,
 * and each could lead to an internal IPv4 address through a gateway, so all are refused.
 */
const IPV6_REFUSED_RANGES = ['rfc6052', 'rfc6145', '6to4', 'teredo'];
const IPV6_REFUSED_CIDRS = (['::/96', '64:ff9b:1::/48', 'fec0::/10'] as const).map((cidr) => ipaddr.IPv6.parseCIDR(cidr));

/**
 * True for every address that is not plain public unicast: loopback, private, link-local,
 * carrier-grade NAT, multicast, reserved and documentation ranges (ipaddr.js's range table),
 * and the IPv6 forms above. An IPv4-mapped IPv6 address (::ffff:127.0.0.1) is judged as its IPv4.
 */
export function isPrivateAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return true;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  if (parsed.kind() === 'ipv4') return parsed.range() !== 'unicast';
  const v6 = parsed as ipaddr.IPv6;
  if (IPV6_REFUSED_RANGES.includes(v6.range()) || IPV6_REFUSED_CIDRS.some((cidr) => v6.match(cidr))) return true;
  return v6.range() !== 'unicast';
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
