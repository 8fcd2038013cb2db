-- approve / reject: staged items -> the manual stage's output queue, or -> the rejected list.
-- KEYS[1] = staging list, KEYS[2] = destination list.
-- ARGV = item, payload, position, item, payload, position, ... where payload is what gets
-- pushed (the item itself for approve, its rejection envelope for reject) and position is
-- where the item was seen, counted from the consumer end: a hint for which end to search
-- from, so an item far from the consumer end of a long list is found without scanning it all.
-- Each item is removed once and its payload pushed only when it was still there: two
-- reviewers moving the same item move it once, and an item is never in both lists nor in
-- neither. (Equal items are interchangeable, so which occurrence goes does not matter.)
-- Returns 1 (moved) or 0 (already gone) per item.
need_types(KEYS[1], 'list', KEYS[2], 'list')
local len = redis.call('LLEN', KEYS[1])
local moved = {}
for i = 1, #ARGV, 3 do
  local count = -1
  local pos = tonumber(ARGV[i + 2])
  if pos and pos > len / 2 then
    count = 1
  end
  -- The destination first (common.lua, rule 2), taken back when the item was gone.
  redis.call('LPUSH', KEYS[2], ARGV[i + 1])
  if redis.call('LREM', KEYS[1], count, ARGV[i]) == 1 then
    len = len - 1
    moved[#moved + 1] = 1
  else
    redis.call('LPOP', KEYS[2])
    moved[#moved + 1] = 0
  end
end
return moved
