/**
 * The Lua scripts of the shared mock: each is one atomic step in Redis (a script runs alone, RFC-free but
 * documented: https://redis.io/docs/latest/develop/interactive/programmability/eval-intro/), so what one
 * process did under its single thread stays atomic across replicas. Numbers that are not integers travel as
 * strings (`%.17g`): Redis turns a Lua number into an integer reply.
 *
 * Keys (prefix `P` = `--store-prefix`): `P:head` last sequence number of the log, `P:log` the log (a stream,
 * ids `<seq>-0`), `P:lock` the write lock, `P:rl` rate-limit buckets (hash), `P:n:<nonce>` Digest nonces,
 * `P:faults` fault-rule counters (hash), `P:journal` the request journal (a capped stream), `P:jmeta` its
 * last `seq` and the number of requests it holds, `P:jidx` where its entries start.
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
   * The round trip of one event-loop turn of a replica (`tick.ts`): the rate-limit takes of requests
   * arriving, the commits of GETs answered from the replica's state (`one-trip.ts`), the journal entries of
   * responses leaving, the head of the log. KEYS: head, buckets hash, journal stream, journal meta hash,
   * journal index list. ARGV: now ms, journal size, number of buckets, then per bucket its name (scope key
   * and endpoint set), capacity, refill, period ms, the number of tokens taken before a handler and the
   * number of commits; then the head the commits' answers were computed at (-1: no commit), then the journal
   * entries in runs, each its number of entries and the entries as one JSON array ('' for none): those
   * written whatever happens, the commits' of each bucket, the commits' without a bucket.
   *
   * The commits of a bucket go through together, when the head is the one they name and the bucket gives
   * each a token: then their tokens are taken and their entries written, in this one atomic step. Otherwise
   * nothing of them is taken or written (their replica answers them again, as requests arriving now). Per
   * request nothing but a count: a script's work grows with its arguments (replperf: ~2.5 µs a redis.call,
   * more per argument and Lua string). Returns [head, level of each bucket before its takes (after its
   * refill)]: the replica works out each decision, and which commits went through, from it (`decide`, the
   * arithmetic of auth/rate-limiter.ts and of this script, in the same order).
   *
   * The journal: one stream entry per turn, id `<seq of its first request>-0`, fields `n` (requests) and `j`
   * (their JSON array); the meta hash holds the last `seq` and `held` (requests in the stream), the index
   * list `<first seq>:<n>` per entry, oldest first. The oldest entries go, in one XTRIM, once the stream
   * holds a sixteenth more than the journal size (at least 64 more): the list shows the newest `size`
   * requests, as the in-process ring does, and the stream stays within that bound without a trim per turn.
   *
   * Written for Redis's CPU (redis-server 7.0 under callgrind, a call of 20 GETs' entries of ~165 B: 296k
   * instructions in EVALSHA before, 167k now; `usec_per_call` 42 → 30 µs, docs/shared-service.md
   * "Measured"), each at the same values:
   * - Every Lua string made is hashed over all its bytes: a turn's entries (3.3 KB) cost ~36k instructions
   *   each time they become a string. A run arrives as its JSON array and a turn with one run (most) is
   *   written as it came; several runs are joined without their brackets.
   * - Numbers are not formatted in Lua: `now` is stored as it came (ARGV[1], read back by `tonumber` as the
   *   same double), the level as a Lua number (Redis writes an argument number exactly: `%.17g`, from 7.2
   *   its shortest exact form), and a whole level below 2^53 is returned as an integer reply (exact; 0, kept
   *   as `%.17g` for its sign, and fractions go as strings).
   * - A numeric argument is read by arithmetic (`+ 0`, one conversion) rather than `tonumber` (two), and
   *   only when used; `math.max(0, x)` in the per-token loops is the comparison it makes (no C call).
   * - The trim reads the index in growing slices (8, 16, …) up to where it cuts, not the whole list.
   */
  mockTick: [
    5,
    `local head = (redis.call('GET', KEYS[1]) or '0') + 0
local out = {head}
local now = ARGV[1] + 0
local eps = 1e-9
local nb = ARGV[3] + 0
local runs = 5 + nb * 6
local fits = ARGV[runs - 1] + 0 == head
local n, ns, entries, more = 0, nil, nil, nil
local function run(r)
  local e = ARGV[r + 1]
  if e == '' then return end
  if entries == nil then
    entries, ns, n = e, ARGV[r], ARGV[r] + 0
  else
    if more == nil then more = {string.sub(entries, 2, -2)} end
    more[#more + 1] = string.sub(e, 2, -2)
    n = n + ARGV[r]
  end
end
run(runs)
for b = 1, nb do
  local i = 4 + (b - 1) * 6
  local g, cap = ARGV[i], ARGV[i + 1] + 0
  local ft, fa = g .. ':t', g .. ':a'
  local v = redis.call('HMGET', KEYS[2], ft, fa)
  local tokens, at = tonumber(v[1]), tonumber(v[2])
  if tokens == nil or at == nil then tokens = cap; at = now end
  if now > at then tokens = math.min(cap, tokens + ((now - at) * ARGV[i + 2]) / ARGV[i + 3]) end
  if tokens % 1 == 0 and tokens > 0 and tokens < 9007199254740992 then out[b + 1] = tokens
  else out[b + 1] = string.format('%.17g', tokens) end
  if ARGV[i + 4] ~= '0' then
    for _ = 1, ARGV[i + 4] + 0 do
      if tokens >= 1 - eps then
        tokens = tokens - 1
        if not (tokens > 0) then tokens = 0 end
      end
    end
  end
  if fits and ARGV[i + 5] ~= '0' then
    local left = tokens
    for _ = 1, ARGV[i + 5] + 0 do
      if left >= 1 - eps then
        left = left - 1
        if not (left > 0) then left = 0 end
      else left = nil; break end
    end
    if left ~= nil then
      tokens = left
      run(runs + 2 * b)
    end
  end
  redis.call('HSET', KEYS[2], ft, tokens, fa, ARGV[1])
end
if fits then run(runs + 2 * (nb + 1)) end
if n > 0 then
  if more ~= nil then entries = '[' .. table.concat(more, ',') .. ']'; ns = n .. '' end
  local cap = ARGV[2] + 0
  local last = redis.call('HINCRBY', KEYS[4], 'seq', ns)
  local first = (last - n + 1) .. ''
  local added = redis.pcall('XADD', KEYS[3], first .. '-0', 'n', ns, 'j', entries)
  if type(added) == 'table' and added.err then
    -- The stream is ahead of its meta (keys deleted by hand): the journal starts again.
    redis.call('DEL', KEYS[3], KEYS[5])
    redis.call('HSET', KEYS[4], 'held', 0)
    redis.call('XADD', KEYS[3], first .. '-0', 'n', ns, 'j', entries)
  end
  redis.call('RPUSH', KEYS[5], first .. ':' .. ns)
  local held = redis.call('HINCRBY', KEYS[4], 'held', ns)
  if held > cap + math.max(64, math.ceil(cap / 16)) then
    local drop, dropped, keep, gone = held - cap, 0, nil, 0
    local from, step = 0, 8
    while keep == nil and from <= drop do
      local to = math.min(drop, from + step - 1)
      local idx = redis.call('LRANGE', KEYS[5], from, to)
      for _, e in ipairs(idx) do
        local f, k = string.match(e, '^(%d+):(%d+)$')
        k = k + 0
        if dropped + k > drop then
          keep = f
          break
        end
        dropped = dropped + k
        gone = gone + 1
      end
      if #idx <= to - from then break end
      from, step = to + 1, step * 2
    end
    if keep ~= nil and gone > 0 then
      redis.call('LTRIM', KEYS[5], gone, -1)
      redis.call('XTRIM', KEYS[3], 'MINID', keep .. '-0')
      redis.call('HSET', KEYS[4], 'held', held - dropped)
    end
  end
end
return out`,
  ],
  /**
   * Takes or keeps the export-files writer's lease (KEYS: lease; ARGV: token, ttl ms): 1 when this replica
   * holds it (renewed, or taken because nobody did), 0 when another one does.
   */
  mockLease: [
    1,
    `local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if holder then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`,
  ],
  /** Gives the writer's lease up if this replica holds it (KEYS: lease; ARGV: token, channel) and says so. */
  mockLeaseRelease: [
    1,
    `if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('PUBLISH', ARGV[2], 'free')
  return 1
end
return 0`,
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
  /**
   * Forgets the journal (KEYS: stream, meta, index; ARGV: journal size, project or '' for all) and returns
   * how many of the requests it shows were removed. One project's: the stream is written again without
   * them (each run of requests left in an entry becomes an entry of its own, so a request keeps its `seq`);
   * requests older than the newest `size` (not shown) go too.
   */
  mockJournalClear: [
    3,
    `local cap = tonumber(ARGV[1])
local held = tonumber(redis.call('HGET', KEYS[2], 'held') or '0')
if ARGV[2] == '' then
  redis.call('DEL', KEYS[1], KEYS[3])
  redis.call('HSET', KEYS[2], 'held', 0)
  return math.min(cap, held)
end
local hidden = math.max(0, held - cap)
local removed, kept = 0, 0
local runs = {}
for _, e in ipairs(redis.call('XRANGE', KEYS[1], '-', '+')) do
  local first = tonumber(string.match(e[1], '^(%d+)'))
  local run, runFirst = nil, nil
  for i, slot in ipairs(cjson.decode(e[2][4])) do
    local keep = true
    if hidden > 0 then
      hidden = hidden - 1
      keep = false
    elseif slot[1] == ARGV[2] then
      removed = removed + 1
      keep = false
    end
    if keep then
      if run == nil then
        run = {}
        runFirst = first + i - 1
      end
      table.insert(run, slot)
      kept = kept + 1
    elseif run ~= nil then
      table.insert(runs, {runFirst, run})
      run = nil
    end
  end
  if run ~= nil then table.insert(runs, {runFirst, run}) end
end
redis.call('DEL', KEYS[1], KEYS[3])
for _, r in ipairs(runs) do
  redis.call('XADD', KEYS[1], r[1] .. '-0', 'n', #r[2], 'j', cjson.encode(r[2]))
  redis.call('RPUSH', KEYS[3], r[1] .. ':' .. #r[2])
end
redis.call('HSET', KEYS[2], 'held', kept)
return removed`,
  ],
} as const satisfies Record<string, readonly [number, string]>;

export type ScriptName = keyof typeof SCRIPTS;
