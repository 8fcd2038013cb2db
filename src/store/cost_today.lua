-- status (read-only): what a stage's items cost today, per unit it has reported. KEYS[1] =
-- the stage's budget hash, whose `max:<unit>` fields name every unit the stage's settle steps
-- have counted (common.lua guard_settle); ARGV[1], ARGV[2] = the daily cost counter's name
-- around its unit (keys.rs cost_counter_around: prefix .. unit .. suffix), in the hash's
-- slot. Returns {unit, millionths, ...}; a counter spoiled by hand reads as -1.
-- Self-contained (no common.lua): it is sent whole, once per stage, in a pipeline.
local found = redis.call('TYPE', KEYS[1])['ok']
if found ~= 'hash' then
  if found == 'none' then
    return {}
  end
  error({err = 'WRONGTYPE key ' .. KEYS[1] .. ' holds a ' .. found .. ', but pipectl needs a hash there'})
end
local out = {}
for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
  local unit = string.match(field, '^max:(.+)$')
  if unit then
    local key = ARGV[1] .. unit .. ARGV[2]
    local n = 0
    if redis.call('TYPE', key)['ok'] == 'string' then
      n = tonumber(redis.call('GET', key)) or -1
    elseif redis.call('EXISTS', key) == 1 then
      n = -1
    end
    out[#out + 1] = unit
    out[#out + 1] = n
  end
end
return out
