/**
 * IP address classification for the SSRF guard: which addresses a link from a stranger may make
 * the bot connect to. Only `public` is allowed by default; everything else (loopback, private,
 * link-local incl. cloud metadata 169.254.169.254, unspecified, multicast, documentation,
 * reserved, ...) is refused.
 *
 * IPv6 forms that carry an IPv4 address (IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d,
 * SIIT ::ffff:0:a.b.c.d, NAT64 64:ff9b::a.b.c.d, 6to4 2002:AABB:CCDD::) are judged by the IPv4
 * address inside. Parsing is ipaddr.js's; the ranges are listed here so the policy is explicit.
 */
import ipaddr from 'ipaddr.js';

export type AddressClass =
  | 'public'
  /** RFC 1918 (10/8, 172.16/12, 192.168/16), IPv6 site-local fec0::/10, local-use NAT64 64:ff9b:1::/48. */
  | 'private'
  /** Shared address space 100.64.0.0/10 (carrier-grade NAT, RFC 6598). */
  | 'cgnat'
  | 'loopback'
  /** 169.254/16 (incl. cloud metadata 169.254.169.254), fe80::/10. */
  | 'link-local'
  /** 0.0.0.0/8, ::. */
  | 'unspecified'
  | 'multicast'
  /** 255.255.255.255. */
  | 'broadcast'
  /** IPv6 unique local addresses fc00::/7. */
  | 'unique-local'
  /** 192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32, 3fff::/20. */
  | 'documentation'
  /** 240/4, benchmarking, IETF protocol assignments, Teredo, discard-only, outside 2000::/3, ... */
  | 'reserved'
  /** Not an IP address at all. */
  | 'invalid';

type Range = readonly [cidr: string, cls: Exclude<AddressClass, 'public' | 'invalid'>];

/** First match wins. Everything else is public. */
const IPV4_RANGES: readonly Range[] = [
  ['0.0.0.0/8', 'unspecified'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'cgnat'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'], // IETF protocol assignments (DS-Lite, NAT64 discovery, ...)
  ['192.0.2.0/24', 'documentation'], // TEST-NET-1
  ['192.88.99.0/24', 'reserved'], // deprecated 6to4 relay anycast
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'reserved'], // benchmarking
  ['198.51.100.0/24', 'documentation'], // TEST-NET-2
  ['203.0.113.0/24', 'documentation'], // TEST-NET-3
  ['224.0.0.0/4', 'multicast'],
  ['255.255.255.255/32', 'broadcast'],
  ['240.0.0.0/4', 'reserved'],
];

/** IPv6 ranges that are never public. Checked after the IPv4-embedding forms below. */
const IPV6_RANGES: readonly Range[] = [
  ['64:ff9b:1::/48', 'private'], // local-use NAT64 (RFC 8215): embedding position unknown
  ['100::/64', 'reserved'], // discard-only
  ['2001:db8::/32', 'documentation'],
  ['2001::/23', 'reserved'], // IETF protocol assignments: Teredo, benchmarking, ORCHID, ...
  ['3fff::/20', 'documentation'], // RFC 9637
  ['fc00::/7', 'unique-local'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'private'], // deprecated site-local
  ['ff00::/8', 'multicast'],
];

type Parsed = ipaddr.IPv4 | ipaddr.IPv6;
const parseCidr = (cidr: string): [Parsed, number] => ipaddr.parseCIDR(cidr);
const V4 = IPV4_RANGES.map(([cidr, cls]) => ({ net: parseCidr(cidr), cls }));
const V6 = IPV6_RANGES.map(([cidr, cls]) => ({ net: parseCidr(cidr), cls }));
const GLOBAL_UNICAST_V6 = parseCidr('2000::/3');
/** Prefixes whose last 32 bits are an IPv4 address. */
const V4_IN_LAST_32 = ['::ffff:0:0/96', '::ffff:0:0:0/96', '64:ff9b::/96', '::/96'].map(parseCidr);
const SIX_TO_FOUR = parseCidr('2002::/16');

/**
 * Parses an IP address as a host may spell it: dotted quad (also the octal, hex and single
 * number forms `0177.0.0.1`, `0x7f.1`, `2130706433`), IPv6 with or without [brackets] and zone.
 * Undefined when it is not an IP address.
 */
export function parseIp(ip: string): Parsed | undefined {
  let s = ip.trim();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  if (!ipaddr.isValid(s)) return undefined;
  try {
    return ipaddr.parse(s);
  } catch {
    return undefined;
  }
}

/**
 * The IP address a URL hostname names literally (`127.0.0.1`, `[::1]`), in canonical form;
 * undefined for a domain name. Expects a WHATWG-normalised hostname (`new URL(...).hostname`),
 * where odd IPv4 spellings have already become dotted quads.
 */
export function ipFromHostname(hostname: string): string | undefined {
  if (hostname.startsWith('[') && hostname.endsWith(']')) {
    const inner = hostname.slice(1, -1);
    return ipaddr.IPv6.isValid(inner) ? ipaddr.IPv6.parse(inner).toString() : undefined;
  }
  return ipaddr.IPv4.isValidFourPartDecimal(hostname) ? hostname : undefined;
}

/** Classifies an IP address (any form parseIp accepts). */
export function classifyAddress(ip: string): AddressClass {
  const addr = parseIp(ip);
  return addr === undefined ? 'invalid' : classifyParsed(addr);
}

/** True unless the address is public: what the fetcher refuses when private addresses are not allowed. */
export function isForbiddenAddress(ip: string): boolean {
  return classifyAddress(ip) !== 'public';
}

function classifyParsed(addr: Parsed): AddressClass {
  if (addr.kind() === 'ipv4') return classifyV4(addr as ipaddr.IPv4);
  const v6 = addr as ipaddr.IPv6;
  const parts = v6.parts;
  if (parts.every((p) => p === 0)) return 'unspecified';
  if (parts.slice(0, 7).every((p) => p === 0) && parts[7] === 1) return 'loopback';
  if (V4_IN_LAST_32.some((net) => v6.match(net))) return classifyV4(v4FromParts(parts[6] ?? 0, parts[7] ?? 0));
  if (v6.match(SIX_TO_FOUR)) return classifyV4(v4FromParts(parts[1] ?? 0, parts[2] ?? 0));
  for (const { net, cls } of V6) if (v6.match(net)) return cls;
  if (!v6.match(GLOBAL_UNICAST_V6)) return 'reserved';
  return 'public';
}

function classifyV4(addr: ipaddr.IPv4): AddressClass {
  for (const { net, cls } of V4) if (addr.match(net)) return cls;
  return 'public';
}

function v4FromParts(hi: number, lo: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
}
