// Lua scripts that move a record between states and update the counters in one atomic step,
// so discovered = indexed + gone + dead + degraded + deduplicated + inflight holds at every
// instant, whichever worker process runs them.
//
// State value: `<state>|<version>|<replay>` with state in queued | indexed | gone | dead |
// degraded (indexed with conflicting fields set aside).

/** Parses `state|version|replay` (versions never contain '|'). */
const PARSE = `
local function parse(v)
  if not v then return nil, nil, nil end
  local a = string.find(v, '|', 1, true)
  local rest = string.sub(v, a + 1)
  local b = string.find(rest, '|', 1, true)
  return string.sub(v, 1, a - 1), string.sub(rest, 1, b - 1), string.sub(rest, b + 1)
end
`;

/**
 * KEYS: state, counters, deleted, relook. ARGV: n, now (ms), relook backoff (ms), max relooks,
 * then did/version pairs.
 * Returns one string per pair: `new`, `dedup`, `requeue:<replay>` (queued at this version: the
 * caller adds the job again, which BullMQ ignores while it exists), `relook:<replay>` (gone as
 * not found at this version and due for another look: queued again under a new replay number)
 * or `deleted` (not counted).
 *
 * Relook entry: `<looks done>|<time of the last 404>`; the k-th look again is due
 * backoff * 2^(k-1) after the last 404, at most `max relooks` times.
 */
export const CLAIM_SCRIPT = `${PARSE}
local out = {}
local discovered, dedup, queued, inflight, relooked = 0, 0, 0, 0, 0
local now, backoff, maxLooks = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local n = tonumber(ARGV[1])
for i = 1, n do
  local did, ver = ARGV[3 + 2 * i], ARGV[4 + 2 * i]
  if redis.call('SISMEMBER', KEYS[3], did) == 1 then
    out[i] = 'deleted'
  else
    discovered = discovered + 1
    local st, cv, rp = parse(redis.call('HGET', KEYS[1], did))
    if cv == ver then
      local due = false
      if st == 'gone' then
        local rl = redis.call('HGET', KEYS[4], did)
        if rl then
          local sep = string.find(rl, '|', 1, true)
          local looks, at = tonumber(string.sub(rl, 1, sep - 1)), tonumber(string.sub(rl, sep + 1))
          if looks < maxLooks and now >= at + backoff * (2 ^ looks) then
            due = true
            redis.call('HSET', KEYS[4], did, (looks + 1) .. '|' .. at)
          end
        end
      end
      if due then
        local nrp = tonumber(rp) + 1
        redis.call('HSET', KEYS[1], did, 'queued|' .. ver .. '|' .. nrp)
        queued = queued + 1
        inflight = inflight + 1
        relooked = relooked + 1
        out[i] = 'relook:' .. nrp
      else
        dedup = dedup + 1
        if st == 'queued' then out[i] = 'requeue:' .. rp else out[i] = 'dedup' end
      end
    else
      if st == 'queued' then
        -- an older version still in flight is superseded: it leaves inflight for deduplicated
        inflight = inflight - 1
        dedup = dedup + 1
      end
      redis.call('HSET', KEYS[1], did, 'queued|' .. ver .. '|0')
      redis.call('HDEL', KEYS[4], did)
      queued = queued + 1
      inflight = inflight + 1
      out[i] = 'new'
    end
  end
end
if discovered > 0 then redis.call('HINCRBY', KEYS[2], 'discovered', discovered) end
if dedup > 0 then redis.call('HINCRBY', KEYS[2], 'deduplicated', dedup) end
if queued > 0 then redis.call('HINCRBY', KEYS[2], 'queued', queued) end
if inflight ~= 0 then redis.call('HINCRBY', KEYS[2], 'inflight', inflight) end
if relooked > 0 then redis.call('HINCRBY', KEYS[2], 'relooked', relooked) end
return out
`;

