-- complete: lease -> output queue, as the items the handler answered (one, several, none).
-- KEYS[1..5] queue keys, KEYS[6] output list, KEYS[7] seen set, KEYS[8] new counter,
-- KEYS[9] duplicate counter, KEYS[10] the output's arrival zset when the output is a staging
-- list (keys.rs StagedKeys.since), KEYS[11] the queue's notes hash (a reviewer's note, done
-- with once the item completes), KEYS[12..] daily counters to add 1 to.
-- ARGV[1] lease id, ARGV[2] the item the caller expects under this lease,
-- ARGV[3] counter TTL seconds, ARGV[4] 'plain' or 'dedup' (with ':guard' appended: ARGV[9]
-- is a guarded stage's spec, common.lua rule 4, whose keys follow the counters),
-- ARGV[5] '1' when KEYS[10] is used, ARGV[6] audit keep ms, ARGV[7] the audit head ('' for
-- no record), ARGV[8] the item's sha256, with the audit stream as the last key (after the
-- counters and guard keys): the step's record (common.lua step_record, plus added and
-- duplicates), written with the move. The next ARGV the items (plain) or dedup value/item
-- pairs (dedup).
-- Returns {1, added, duplicates, guard events...}, {0} when the lease is gone, {-1} when it
-- holds another item.
local kind, guarded = ARGV[4], false
if string.sub(kind, -6) == ':guard' then
  kind, guarded = string.sub(kind, 1, -7), true
end
local spec, guard_keys = nil, 0
local first_item = 9
if guarded then
  spec, guard_keys = guard_spec(ARGV[9])
  first_item = 10
end
local record = step_record(6)
local last = #KEYS - guard_keys - (record and 1 or 0)
need_queue_types()
need_types(KEYS[6], 'list')
if kind == 'dedup' then
  need_types(KEYS[7], 'set', KEYS[8], 'string', KEYS[9], 'string')
end
local staged = ARGV[5] == '1'
if staged then
  need_types(KEYS[10], 'zset')
end
need_types(KEYS[11], 'hash')
need_strings_from(12, last)
if spec then
  need_guard_types(last + 1, spec)
end
local item = redis.call('HGET', KEYS[3], ARGV[1])
if not item then
  return {0}
end
if item ~= ARGV[2] then
  return {-1}
end
bump(12, ARGV[3], last)
local now = staged and now_ms()
local added, dups = 0, 0
if kind == 'dedup' then
  for i = first_item, #ARGV, 2 do
    if redis.call('SISMEMBER', KEYS[7], ARGV[i]) == 0 then
      redis.call('LPUSH', KEYS[6], ARGV[i + 1])
      if staged then
        staged_arrive(KEYS[10], ARGV[i + 1], now)
      end
      redis.call('SADD', KEYS[7], ARGV[i])
      added = added + 1
    else
      dups = dups + 1
    end
  end
  if added > 0 then
    add_to_counter(KEYS[8], added, ARGV[3])
  end
  if dups > 0 then
    add_to_counter(KEYS[9], dups, ARGV[3])
  end
else
  for i = first_item, #ARGV do
    redis.call('LPUSH', KEYS[6], ARGV[i])
    if staged then
      staged_arrive(KEYS[10], ARGV[i], now)
    end
    added = added + 1
  end
end
-- The answer is written; only now does the lease end.
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[4], item)
redis.call('HDEL', KEYS[11], item)
if record then
  local head = record.head
  head[#head + 1] = 'added'
  head[#head + 1] = tostring(added)
  head[#head + 1] = 'duplicates'
  head[#head + 1] = tostring(dups)
  audit(record.stream, record.keep, head, ARGV[8], item)
end
local out = {1, added, dups}
if spec then
  for _, e in ipairs(guard_settle(last + 1, spec, 'success', ARGV[1])) do
    out[#out + 1] = e
  end
end
return out
