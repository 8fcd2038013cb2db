-- status (read-only): leases past their deadline and delayed retries already due, by the
-- server clock. KEYS[1] = leases zset, KEYS[2] = delayed zset. Returns {expired, due}.
local now = now_ms()
return {
  redis.call('ZCOUNT', KEYS[1], '-inf', now),
  redis.call('ZCOUNT', KEYS[2], '-inf', now),
}
