/** The pure parts of authentication: Digest parsing and hashing, CIDR matching, bounded nonce and token tables. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AccessList, parseCidr, parseIp } from '../../src/auth/access-list.js';
import { digestResponse as serverResponse, ha1Of, parseDigestCredentials, sameDigest } from '../../src/auth/digest.js';
import { NonceTable } from '../../src/auth/nonces.js';
import { TokenStore } from '../../src/auth/tokens.js';
import { createClock } from '../../src/core/clock.js';
import { createRandom } from '../../src/core/random.js';
import { digestResponse as clientResponse } from '../helpers/digest.js';

describe('parseDigestCredentials', () => {
  it('reads quoted and bare values, escapes, any spacing and case of names', () => {
    expect(parseDigestCredentials('Digest username="a\\"b", Realm="MMS Public API",nonce=abc ,  nc=00000001,qop="auth", algorithm="MD5"')).toEqual({
      username: 'a"b',
      realm: 'MMS Public API',
      nonce: 'abc',
      nc: '00000001',
      qop: 'auth',
      algorithm: 'MD5',
    });
    expect(parseDigestCredentials('digest uri="/a/b?c=d,e"')).toEqual({ uri: '/a/b?c=d,e' });
  });

  it.each([
    ['Digest', 'no parameters'],
    ['Digest ', 'no parameters'],
    ['Digestusername="a"', 'no space after the scheme'],
    ['Digest username="a', 'unterminated quote'],
    ['Digest username="a" realm="b"', 'no comma between parameters'],
    ['Digest username="a", username="b"', 'a repeated parameter'],
    ['Digest =x', 'a parameter without a name'],
    ['Digest user name="a"', 'a space inside a name'],
    ['Basic abc', 'another scheme'],
  ])('refuses %j (%s)', (header) => {
    expect(parseDigestCredentials(header)).toBeUndefined();
  });

  it('computes the RFC 7616 response like an independent client (and the RFC 2617 §3.5 example)', () => {
    const i = { username: 'Mufasa', password: 'Circle Of Life', realm: 'testrealm@host.com', nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', uri: '/dir/index.html', nc: 1, cnonce: '0a4f113b', method: 'GET' };
    const server = serverResponse(ha1Of(i.username, i.realm, i.password), { ...i, nc: '00000001', qop: 'auth' });
    expect(server).toBe(clientResponse(i));
    expect(server).toBe('6629fae49393a05397450978507c4ef1');
  });

  it('compares digests in constant time, case-insensitively, refusing other lengths', () => {
    expect(sameDigest('6629fae49393a05397450978507c4ef1', '6629FAE49393A05397450978507C4EF1')).toBe(true);
    expect(sameDigest('6629fae49393a05397450978507c4ef1', '6629fae49393a05397450978507c4ef2')).toBe(false);
    expect(sameDigest('6629fae49393a05397450978507c4ef1', '6629fae4')).toBe(false);
    expect(sameDigest('6629fae49393a05397450978507c4ef1', 'İ'.repeat(32))).toBe(false);
  });
});

describe('access lists', () => {
  it.each([
    ['203.0.113.0/24', '203.0.113.9', true],
    ['203.0.113.0/24', '203.0.114.9', false],
    ['203.0.113.7', '203.0.113.7', true],
    ['203.0.113.7', '203.0.113.8', false],
    ['10.0.0.0/8', '::ffff:10.200.0.1', true],
    ['0.0.0.0/0', '192.0.2.1', true],
    ['192.0.2.128/25', '192.0.2.127', false],
    ['192.0.2.128/25', '192.0.2.200', true],
    ['2001:db8::/32', '2001:db8:ffff::1', true],
    ['2001:db8::/32', '2001:db9::1', false],
    ['2001:db8::/33', '2001:db8:8000::1', false],
    ['::1', '::1', true],
    ['::/0', '2001:db8::1', true],
    ['::/0', '127.0.0.1', false],
    ['fe80::/10', 'fe80::1%eth0', true],
    ['2001:db8::1.2.3.4/128', '2001:db8::102:304', true],
  ])('%s contains %s: %s', (cidr, ip, expected) => {
    expect(AccessList.compile([cidr]).allows(ip)).toBe(expected);
  });

  it.each(['300.0.0.1', '1.2.3', '1.2.3.4/33', '2001:db8::/129', ':::1', '1::2::3', '1:2:3:4:5:6:7:8:9', 'g::1', '', 'abc'])('refuses %j', (bad) => {
    expect(parseCidr(bad)).toBeUndefined();
  });

  it('an unparsable client address is never allowed', () => {
    expect(parseIp('unknown')).toBeUndefined();
    expect(AccessList.compile(['0.0.0.0/0']).allows('unknown')).toBe(false);
  });
});

describe('NonceTable', () => {
  it('issues 32 base64-alphabet characters from the seeded source, reproducibly', () => {
    const make = () => new NonceTable(createClock({ mode: 'manual', start: 0 }), createRandom(3));
    const a = make();
    const b = make();
    const first = a.issue();
    expect(first).toMatch(/^[A-Za-z0-9+/]{32}$/);
    expect(b.issue()).toBe(first);
    expect(a.issue()).not.toBe(first);
  });

  it('stays bounded: expired nonces are dropped on issue, the oldest past the maximum', () => {
    const clock = createClock({ mode: 'manual', start: 0 });
    const t = new NonceTable(clock, createRandom(1), 1000, 3);
    const n1 = t.issue();
    t.issue();
    t.issue();
    t.issue();
    expect(t.size).toBe(3);
    expect(t.use(n1, 1)).toBe('stale'); // forgotten: answered like an expired nonce
    clock.advanceBy(1000);
    t.issue();
    expect(t.size).toBe(1);
  });

  it('keeps exactly the newest nonces past the maximum, over many wraps, with expiry and uses between', () => {
    const clock = createClock({ mode: 'manual', start: 0 });
    const t = new NonceTable(clock, createRandom(2), 1000, 5);
    const issued: string[] = [];
    for (let i = 0; i < 23; i++) issued.push(t.issue());
    expect(t.size).toBe(5);
    expect(issued.slice(0, 18).map((n) => t.use(n, 1))).toEqual(Array(18).fill('stale'));
    expect(issued.slice(18).map((n) => t.use(n, 1))).toEqual(Array(5).fill('ok'));
    // Two more push out the two oldest; once past their time, two others are dropped by their use, and the
    // next issue drops them from the ring with the last expired one.
    clock.advanceBy(600);
    const late = [t.issue(), t.issue()];
    clock.advanceBy(400);
    expect([t.use(issued[20]!, 2), t.use(issued[21]!, 2)]).toEqual(['stale', 'stale']);
    const next = t.issue();
    expect(t.size).toBe(3);
    expect([...late, next].map((n) => t.use(n, 1))).toEqual(['ok', 'ok', 'ok']);
    for (let i = 0; i < 7; i++) t.issue();
    expect(t.size).toBe(5);
    expect([...late, next].map((n) => t.use(n, 2))).toEqual(['stale', 'stale', 'stale']);
  });

  it('counts: increasing accepted, equal or lower refused; expiry by the clock', () => {
    const clock = createClock({ mode: 'manual', start: 0 });
    const t = new NonceTable(clock, createRandom(1), 1000);
    const n = t.issue();
    expect([t.use(n, 1), t.use(n, 1), t.use(n, 3), t.use(n, 2), t.use(n, 4)]).toEqual(['ok', 'replay', 'ok', 'replay', 'ok']);
    clock.advanceBy(999);
    expect(t.use(n, 5)).toBe('ok');
    clock.advanceBy(1);
    expect(t.use(n, 6)).toBe('stale');
  });
});

describe('TokenStore', () => {
  it('stays bounded: expired tokens are dropped on issue, the oldest past the maximum', () => {
    const clock = createClock({ mode: 'manual', start: 0 });
    const t = new TokenStore(clock, 1, 2);
    const a = t.issue('c').accessToken;
    const b = t.issue('c').accessToken;
    const c = t.issue('c').accessToken;
    expect(t.size).toBe(2);
    expect([t.resolve(a), t.resolve(b), t.resolve(c)]).toEqual([undefined, 'c', 'c']);
    clock.advanceBy(3_600_000);
    t.issue('c');
    expect(t.size).toBe(1);
  });

  it('resolves and revokes the whole token only, not another string ending in its signature', () => {
    const clock = createClock({ mode: 'manual', start: 0 });
    const t = new TokenStore(clock, 1);
    const token = t.issue('c').accessToken;
    const [head, payload, signature] = token.split('.') as [string, string, string];
    const lookalikes = [signature, `.${signature}`, `${head}.${payload}x.${signature}`, `x${token}`, `${token} `, token.slice(1)];
    for (const other of lookalikes) {
      expect(t.resolve(other)).toBeUndefined();
      expect(t.revoke(other, 'c')).toBe(false);
    }
    expect(t.revoke(token, 'other-client')).toBe(false);
    expect(t.resolve(token)).toBe('c');
    expect(t.revoke(token, 'c')).toBe(true);
    expect(t.resolve(token)).toBeUndefined();
  });

  it('signs with a key of the seed: another seed does not verify', () => {
    const clock = createClock({ mode: 'manual', start: 0 });
    const token = new TokenStore(clock, 1).issue('c').accessToken;
    expect(new TokenStore(clock, 1).verify(token)?.sub).toBe('c');
    expect(new TokenStore(clock, 2).verify(token)).toBeUndefined();
  });
});

/** The parser as it was before it went by character code: the reference for the property below. */
function parseDigestCredentialsReference(header: string): Record<string, string> | undefined {
  const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
  let i = 0;
  const n = header.length;
  const skipWs = () => {
    while (i < n && (header[i] === ' ' || header[i] === '\t')) i++;
  };
  skipWs();
  if (header.slice(i, i + 6).toLowerCase() !== 'digest') return undefined;
  i += 6;
  if (i >= n || (header[i] !== ' ' && header[i] !== '\t')) return undefined;
  const out: Record<string, string> = Object.create(null);
  let count = 0;
  for (;;) {
    while (i < n && (header[i] === ' ' || header[i] === '\t' || header[i] === ',')) i++;
    if (i >= n) break;
    const nameStart = i;
    while (i < n && TOKEN_CHAR.test(header[i]!)) i++;
    if (i === nameStart) return undefined;
    const name = header.slice(nameStart, i).toLowerCase();
    skipWs();
    if (header[i] !== '=') return undefined;
    i++;
    skipWs();
    let value = '';
    if (header[i] === '"') {
      i++;
      let closed = false;
      while (i < n) {
        const c = header[i]!;
        if (c === '\\' && i + 1 < n) {
          value += header[i + 1];
          i += 2;
        } else if (c === '"') {
          i++;
          closed = true;
          break;
        } else {
          value += c;
          i++;
        }
      }
      if (!closed) return undefined;
    } else {
      const start = i;
      while (i < n && TOKEN_CHAR.test(header[i]!)) i++;
      value = header.slice(start, i);
    }
    if (name in out) return undefined;
    out[name] = value;
    count++;
    skipWs();
    if (i < n && header[i] !== ',') return undefined;
  }
  return count > 0 ? out : undefined;
}

