/**
 * IP access lists of principals (contract §5: 403 `IP_ADDRESS_NOT_ON_ACCESS_LIST`): CIDR blocks, IPv4 and
 * IPv6, or single addresses (a /32 or /128). Compiled once per principal; a check is a few byte compares
 * per block. IPv4-mapped IPv6 client addresses (`::ffff:203.0.113.9`, what a dual-stack socket reports)
 * are matched as the IPv4 address they carry.
 */

export interface CidrBlock {
  /** Network bytes (4 or 16). */
  bytes: Uint8Array;
  prefix: number;
}

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseV4(s: string): Uint8Array | undefined {
  const m = V4.exec(s);
  if (!m) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const n = Number(m[i + 1]);
    if (n > 255) return undefined;
    out[i] = n;
  }
  return out;
}

function parseV6(input: string): Uint8Array | undefined {
  let s = input;
  const zone = s.indexOf('%');
  if (zone !== -1) s = s.slice(0, zone);
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return undefined;
  let tail: Uint8Array | undefined;
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.', lastColon)) {
    tail = parseV4(s.slice(lastColon + 1));
    if (!tail) return undefined;
    s = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !rest) return undefined;
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...rest];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  if (tail) out.set(tail, 12);
  return out;
}

/** The bytes of an IPv4 or IPv6 address; an IPv4-mapped IPv6 address gives its 4 IPv4 bytes. */
export function parseIp(address: string): Uint8Array | undefined {
  const v4 = parseV4(address);
  if (v4) return v4;
  const v6 = parseV6(address);
  if (!v6) return undefined;
  const mapped = v6.subarray(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff;
  return mapped ? v6.slice(12) : v6;
}

/** `203.0.113.0/24`, `2001:db8::/32`, or a single address. Undefined when malformed. */
export function parseCidr(cidr: string): CidrBlock | undefined {
  const slash = cidr.indexOf('/');
  const addr = slash === -1 ? cidr : cidr.slice(0, slash);
  const bytes = parseV4(addr) ?? parseV6(addr);
  if (!bytes) return undefined;
  const bits = bytes.length * 8;
  let prefix = bits;
  if (slash !== -1) {
    const p = cidr.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p) || Number(p) > bits) return undefined;
    prefix = Number(p);
  }
  return { bytes, prefix };
}

export function inBlock(ip: Uint8Array, block: CidrBlock): boolean {
  if (ip.length !== block.bytes.length) return false;
  const full = block.prefix >> 3;
  for (let i = 0; i < full; i++) if (ip[i] !== block.bytes[i]) return false;
  const rem = block.prefix & 7;
  if (rem === 0) return true;
  const mask = (0xff << (8 - rem)) & 0xff;
  return (ip[full]! & mask) === (block.bytes[full]! & mask);
}

/** A compiled access list: `allows(address)`; an unparsable client address is never allowed. */
export class AccessList {
  constructor(readonly blocks: readonly CidrBlock[]) {}

  static compile(cidrs: readonly string[]): AccessList {
    const blocks: CidrBlock[] = [];
    for (const c of cidrs) {
      const b = parseCidr(c);
      // The fixture schema already checks the shape; a block that still does not parse allows nothing.
      if (b) blocks.push(b);
    }
    return new AccessList(blocks);
  }

  allows(address: string): boolean {
    const ip = parseIp(address);
    if (!ip) return false;
    for (const b of this.blocks) if (inBlock(ip, b)) return true;
    return false;
  }
}
