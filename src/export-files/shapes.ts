/**
 * Shapes of the documents the mock generates for a collection's exports, drawn from a generator forked off
 * the mock's seed for that collection (`forkRandom`): the same seed gives the same documents, byte for
 * byte. Values are bson's own types, so that the files are MongoDB's Extended JSON as `EJSON.stringify`
 * writes it. A collection without a shape gets one from its name (`users`, `customers` → users; `orders`,
 * `carts` → orders; `events`, `sessions`, `audit_log` → events), else `generic` [I].
 *
 * - generic:   _id, name, count (int32), score (double), active, tags, createdAt (date), seq (int64)
 * - users:     _id, name, email, age (int32), address {street, city, zip, country}, roles, createdAt, lastLogin
 * - orders:    _id, customerId (ObjectId), items [{sku, quantity, price (decimal128)}], total (decimal128),
 *              currency, status, orderedAt
 * - events:    _id, type, at (date), seq (int64), sessionId (UUID), payload {page, durationMs, ok}
 * - all-types: one field of every Extended JSON type a consumer may meet (int32, int64, double, decimal128,
 *              date, binary, UUID, timestamp, regex, code, min/max key, null, array, document).
 */
import type { Document } from 'bson';
import type { Draws } from '../core/random.js';
import type { DocumentShape } from '../store/model.js';

type Bson = typeof import('bson');

const FIRST = ['Ada', 'Alan', 'Grace', 'Linus', 'Margaret', 'Ken', 'Barbara', 'Edsger', 'Frances', 'Donald', 'Radia', 'Tim', 'Hedy', 'John', 'Katherine', 'Dennis'];
const LAST = ['Lovelace', 'Turing', 'Hopper', 'Torvalds', 'Hamilton', 'Thompson', 'Liskov', 'Dijkstra', 'Allen', 'Knuth', 'Perlman', 'Berners-Lee', 'Lamarr', 'Backus', 'Johnson', 'Ritchie'];
const WORDS = ['alpha', 'bravo', 'cedar', 'delta', 'ember', 'fjord', 'garnet', 'harbor', 'indigo', 'juniper', 'kestrel', 'lumen', 'meadow', 'nebula', 'onyx', 'prairie', 'quartz', 'river', 'summit', 'tundra'];
const CITIES = ['Dublin', 'New York', 'Sydney', 'Barcelona', 'Austin', 'Toronto', 'Bengaluru', 'Tel Aviv', 'Paris', 'Berlin'];
const COUNTRIES = ['IE', 'US', 'AU', 'ES', 'US', 'CA', 'IN', 'IL', 'FR', 'DE'];
const STATUSES = ['pending', 'paid', 'shipped', 'delivered', 'returned', 'cancelled'];
const EVENTS = ['page_view', 'click', 'login', 'logout', 'purchase', 'search', 'signup', 'error'];
const ROLES = ['reader', 'writer', 'admin', 'auditor'];

/** The shape a collection gets from its name when its fixture names none. */
export function shapeForName(collection: string): DocumentShape {
  const n = collection.toLowerCase();
  if (/user|customer|account|member|people|person/.test(n)) return 'users';
  if (/order|cart|payment|refund|invoice|sale|transaction/.test(n)) return 'orders';
  if (/event|session|log|audit|click|view|metric/.test(n)) return 'events';
  return 'generic';
}

/** Noon of 2024-01-01: generated dates are spread over the two years before it. */
const BASE_TIME = Date.UTC(2024, 0, 1, 12);
const TWO_YEARS = 2 * 365 * 86_400_000;

const pick = <T>(r: Draws, list: readonly T[]): T => list[Math.floor(r.next() * list.length)]!;

/**
 * A maker of the `i`-th document of a collection (i counts documents in the order they are drawn, which
 * is the order of the generator `r`: call it for i = 0, 1, 2, … in turn).
 */
