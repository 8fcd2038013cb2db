-- status (read-only): leases past their deadline and delayed retries already due, by the
-- server clock. KEYS[1] = leases zset, KEYS[2] = delayed zset. Returns {expired, due}.
-- Self-contained (no common.lua): it is sent whole, once per queue, in status's pipeline.
for _, key in ipairs(KEYS) do
  local found = redis.call('TYPE', key)['ok']
  if found ~= 'none' and found ~= 'zset' then
    error({err = 'WRONGTYPE key ' .. key .. ' holds a ' .. found .. ', but pipectl needs a zset there'})
  end
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return {
  redis.call('ZCOUNT', KEYS[1], '-inf', now),
  redis.call('ZCOUNT', KEYS[2], '-inf', now),
}
