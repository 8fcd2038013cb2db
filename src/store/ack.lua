-- ack: lease -> done. KEYS[6] the queue's notes hash (an acked item's note is done with).
-- ARGV = lease ids. Returns 1 per id acked, 0 per id not leased.
need_queue_types()
need_types(KEYS[6], 'hash')
local done = {}
for i, id in ipairs(ARGV) do
  local item = redis.call('HGET', KEYS[3], id)
  if item then
    redis.call('HDEL', KEYS[3], id)
    redis.call('ZREM', KEYS[2], id)
    redis.call('HDEL', KEYS[4], item)
    redis.call('HDEL', KEYS[6], item)
    done[i] = 1
  else
    done[i] = 0
  end
end
return done