export function documentMaker(bson: Bson, shape: DocumentShape, r: Draws): (i: number) => Document {
  const { ObjectId, Int32, Long, Double, Decimal128, Binary, UUID, Timestamp, BSONRegExp, MinKey, MaxKey, Code } = bson;
  const oid = (i: number): InstanceType<typeof ObjectId> => {
    const b = new Uint8Array(12);
    const secs = Math.floor((BASE_TIME - TWO_YEARS) / 1000) + i;
    b[0] = secs >>> 24;
    b[1] = (secs >>> 16) & 0xff;
    b[2] = (secs >>> 8) & 0xff;
    b[3] = secs & 0xff;
    b.set(r.bytes(5), 4);
    b[9] = (i >>> 16) & 0xff;
    b[10] = (i >>> 8) & 0xff;
    b[11] = i & 0xff;
    return new ObjectId(b);
  };
  const date = () => new Date(BASE_TIME - Math.floor(r.next() * TWO_YEARS));
  const money = (max: number) => Decimal128.fromString((Math.floor(r.next() * max * 100) / 100).toFixed(2));
  switch (shape) {
    case 'users':
      return (i) => {
        const first = pick(r, FIRST);
        const last = pick(r, LAST);
        const city = r.int(0, CITIES.length - 1);
        return {
          _id: oid(i),
          name: `${first} ${last}`,
          email: `${first.toLowerCase()}.${last.toLowerCase().replace(/[^a-z]/g, '')}${i}@example.com`,
          age: new Int32(r.int(18, 90)),
          address: { street: `${r.int(1, 999)} ${pick(r, WORDS)} street`, city: CITIES[city]!, zip: r.string(5, '0123456789'), country: COUNTRIES[city]! },
          roles: ROLES.filter(() => r.next() < 0.3),
          createdAt: date(),
          lastLogin: r.next() < 0.9 ? date() : null,
        };
      };
    case 'orders':
      return (i) => {
        const items = Array.from({ length: r.int(1, 4) }, () => ({ sku: `SKU-${r.string(6, 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789')}`, quantity: new Int32(r.int(1, 5)), price: money(200) }));
        let cents = 0;
        for (const it of items) cents += Math.round(Number(it.price.toString()) * 100) * it.quantity.value;
        return {
          _id: oid(i),
          customerId: oid(r.int(0, 99_999)),
          items,
          total: Decimal128.fromString((cents / 100).toFixed(2)),
          currency: pick(r, ['USD', 'EUR', 'GBP']),
          status: pick(r, STATUSES),
          orderedAt: date(),
        };
      };
    case 'events':
      return (i) => ({
        _id: oid(i),
        type: pick(r, EVENTS),
        at: date(),
        seq: Long.fromNumber(i),
        sessionId: new UUID(Buffer.from(r.bytes(16))),
        payload: { page: `/${pick(r, WORDS)}/${pick(r, WORDS)}`, durationMs: new Int32(r.int(1, 30_000)), ok: r.next() < 0.95 },
      });
    case 'all-types':
      return (i) => ({
        _id: oid(i),
        string: `${pick(r, WORDS)} ${pick(r, WORDS)}`,
        int32: new Int32(r.int(-1_000_000, 1_000_000)),
        int64: Long.fromString(`${r.int(1, 9)}${r.string(17, '0123456789')}`),
        double: new Double(r.next() * 1000),
        decimal128: money(1_000_000),
        boolean: r.next() < 0.5,
        date: date(),
        null: null,
        array: [new Int32(i), pick(r, WORDS), { nested: true }],
        document: { a: new Int32(1), b: { c: pick(r, WORDS) } },
        binary: new Binary(Buffer.from(r.bytes(8)), Binary.SUBTYPE_DEFAULT),
        uuid: new UUID(Buffer.from(r.bytes(16))),
        timestamp: new Timestamp({ t: Math.floor(BASE_TIME / 1000) - r.int(0, 86_400), i: r.int(1, 100) }),
        regex: new BSONRegExp(`^${pick(r, WORDS)}`, 'i'),
        code: new Code('function () { return 1; }'),
        minKey: new MinKey(),
        maxKey: new MaxKey(),
      });
    case 'generic':
    default:
      return (i) => ({
        _id: oid(i),
        name: `${pick(r, WORDS)} ${pick(r, WORDS)}`,
        count: new Int32(r.int(0, 10_000)),
        score: new Double(Math.round(r.next() * 100_000) / 1000),
        active: r.next() < 0.7,
        tags: WORDS.filter(() => r.next() < 0.15),
        createdAt: date(),
        seq: Long.fromNumber(i),
      });
  }
}
