-- pop: queue -> caller, no lease (like RPOP). ARGV[1] = count.
need_queue_types()
local now = now_ms()
reap(KEYS[1], KEYS[2], KEYS[3], KEYS[5], now, 1000)
local items = redis.call('RPOP', KEYS[1], tonumber(ARGV[1]))
if not items then
  return {}
end
-- The item leaves pipectl's custody: forget its attempt count.
if redis.call('EXISTS', KEYS[4]) == 1 then
  for _, item in ipairs(items) do
    redis.call('HDEL', KEYS[4], item)
  end
end
return items
