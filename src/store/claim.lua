-- claim: queue -> lease with a deadline. KEYS[6] = the queue's notes hash (keys.rs notes),
-- KEYS[7] (optional) = the stage's pause flag.
-- ARGV[1] = count, ARGV[2] = lease ms, ARGV[3] = lease id prefix (random, from the client);
-- optionally ARGV[4] audit keep ms, ARGV[5] the audit head, with the audit stream as the
-- last key (after the pause flag): one record per item claimed (common.lua step_record,
-- plus the lease id, the attempt and the item), written with the claim.
-- Returns {'paused', reason} or {'ok', id, item, attempt, note, id, item, attempt, note, ...}
-- where note is the reviewer's note an item was sent back with (nil without one). The note
-- stays until the item leaves the queue for good (complete, dead letter, ack, escalate), so
-- a handler that dies before it settled the item is shown it again.
local record = step_record(4)
local paused = KEYS[7]
if record and #KEYS == 7 then
  paused = nil
end
if paused then
  need_types(paused, 'string')
  local reason = redis.call('GET', paused)
  if reason then
    return {'paused', reason}
  end
end
need_queue_types()
need_types(KEYS[6], 'hash')
local now = now_ms()
reap(KEYS[1], KEYS[2], KEYS[3], KEYS[5], now, 1000)
local deadline = now + tonumber(ARGV[2])
local notes = redis.call('EXISTS', KEYS[6]) == 1
local out = {'ok'}
for i = 1, tonumber(ARGV[1]) do
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
return out
