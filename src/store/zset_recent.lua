-- status (read-only): how many entries of a zset are scored within the last ARGV[1] ms by
-- the server clock (a circuit breaker's recent failures). KEYS[1] = the zset.
-- Self-contained (no common.lua): it is sent whole with EVAL inside status's pipeline.
local found = redis.call('TYPE', KEYS[1])['ok']
if found ~= 'none' and found ~= 'zset' then
  error({err = 'WRONGTYPE key ' .. KEYS[1] .. ' holds a ' .. found .. ', but pipectl needs a zset there'})
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZCOUNT', KEYS[1], now - tonumber(ARGV[1]), '+inf')
