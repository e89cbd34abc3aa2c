/**
 * The Lua scripts of the shared mock: each is one atomic step in Redis (a script runs alone, RFC-free but
 * documented: https://redis.io/docs/latest/develop/interactive/programmability/eval-intro/), so what one
 * process did under its single thread stays atomic across replicas. Numbers that are not integers travel as
 * strings (`%.17g`): Redis turns a Lua number into an integer reply.
 *
 * Keys (prefix `P` = `--store-prefix`): `P:head` last sequence number of the log, `P:log` the log (a stream,
 * ids `<seq>-0`), `P:lock` the write lock, `P:rl` rate-limit buckets (hash), `P:n:<nonce>` Digest nonces,
 * `P:faults` fault-rule counters (hash), `P:journal` the request journal (a capped stream).
 */

/** Name → [number of keys, source]. Registered with ioredis `defineCommand` (EVALSHA, EVAL on NOSCRIPT). */
export const SCRIPTS = {
  /**
   * Takes the write lock (KEYS: lock, head; ARGV: token, ttl ms) and returns the head, or -1 when another
   * replica holds it.
   */
  mockLock: [
    2,
    `if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return tonumber(redis.call('GET', KEYS[2]) or '0')
end
return -1`,
  ],
  /**
   * Writes a whole world (KEYS: meta, head, checkpoint, log; ARGV: version, fingerprint, seq, checkpoint)
   * unless one exists: at its creation, or again from a replica's memory when Redis lost it. Returns 1 when
   * written, 0 when a world was there.
   */
  mockSeed: [
    4,
    `if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('DEL', KEYS[4], KEYS[3])
redis.call('SET', KEYS[2], ARGV[3])
redis.call('HSET', KEYS[3], 'seq', ARGV[3], 'doc', ARGV[4])
redis.call('HSET', KEYS[1], 'version', ARGV[1], 'fingerprint', ARGV[2])
return 1`,
  ],
  /**
   * Releases the write lock if it is still ours (KEYS: lock, head; ARGV: token, channel) and tells the
   * replicas waiting for it (the head, unchanged).
   */
  mockUnlock: [
    2,
    `if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('PUBLISH', ARGV[2], redis.call('GET', KEYS[2]) or '0')
end
return 1`,
  ],
  /**
   * Appends entries to the log and releases the lock (KEYS: head, log, lock; ARGV: token, expected head,
   * channel, entries…): the writes a replica ran under one lock (group commit). Refused when the lock is no
   * longer ours (it expired) or the head moved: then nothing is written. Returns the last entry's sequence
   * number and tells the replicas (PUBLISH).
   */
  mockAppend: [
    3,
    `if redis.call('GET', KEYS[3]) ~= ARGV[1] then return redis.error_reply('LOCKLOST the write lock expired before the change was logged') end
local head = tonumber(redis.call('GET', KEYS[1]) or '0')
if head ~= tonumber(ARGV[2]) then return redis.error_reply('HEADMOVED the log moved under the write lock') end
for i = 4, #ARGV do
  head = head + 1
  redis.call('XADD', KEYS[2], head .. '-0', 'e', ARGV[i])
end
redis.call('SET', KEYS[1], head)
redis.call('DEL', KEYS[3])
redis.call('PUBLISH', ARGV[3], head)
return head`,
  ],
  /**
   * Takes one token from each named bucket, in order (contract §6; the same arithmetic as
   * auth/rate-limiter.ts): the requests of one tick of a replica in one call. KEYS: buckets hash, head;
   * ARGV: now ms, then per bucket its name (scope key and endpoint set), capacity, refill, period ms.
   * Returns [head, allowed 1/0, remaining or retry-after seconds, …] (two values per bucket).
   */
  mockTake: [
    2,
    `local now = tonumber(ARGV[1])
local out = {tonumber(redis.call('GET', KEYS[2]) or '0')}
local eps = 1e-9
for i = 2, #ARGV, 4 do
  local g, cap, refill, period = ARGV[i], tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2]), tonumber(ARGV[i + 3])
  local b = redis.call('HMGET', KEYS[1], g .. ':t', g .. ':a')
  local tokens, at = tonumber(b[1]), tonumber(b[2])
  if tokens == nil or at == nil then tokens = cap; at = now end
  if now > at then tokens = math.min(cap, tokens + ((now - at) * refill) / period) end
  if tokens >= 1 - eps then
    tokens = math.max(0, tokens - 1)
    table.insert(out, 1)
    table.insert(out, math.floor(tokens + eps))
  else
    table.insert(out, 0)
    table.insert(out, math.max(1, math.ceil((((1 - tokens) * period) / refill) / 1000)))
  end
  redis.call('HSET', KEYS[1], g .. ':t', string.format('%.17g', tokens), g .. ':a', string.format('%.17g', now))
end
return out`,
  ],
  /**
   * Uses a Digest nonce with nonce count nc (RFC 7616 §3.4, as auth/nonces.ts) and returns [result, head]
   * (KEYS: nonce, head; ARGV: nc, now ms, ttl ms). Result: ok, stale (unknown or expired), replay.
   */
  mockNonceUse: [
    2,
    `local head = tonumber(redis.call('GET', KEYS[2]) or '0')
local v = redis.call('GET', KEYS[1])
if not v then return {'stale', head} end
local sep = string.find(v, ':', 1, true)
local issued, seen = tonumber(string.sub(v, 1, sep - 1)), tonumber(string.sub(v, sep + 1))
local nc, now, ttl = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
if now - issued >= ttl then
  redis.call('DEL', KEYS[1])
  return {'stale', head}
end
if nc <= seen then return {'replay', head} end
redis.call('SET', KEYS[1], string.sub(v, 1, sep) .. ARGV[1], 'KEEPTTL')
return {'ok', head}`,
  ],
  /**
   * The fault rule that fires on a request, among the rules that match it (in the order added): counts
   * `seen`, skips the first `after`, applies the probability (drawn by the replica: 1 passes), counts
   * `applied`, uses up `times`. KEYS: counters hash; ARGV: then per rule id, after, times (-1: unlimited),
   * passes. Returns [fired id or '', exhausted ids...]: a rule whose times are used up is skipped by every
   * replica from then on (and removed from the rule list by the replica that used it up).
   */
  mockFaultPick: [
    1,
    `local fired = ''
local exhausted = {}
for i = 1, #ARGV, 4 do
  local id, after, times, pass = ARGV[i], tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2]), ARGV[i + 3]
  local rem = nil
  if times >= 0 then
    rem = tonumber(redis.call('HGET', KEYS[1], id .. ':r') or times)
  end
  if rem ~= nil and rem <= 0 then
    table.insert(exhausted, id)
  else
    local seen = redis.call('HINCRBY', KEYS[1], id .. ':s', 1)
    if seen > after and pass == '1' then
      redis.call('HINCRBY', KEYS[1], id .. ':a', 1)
      if rem ~= nil then
        rem = rem - 1
        redis.call('HSET', KEYS[1], id .. ':r', rem)
        if rem <= 0 then table.insert(exhausted, id) end
      end
      fired = id
      break
    end
  end
end
local out = {fired}
for _, id in ipairs(exhausted) do table.insert(out, id) end
return out`,
  ],
  /** Deletes the journal entries of one project (KEYS: stream; ARGV: project) and returns how many. */
  mockJournalClear: [
    1,
    `local n = 0
for _, e in ipairs(redis.call('XRANGE', KEYS[1], '-', '+')) do
  if e[2][2] == ARGV[1] then
    redis.call('XDEL', KEYS[1], e[1])
    n = n + 1
  end
end
return n`,
  ],
} as const satisfies Record<string, readonly [number, string]>;

export type ScriptName = keyof typeof SCRIPTS;
