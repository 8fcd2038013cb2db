-- touch: a lease still held gets a new deadline, now + ARGV[2] ms (server clock). KEYS[1] =
-- the queue's leases zset, ARGV[1] = the lease id. `run` with a warm handler claims an item
-- while the one before is in the handler, and touches it when it hands it over, so its
-- lease counts from then, as if claimed then. Returns 1, or 0 when the lease is gone
-- (settled, or expired and taken back): then nothing is written.
-- Self-contained (no common.lua): it rides along with a settle; its type check is
-- common.lua's need_types, inline.
local found = redis.call('TYPE', KEYS[1])['ok']
if found ~= 'none' and found ~= 'zset' then
  error({err = 'WRONGTYPE key ' .. KEYS[1] .. ' holds a ' .. found .. ', but pipectl needs a zset there'})
end
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  return 0
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
return 1
