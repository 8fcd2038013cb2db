-- enqueue --in / --at: items into the queue's delayed set, due together; they join the
-- queue when a claim reaps them (common.lua, reap), as retries do. With a seen set, marking
-- seen and adding happen together or not at all, as in enqueue_dedup.lua.
-- KEYS[1] = the queue's delayed set (zset), KEYS[2] (optional) = the seen set.
-- ARGV[1] = 'in' (ARGV[2] = delay ms, counted from the server's clock now) or 'at'
-- (ARGV[2] = due time, ms since the epoch), ARGV[3] = the batch's id (10 hex, random),
-- ARGV[4] = the sequence number of this call's first item; then the items, or with a seen
-- set pairs: dedup value, item. At most 2,000 items per call (batch/mod.rs).
-- An entry is '<id><6-hex sequence>:<item>', the 16-hex prefix delayed_item strips: unique,
-- so equal items are two entries, and ordered as the input among equal due times.
-- Returns {added, duplicates, due ms, server now ms}.
local mode, id, first = ARGV[1], ARGV[3], tonumber(ARGV[4])
local dedup = KEYS[2] ~= nil
local step = dedup and 2 or 1
local n = (#ARGV - 4) / step
if (mode ~= 'in' and mode ~= 'at') or not tonumber(ARGV[2]) or not first
    or not string.find(id, '^' .. string.rep('%x', 10) .. '$')
    or n ~= math.floor(n) or first < 0 or first + n - 1 > 0xffffff then
  error({err = 'ERR enqueue_delayed: bad arguments'})
end
local now = now_ms()
local due = tonumber(ARGV[2])
if mode == 'in' then
  due = now + due
end
if n == 0 then
  return {0, 0, due, now}
end
if dedup then
  need_types(KEYS[1], 'zset', KEYS[2], 'set')
else
  need_types(KEYS[1], 'zset')
end
local score = string.format('%d', due)
local members = {}
local function add(j, item)
  members[#members + 1] = id .. string.format('%06x', first + j - 1) .. ':' .. item
end
local fresh = {}
if dedup then
  local values = {}
  for j = 1, n do
    values[j] = ARGV[3 + 2 * j]
  end
  local known = redis.call('SMISMEMBER', KEYS[2], unpack(values))
  -- A value twice in this batch: only its first item goes in.
  local taken = {}
  for j = 1, n do
    if known[j] == 0 and not taken[values[j]] then
      taken[values[j]] = true
      fresh[#fresh + 1] = values[j]
      add(j, ARGV[4 + 2 * j])
    end
  end
else
  for j = 1, n do
    add(j, ARGV[4 + j])
  end
end
-- Add before marking seen: if the SADD were refused, the items are in, never lost.
local slice = {}
for i, member in ipairs(members) do
  slice[#slice + 1] = score
  slice[#slice + 1] = member
  if #slice == 1000 or i == #members then
    redis.call('ZADD', KEYS[1], unpack(slice))
    slice = {}
  end
end
if #fresh > 0 then
  redis.call('SADD', KEYS[2], unpack(fresh))
end
return {#members, n - #members, due, now}