describe('parseDigestCredentials by character code', () => {
  it('parses exactly like the character-by-character reference, on real and mangled headers', () => {
    const piece = fc.constantFrom(' ', '\t', ',', '=', '"', '\\', 'a', 'Z', '0', '-', '.', '/', ':', '@', 'é', '\u0000', '😀', 'nc', 'uri', 'Digest', 'digest ', '=""', '="a\\"b"', '="x,y"');
    const mangled = fc.array(piece, { maxLength: 30 }).map((a) => a.join(''));
    const real = fc
      .record({
        user: fc.string({ maxLength: 8 }),
        uri: fc.string({ maxLength: 12 }),
        nc: fc.stringMatching(/^[0-9a-f]{8}$/),
        sep: fc.constantFrom(', ', ',', ' , ', ',\t'),
        quoteAlg: fc.boolean(),
      })
      .map((r) => `Digest username="${r.user.replace(/["\\]/g, (c) => `\\${c}`)}"${r.sep}realm="MMS Public API"${r.sep}nonce="abc"${r.sep}uri="${r.uri}"${r.sep}algorithm=${r.quoteAlg ? '"MD5"' : 'MD5'}${r.sep}response="0123456789abcdef0123456789abcdef"${r.sep}qop=auth${r.sep}nc=${r.nc}${r.sep}cnonce="c"`);
    const header = fc.oneof(real, mangled.map((m) => `Digest ${m}`), mangled, fc.tuple(real, mangled).map(([a, b]) => a + b), fc.string({ unit: 'binary', maxLength: 40 }));
    fc.assert(
      fc.property(header, (h) => {
        expect(parseDigestCredentials(h)).toEqual(parseDigestCredentialsReference(h));
      }),
      { numRuns: 20_000 },
    );
  });
});
