-- ack: lease -> done. KEYS[6] the queue's notes hash (an acked item's note is done with);
-- for a guarded stage also KEYS[7..] its guard keys (common.lua rule 4), and then ARGV[1] is
-- the guard spec: each lease acked is the stage's success (a breaker's probe closes it).
-- ARGV = lease ids (after the spec, when guarded). Returns 1 per id acked, 0 per id not
-- leased.
local spec, first = nil, 1
if #KEYS > 6 then
  spec = guard_spec(ARGV[1])
  first = 2
end
need_queue_types()
need_types(KEYS[6], 'hash')
if spec then
  need_guard_types(7, spec)
end
local done = {}
for i = first, #ARGV do
  local id = ARGV[i]
  local item = redis.call('HGET', KEYS[3], id)
  if item then
    redis.call('HDEL', KEYS[3], id)
    redis.call('ZREM', KEYS[2], id)
    redis.call('HDEL', KEYS[4], item)
    redis.call('HDEL', KEYS[6], item)
    if spec then
      guard_settle(7, spec, 'success', id)
    end
    done[#done + 1] = 1
  else
    done[#done + 1] = 0
  end
end
return done
