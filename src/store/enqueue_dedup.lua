-- enqueue with dedup: mark seen and push happen together or not at all.
-- KEYS[1] = queue, KEYS[2] = seen set. ARGV = n dedup values, then the n items in the same
-- order (value j is item j's; at most 2,000 pairs per call: batch.rs; well within what
-- unpack can pass on).
-- An item goes in when its value is neither in the set nor earlier in this batch.
-- A few commands per batch, not two per item: one SMISMEMBER, one LPUSH of the new items
-- (in order), then one SADD of their values. Both keys' types are known to be right before the
-- first write, so a key of the wrong type fails the batch with nothing written. When every
-- item is new (a bulk load's usual case) the arguments go on as they came, with no table
-- built of them: the script's cost is then little more than its three commands'.
-- Returns {added, duplicates}.
local n = #ARGV / 2
if n == 0 then
  return {0, 0}
end
need_types(KEYS[1], 'list', KEYS[2], 'set')
local known = redis.call('SMISMEMBER', KEYS[2], unpack(ARGV, 1, n))
local taken, all = {}, true
for j = 1, n do
  local value = ARGV[j]
  if known[j] ~= 0 or taken[value] then
    all = false
    break
  end
  taken[value] = true
end
if all then
  -- Push before marking seen: if the SADD were refused, the items are in, never lost.
  redis.call('LPUSH', KEYS[1], unpack(ARGV, n + 1, 2 * n))
  redis.call('SADD', KEYS[2], unpack(ARGV, 1, n))
  return {n, 0}
end
-- New values, each once (a value twice in this batch: only its first item goes in).
local fresh, items = {}, {}
taken = {}
for j = 1, n do
  local value = ARGV[j]
  if known[j] == 0 and not taken[value] then
    taken[value] = true
    fresh[#fresh + 1] = value
    items[#items + 1] = ARGV[n + j]
  end
end
if #items == 0 then
  return {0, n}
end
-- Push before marking seen, as above.
redis.call('LPUSH', KEYS[1], unpack(items))
redis.call('SADD', KEYS[2], unpack(fresh))
return {#items, n - #items}
