-- status (read-only): how long the longest-waiting staged item has waited, and how many
-- waited past max_wait, by the server clock. KEYS[1] = a staging list's arrival zset
-- (keys.rs StagedKeys.since), ARGV[1] = max_wait in ms (0: none).
-- Returns {age ms of the oldest arrival, or -1 when none is known; items past max_wait}.
-- Self-contained (no common.lua): it is sent whole, once per manual stage, in a pipeline.
local found = redis.call('TYPE', KEYS[1])['ok']
if found ~= 'none' and found ~= 'zset' then
  error({err = 'WRONGTYPE key ' .. KEYS[1] .. ' holds a ' .. found .. ', but pipectl needs a zset there'})
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local age = -1
if first[2] then
  age = math.max(0, now - tonumber(first[2]))
end
local overdue = 0
local max_wait = tonumber(ARGV[1])
if max_wait and max_wait > 0 then
  overdue = redis.call('ZCOUNT', KEYS[1], '-inf', '(' .. (now - max_wait))
end
return {age, overdue}
