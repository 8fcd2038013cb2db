-- claim: queue -> lease with a deadline. KEYS[6] = the queue's notes hash (keys.rs notes),
-- KEYS[7] (optional) = the stage's pause flag; with a guard spec also KEYS[8] the breaker
-- hash and KEYS[9] the budget hash (keys.rs breaker, budget); with a record, the audit
-- stream last.
-- ARGV[1] = count, ARGV[2] = lease ms, ARGV[3] = lease id prefix (random, from the client),
-- ARGV[4] (optional; '' for none) = the guard spec, JSON: {"window_ms": the end of the
-- sending window (ms, server clock), "breaker": true, "budget": {"per_ms", "caps": [[unit,
-- millionths]]}}; optionally ARGV[5] audit keep ms, ARGV[6] the audit head: one record per
-- item claimed (common.lua step_record, plus the lease id, the attempt and the item),
-- written with the claim.
-- Returns {'paused', reason, ms until the breaker lets a probe through (0: none pending)},
-- {'closed'} (the sending window closed), {'budget' | 'reserved', unit, spent, cap, ms
-- until the budget window ends, items in flight} (common.lua budget_admit), or
-- {'ok', id, item, attempt, note, id, item, attempt, note, ...}
-- where note is the reviewer's note an item was sent back with (nil without one). The note
-- stays until the item leaves the queue for good (complete, dead letter, ack, escalate), so
-- a handler that dies before it settled the item is shown it again. A claim that lets the
-- breaker's probe through takes one item and marks the breaker `probing` with its lease.
local record = step_record(5)
local spec = guard_spec(ARGV[4])
local count = tonumber(ARGV[1])
local probe = false
local paused = KEYS[7]
if record and #KEYS == 7 then
  paused = nil
end
if paused then
  need_types(paused, 'string')
  if spec then
    need_types(KEYS[8], 'hash', KEYS[9], 'hash', KEYS[2], 'zset')
  end
  local reason = redis.call('GET', paused)
  if reason then
    local may, wait = false, 0
    if spec and spec['breaker'] then
      may, wait = breaker_may_probe(KEYS[8], KEYS[2], reason, now_ms())
    end
    if not may then
      return {'paused', reason, wait}
    end
    probe = true
    count = 1
  end
end
if spec and spec['window_ms'] and now_ms() >= tonumber(spec['window_ms']) then
  return {'closed'}
end
need_queue_types()
need_types(KEYS[6], 'hash')
local now = now_ms()
reap(KEYS[1], KEYS[2], KEYS[3], KEYS[5], now, 1000)
if spec and spec['budget'] then
  local allowed, refusal = budget_admit(KEYS[9], KEYS[2], spec['budget'], now, count)
  if allowed == 0 then
    return refusal
  end
  count = allowed
end
local deadline = now + tonumber(ARGV[2])
local notes = redis.call('EXISTS', KEYS[6]) == 1
local out = {'ok'}
for i = 1, count do
  local item = redis.call('LINDEX', KEYS[1], -1)
  if not item then
    break
  end
  local id = ARGV[3] .. '.' .. string.format('%06d', i)
  redis.call('HSET', KEYS[3], id, item)
  redis.call('ZADD', KEYS[2], deadline, id)
  local attempt = count_claim(KEYS[4], item)
  redis.call('RPOP', KEYS[1])
  out[#out + 1] = id
  out[#out + 1] = item
  out[#out + 1] = attempt
  out[#out + 1] = notes and redis.call('HGET', KEYS[6], item)
  if record then
    local fields = {}
    for j = 1, #record.head do
      fields[j] = record.head[j]
    end
    for _, v in ipairs({'lease', id, 'attempt', tostring(attempt), 'item', item}) do
      fields[#fields + 1] = v
    end
    audit(record.stream, record.keep, fields, nil, nil)
  end
end
if probe and out[2] then
  redis.call('HSET', KEYS[8], 'state', 'probing', 'probe', out[2])
end
return out
