-- enqueue with dedup: mark seen and push happen together or not at all.
-- KEYS[1] = queue, KEYS[2] = seen set. ARGV = dedup value, item, dedup value, item, ...
-- An item goes in when its value is neither in the set nor earlier in this batch.
-- A few commands per batch, not two per item: SMISMEMBER all values, then one LPUSH of the
-- new items (in order) and one SADD of their values, in slices that fit Lua's unpack.
-- The reads come first and the queue's type is checked by the LPUSH before the SADD, so a
-- key of the wrong type fails the batch before anything is written.
-- Returns {added, duplicates}.
local SLICE = 1000
local function each_slice(list, f)
  for first = 1, #list, SLICE do
    f(unpack(list, first, math.min(first + SLICE - 1, #list)))
  end
end
local values = {}
for i = 1, #ARGV, 2 do
  values[#values + 1] = ARGV[i]
end
local known = {}
each_slice(values, function(...)
  for _, flag in ipairs(redis.call('SMISMEMBER', KEYS[2], ...)) do
    known[#known + 1] = flag
  end
end)
local fresh, items, taken = {}, {}, {}
for j, value in ipairs(values) do
  if known[j] == 0 and not taken[value] then
    taken[value] = true
    fresh[#fresh + 1] = value
    items[#items + 1] = ARGV[2 * j]
  end
end
each_slice(items, function(...) redis.call('LPUSH', KEYS[1], ...) end)
each_slice(fresh, function(...) redis.call('SADD', KEYS[2], ...) end)
return {#fresh, #values - #fresh}
