-- pop: queue -> caller, no lease (like RPOP). KEYS[6] the queue's notes hash.
-- ARGV[1] = count.
need_queue_types()
need_types(KEYS[6], 'hash')
local now = now_ms()
reap(KEYS[1], KEYS[2], KEYS[3], KEYS[5], now, 1000)
local items = redis.call('RPOP', KEYS[1], tonumber(ARGV[1]))
if not items then
  return {}
end
-- The item leaves pipectl's custody: forget its attempt count and any reviewer's note.
for _, key in ipairs({KEYS[4], KEYS[6]}) do
  if redis.call('EXISTS', key) == 1 then
    for _, item in ipairs(items) do
      redis.call('HDEL', key, item)
    end
  end
end
return items
