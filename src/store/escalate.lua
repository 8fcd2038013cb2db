-- escalate: lease -> a manual stage's staging list, when a handler asked a person (its
-- `review` control): the item (or the one new version the handler answered) is staged with
-- the handler's question, its arrival time and its audit record, and the lease ends, all in
-- this one step.
-- KEYS[1..5] queue keys, KEYS[6] the staging list, KEYS[7] its asks hash, KEYS[8] its since
-- zset (keys.rs StagedKeys), KEYS[9] the queue's notes hash, KEYS[10] the audit stream,
-- KEYS[11..] daily counters to add 1 to.
-- ARGV[1] lease id, ARGV[2] the item the caller expects under this lease, ARGV[3] counter TTL
-- seconds, ARGV[4] audit retention ms, ARGV[5] audit head (common.lua rule 3), ARGV[6] the
-- asks entry {"stage":…,"question":…}, ARGV[7] 'same' to stage the item itself or 'new' to
-- stage ARGV[8] instead, ARGV[9] the sha256 of what is staged, ARGV[10] (optional; '' for
-- none) a guarded stage's spec (common.lua rule 4: its keys follow the counters; the item's
-- cost is added, and a probe escalated is neither success nor failure).
-- Returns 1 staged, 0 when the lease is gone, -1 when it holds another item; with a guard
-- spec {that, guard events...} (common.lua guard_settle).
local spec, guard_keys = guard_spec(ARGV[10])
local last = #KEYS - guard_keys
need_queue_types()
need_types(KEYS[6], 'list', KEYS[7], 'hash', KEYS[8], 'zset', KEYS[9], 'hash', KEYS[10], 'stream')
need_strings_from(11, last)
if spec then
  need_guard_types(last + 1, spec)
end
if not (ARGV[7] == 'same' or ARGV[7] == 'new') then
  return redis.error_reply('ERR unknown escalation payload mode ' .. tostring(ARGV[7]))
end
local item = redis.call('HGET', KEYS[3], ARGV[1])
if not item then
  return guard_answer(spec, 0)
end
if item ~= ARGV[2] then
  return guard_answer(spec, -1)
end
local staged = item
if ARGV[7] == 'new' then
  staged = ARGV[8]
end
-- The destination first (common.lua, rule 2): staged with its question and arrival.
redis.call('LPUSH', KEYS[6], staged)
redis.call('HSET', KEYS[7], staged, ARGV[6])
staged_arrive(KEYS[8], staged, now_ms())
audit(KEYS[10], ARGV[4], audit_head(ARGV[5]), ARGV[9], staged)
bump(11, ARGV[3], last)
-- Only now does the lease end; the item left the queue, its attempts and note with it.
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[4], item)
redis.call('HDEL', KEYS[9], item)
local events
if spec then
  events = guard_settle(last + 1, spec, 'other', ARGV[1])
end
return guard_answer(spec, 1, events)
