-- retry: dead letter -> a stage's input queue, with its attempt count reset.
-- KEYS[1] = dead-letter list, KEYS[2] = the queue, KEYS[3] = the queue's attempts hash.
-- ARGV = entry, item, entry, item, ...: for each pair, only when exactly that entry is there
-- (LPOS), the item is LPUSHed, one copy of the entry removed (LREM from the oldest end) and
-- the item's attempt count cleared. Returns one flag per pair: 1 moved, 0 the entry was gone.
need_types(KEYS[1], 'list', KEYS[2], 'list', KEYS[3], 'hash')
local out = {}
for i = 1, #ARGV, 2 do
  if redis.call('LPOS', KEYS[1], ARGV[i], 'RANK', -1) then
    redis.call('LPUSH', KEYS[2], ARGV[i + 1])
    redis.call('LREM', KEYS[1], -1, ARGV[i])
    redis.call('HDEL', KEYS[3], ARGV[i + 1])
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
  end
end
return out
