-- enqueue with dedup: mark seen and push happen together or not at all.
-- KEYS[1] = queue, KEYS[2] = seen set. ARGV = dedup value, item, dedup value, item, ...
-- (at most 2,000 pairs per call: batch.rs; well within what unpack can pass on).
-- An item goes in when its value is neither in the set nor earlier in this batch.
-- A few commands per batch, not two per item: one SMISMEMBER, one SADD of the new values,
-- one LPUSH of their items (in order). Both keys' types are known to be right before the
-- first write, so a key of the wrong type fails the batch with nothing written.
-- Returns {added, duplicates}.
local n = #ARGV / 2
if n == 0 then
  return {0, 0}
end
local queue_type = redis.call('TYPE', KEYS[1]).ok
if queue_type ~= 'list' and queue_type ~= 'none' then
  return redis.error_reply('WRONGTYPE Operation against a key holding the wrong kind of value')
end
local values = {}
for j = 1, n do
  values[j] = ARGV[2 * j - 1]
end
local known = redis.call('SMISMEMBER', KEYS[2], unpack(values))
local fresh, items = {}, {}
for j = 1, n do
  if known[j] == 0 then
    fresh[#fresh + 1] = values[j]
    items[#items + 1] = ARGV[2 * j]
  end
end
if #fresh == 0 then
  return {0, n}
end
if redis.call('SADD', KEYS[2], unpack(fresh)) < #fresh then
  -- A value twice in this batch: only its first item goes in.
  local taken = {}
  items = {}
  for j = 1, n do
    if known[j] == 0 and not taken[values[j]] then
      taken[values[j]] = true
      items[#items + 1] = ARGV[2 * j]
    end
  end
end
redis.call('LPUSH', KEYS[1], unpack(items))
return {#items, n - #items}
