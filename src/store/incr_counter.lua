-- count: INCRBY + EXPIRE of one counter. KEYS[1] = counter, ARGV[1] = by, ARGV[2] = TTL s.
-- Returns the new value as Redis holds it, a string: an integer reply would pass through a
-- Lua double and lose digits past 2^53. A sum past 64 bits is refused by INCRBY (nothing
-- written); a value that is not an integer is refused too: the user asked to count.
-- Self-contained (no common.lua): it is sent whole with EVAL, several in one pipeline, by
-- every enqueue with dedup; its type check is common.lua's need_types, inline.
local found = redis.call('TYPE', KEYS[1])['ok']
if found ~= 'none' and found ~= 'string' then
  error({err = 'WRONGTYPE key ' .. KEYS[1] .. ' holds a ' .. found .. ', but pipectl needs a string there'})
end
redis.call('INCRBY', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
return redis.call('GET', KEYS[1])
