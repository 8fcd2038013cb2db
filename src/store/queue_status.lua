-- status (read-only): leases past their deadline and delayed retries already due, by the
-- server clock. KEYS[1] = leases zset, KEYS[2] = delayed zset. Returns {expired, due}.
-- Self-contained (no common.lua): it is sent whole, once per queue, in status's pipeline.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return {
  redis.call('ZCOUNT', KEYS[1], '-inf', now),
  redis.call('ZCOUNT', KEYS[2], '-inf', now),
}
