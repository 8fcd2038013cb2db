-- settle a lease anywhere but the output: the back of the queue (requeue), its front
-- (release: not the item's fault), a delayed retry, a deferral, or a dead-letter envelope.
-- KEYS[1..5] queue keys, KEYS[6] dead-letter list, KEYS[7] the queue's notes hash (a
-- reviewer's note stays with an item that comes back, goes with a dead letter, and follows a
-- deferred item's new version), KEYS[8..] daily counters to add 1 to.
-- ARGV[1] lease id, ARGV[2] mode: requeue | release | retry | defer | dead,
-- ARGV[3] the item the caller expects under this lease,
-- ARGV[4] delay ms (retry, defer), ARGV[5] 16-hex member prefix (retry, defer),
-- ARGV[6] the envelope (dead) or a replacement item (defer; '' keeps the item),
-- ARGV[7] counter TTL seconds, ARGV[8] (optional; '' for none) a guarded stage's spec
-- (common.lua rule 4: its keys follow the counters; retry, dead and requeue, `pipectl nack`'s
-- hand-back, count as failures);
-- optionally ARGV[9] audit keep ms, ARGV[10] the audit head, ARGV[11] the item's sha256,
-- with the audit stream as the last key (after the counters and guard keys): the step's
-- record (common.lua step_record), written with the move.
-- Returns 1 when moved, 0 when the lease is gone, -1 when it holds another item; with a
-- guard spec {that, guard events...} (common.lua guard_settle).
local record = step_record(9)
local spec, guard_keys = guard_spec(ARGV[8])
local last = #KEYS - guard_keys - (record and 1 or 0)
need_queue_types()
need_types(KEYS[6], 'list', KEYS[7], 'hash')
need_strings_from(8, last)
if spec then
  need_guard_types(last + 1, spec)
end
local id, mode = ARGV[1], ARGV[2]
if not (mode == 'requeue' or mode == 'release' or mode == 'retry' or mode == 'defer'
    or mode == 'dead') then
  return redis.error_reply('ERR unknown settle mode ' .. tostring(mode))
end
local item = redis.call('HGET', KEYS[3], id)
if not item then
  return guard_answer(spec, 0)
end
if item ~= ARGV[3] then
  return guard_answer(spec, -1)
end
bump(8, ARGV[7], last)
if mode == 'requeue' then
  redis.call('LPUSH', KEYS[1], item)
elseif mode == 'release' then
  uncount(KEYS[4], item)
  redis.call('RPUSH', KEYS[1], item)
elseif mode == 'retry' then
  redis.call('ZADD', KEYS[5], now_ms() + tonumber(ARGV[4]), ARGV[5] .. ':' .. item)
elseif mode == 'defer' then
  local next = item
  if ARGV[6] ~= '' then
    next = ARGV[6]
  end
  local left = uncount(KEYS[4], item)
  if next ~= item then
    redis.call('HDEL', KEYS[4], item)
    if left > 0 then
      redis.call('HSET', KEYS[4], next, left)
    end
    local note = redis.call('HGET', KEYS[7], item)
    if note then
      redis.call('HSET', KEYS[7], next, note)
      redis.call('HDEL', KEYS[7], item)
    end
  end
  redis.call('ZADD', KEYS[5], now_ms() + tonumber(ARGV[4]), ARGV[5] .. ':' .. next)
elseif mode == 'dead' then
  redis.call('LPUSH', KEYS[6], ARGV[6])
  redis.call('HDEL', KEYS[4], item)
  redis.call('HDEL', KEYS[7], item)
end
-- Where it went is written; only now does the lease end.
redis.call('HDEL', KEYS[3], id)
redis.call('ZREM', KEYS[2], id)
if record then
  audit(record.stream, record.keep, record.head, ARGV[11], item)
end
local events
if spec then
  local failed = mode == 'retry' or mode == 'dead' or mode == 'requeue'
  events = guard_settle(last + 1, spec, failed and 'failure' or 'other', id)
end
return guard_answer(spec, 1, events)