/**
 * KEYS: state, counters, deleted, failing, relook. ARGV: did, expected value, new state, counter,
 * extra counter, now (ms), max relooks.
 * Returns 1 when this call finished the record, 2 when it was deleted meanwhile (finished as
 * gone; the caller removes it from the store), 0 when the job is stale (superseded or already
 * finished by an earlier run of the same job): no counter moves, so a re-run never double-counts.
 * A record gone as `not_found` keeps (or starts) its relook entry while looks remain; any other
 * end removes it, so the relook hash holds only records that may still be looked at again.
 */
export const FINISH_SCRIPT = `${PARSE}
local did, expected = ARGV[1], ARGV[2]
if redis.call('HGET', KEYS[1], did) ~= expected then return 0 end
local _, ver, rp = parse(expected)
redis.call('HINCRBY', KEYS[2], 'inflight', -1)
redis.call('HDEL', KEYS[4], did)
if redis.call('SISMEMBER', KEYS[3], did) == 1 then
  redis.call('HSET', KEYS[1], did, 'gone|' .. ver .. '|' .. rp)
  redis.call('HINCRBY', KEYS[2], 'gone', 1)
  redis.call('HINCRBY', KEYS[2], 'gone:deleted', 1)
  redis.call('HDEL', KEYS[5], did)
  return 2
end
redis.call('HSET', KEYS[1], did, ARGV[3] .. '|' .. ver .. '|' .. rp)
redis.call('HINCRBY', KEYS[2], ARGV[4], 1)
if ARGV[5] ~= '' then redis.call('HINCRBY', KEYS[2], ARGV[5], 1) end
if ARGV[5] == 'gone:not_found' then
  local rl = redis.call('HGET', KEYS[5], did)
  local looks = 0
  if rl then looks = tonumber(string.sub(rl, 1, string.find(rl, '|', 1, true) - 1)) end
  if looks < tonumber(ARGV[7]) then redis.call('HSET', KEYS[5], did, looks .. '|' .. ARGV[6])
  else redis.call('HDEL', KEYS[5], did) end
else
  redis.call('HDEL', KEYS[5], did)
end
return 1
`;

/**
 * KEYS: state, counters. ARGV: did, version. Replays a dead (or degraded) record at that
 * version: it is counted as discovered again and goes back in flight. Returns the new replay
 * number, or -1 when the record is neither at that version (already replayed, re-synced or
 * deleted).
 */
export const REPLAY_SCRIPT = `${PARSE}
local st, ver, rp = parse(redis.call('HGET', KEYS[1], ARGV[1]))
if (st ~= 'dead' and st ~= 'degraded') or ver ~= ARGV[2] then return -1 end
local n = tonumber(rp) + 1
redis.call('HSET', KEYS[1], ARGV[1], 'queued|' .. ver .. '|' .. n)
redis.call('HINCRBY', KEYS[2], 'discovered', 1)
redis.call('HINCRBY', KEYS[2], 'queued', 1)
redis.call('HINCRBY', KEYS[2], 'inflight', 1)
redis.call('HINCRBY', KEYS[2], 'replayed', 1)
return n
`;

/**
 * KEYS: state, counters, deleted, relook. ARGV: dids. Marks them deleted; records not in flight lose
 * their state entry (in-flight ones are finished as gone by FINISH_SCRIPT). Returns how many
 * were newly marked.
 */
export const MARK_DELETED_SCRIPT = `${PARSE}
local added = 0
for i = 1, #ARGV do
  local did = ARGV[i]
  if redis.call('SADD', KEYS[3], did) == 1 then added = added + 1 end
  local st = parse(redis.call('HGET', KEYS[1], did))
  if st and st ~= 'queued' then redis.call('HDEL', KEYS[1], did) end
  redis.call('HDEL', KEYS[4], did)
end
if added > 0 then redis.call('HINCRBY', KEYS[2], 'deleted', added) end
return added
`;
