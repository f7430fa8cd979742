import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyAddress, ipFromHostname, isForbiddenAddress } from '../../../src/adapters/http/address.js';

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['250.1.2.3', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['192.0.0.8', 'reserved'],
    ['192.0.2.10', 'documentation'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.9', 'documentation'],
    ['2001:db8::1', 'documentation'],
    ['3fff::1', 'documentation'],
    ['2001::1', 'reserved'], // Teredo
    ['100::1', 'reserved'],
    ['4000::1', 'reserved'], // outside 2000::/3
    ['fec0::1', 'private'],
    ['64:ff9b:1::a00:1', 'private'],
    ['not-an-ip', 'invalid'],
    ['', 'invalid'],
    ['256.0.0.1', 'invalid'],
  ] as const)('%s is %s', (ip, cls) => {
    expect(classifyAddress(ip)).toBe(cls);
    expect(isForbiddenAddress(ip)).toBe(true);
  });

  it.each(['8.8.8.8', '1.1.1.1', '203.0.114.1', '172.32.0.1', '100.128.0.1', '11.0.0.1', '2606:4700:4700::1111', '2a00:1450:4001::1', '64:ff9b::808:808', '2002:808:808::1', '::ffff:8.8.8.8'])(
    '%s is public',
    (ip) => {
      expect(classifyAddress(ip)).toBe('public');
      expect(isForbiddenAddress(ip)).toBe(false);
    },
  );

  it('judges IPv6 forms that carry an IPv4 address by the IPv4 inside', () => {
    expect(classifyAddress('::ffff:127.0.0.1')).toBe('loopback'); // IPv4-mapped
    expect(classifyAddress('::ffff:7f00:1')).toBe('loopback');
    expect(classifyAddress('[::ffff:a9fe:a9fe]')).toBe('link-local'); // 169.254.169.254
    expect(classifyAddress('::10.0.0.1')).toBe('private'); // IPv4-compatible (deprecated)
    expect(classifyAddress('::ffff:0:192.168.0.1')).toBe('private'); // SIIT
    expect(classifyAddress('64:ff9b::10.0.0.1')).toBe('private'); // NAT64
    expect(classifyAddress('64:ff9b::169.254.169.254')).toBe('link-local');
    expect(classifyAddress('2002:7f00:1::')).toBe('loopback'); // 6to4 of 127.0.0.1
    expect(classifyAddress('2002:c0a8:0101::1')).toBe('private'); // 6to4 of 192.168.1.1
  });

  it('accepts the odd IPv4 spellings URL parsers accept, with the same meaning', () => {
    for (const odd of ['2130706433', '0177.0.0.1', '0x7f.1', '0x7f000001', '127.1']) {
      expect(classifyAddress(odd)).toBe('loopback');
    }
    expect(classifyAddress('0xa9.0xfe.0xa9.0xfe')).toBe('link-local');
  });

  it('forbids every address in the non-public IPv4 ranges (property)', () => {
    // [network as a 32-bit number, prefix length]: RFC 1918, CGNAT, loopback, link-local,
    // "this network", multicast, reserved 240/4 (incl. broadcast).
    const ranges: Array<[number, number]> = [
      [0x0a000000, 8],
      [0xac100000, 12],
      [0xc0a80000, 16],
      [0x64400000, 10],
      [0x7f000000, 8],
      [0xa9fe0000, 16],
      [0x00000000, 8],
      [0xe0000000, 4],
      [0xf0000000, 4],
    ];
    const inRange = fc
      .tuple(fc.constantFrom(...ranges), fc.integer({ min: 0, max: 0xffffffff }))
      .map(([[base, bits], rnd]) => {
        const hostMask = 0xffffffff >>> bits;
        return ((base & ~hostMask) | (rnd & hostMask)) >>> 0;
      });
    fc.assert(
      fc.property(inRange, (n) => {
        const ip = toDotted(n);
        expect(isForbiddenAddress(ip)).toBe(true);
        expect(isForbiddenAddress(`::ffff:${ip}`)).toBe(true);
        expect(isForbiddenAddress(`64:ff9b::${ip}`)).toBe(true);
        expect(isForbiddenAddress(String(n))).toBe(true); // the single-number spelling
      }),
      { numRuns: 2000 },
    );
  });

  it('classifies any IPv4 address consistently with its IPv4-mapped form (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (n) => {
        const ip = toDotted(n);
        const cls = classifyAddress(ip);
        expect(cls).not.toBe('invalid');
        expect(classifyAddress(`::ffff:${ip}`)).toBe(cls);
        const inPrivate = n >>> 24 === 10 || n >>> 20 === 0xac1 || n >>> 16 === 0xc0a8;
        if (inPrivate) expect(cls).toBe('private');
        if (n >>> 24 === 127) expect(cls).toBe('loopback');
      }),
      { numRuns: 5000 },
    );
  });
});

describe('ipFromHostname', () => {
  it('recognises URL-normalised IP literals and nothing else', () => {
    expect(ipFromHostname(new URL('http://2130706433/').hostname)).toBe('127.0.0.1');
    expect(ipFromHostname(new URL('http://0177.0.0.1/').hostname)).toBe('127.0.0.1');
    expect(ipFromHostname(new URL('http://0x7f.1/').hostname)).toBe('127.0.0.1');
    expect(ipFromHostname(new URL('http://[::ffff:127.0.0.1]/').hostname)).toBe('::ffff:7f00:1');
    expect(ipFromHostname(new URL('http://example.com@127.0.0.1/').hostname)).toBe('127.0.0.1');
    expect(ipFromHostname('kompas.com')).toBeUndefined();
    expect(ipFromHostname('127.0.0.1.nip.io')).toBeUndefined();
  });
});

function toDotted(n: number): string {
  return [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff].join('.');
}
