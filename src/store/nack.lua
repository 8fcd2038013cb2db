-- nack: lease -> back of the queue, a delayed retry, or a dead-letter envelope.
-- KEYS[6] = dead-letter list.
-- ARGV[1] = lease id, ARGV[2] = 'requeue' | 'delay' | 'dead',
-- ARGV[3] = the item the caller expects under this lease (the envelope embeds it),
-- ARGV[4] = due ms and ARGV[5] = 16-hex member prefix (delay), or the envelope (dead).
-- Returns 1 when moved, 0 when the lease is gone, -1 when it holds another item.
local id, mode = ARGV[1], ARGV[2]
local item = redis.call('HGET', KEYS[3], id)
if not item then
  return 0
end
if item ~= ARGV[3] then
  return -1
end
redis.call('HDEL', KEYS[3], id)
redis.call('ZREM', KEYS[2], id)
if mode == 'requeue' then
  redis.call('LPUSH', KEYS[1], item)
elseif mode == 'release' then
  redis.call('RPUSH', KEYS[1], item)
elseif mode == 'delay' then
  redis.call('ZADD', KEYS[5], tonumber(ARGV[4]), ARGV[5] .. ':' .. item)
else
  redis.call('LPUSH', KEYS[6], ARGV[4])
  redis.call('HDEL', KEYS[4], item)
end
return 1
