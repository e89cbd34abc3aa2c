/**
 * UUIDs (version 4 layout) as Atlas shows them (`atlasAssumedRoleExternalId`, recorded
 * `b63a96a9-5e21-4eee-9902-a3cdc7a0d81e`): drawn from the mock's seeded random source for new records, or
 * derived from a key for fixture records that give none (the same on every load, no draw from the source).
 */
import { createHash } from 'node:crypto';
import type { RandomSource } from './random.js';

function format(bytes: Uint8Array): string {
  bytes[6] = (bytes[6]! & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function randomUuid(random: RandomSource): string {
  return format(random.bytes(16));
}

export function derivedUuid(key: string): string {
  return format(new Uint8Array(createHash('md5').update(key).digest()));
}
