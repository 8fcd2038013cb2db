-- enqueue with dedup: mark seen and push happen together or not at all.
-- KEYS[1] = queue, KEYS[2] = seen set. ARGV = n dedup values, then the n items in the same
-- order (value j is item j's; at most 2,000 pairs per call: batch.rs; well within what
-- unpack can pass on). The values are distinct: the caller leaves out an item whose value
-- came earlier in its batch, and counts it as a duplicate (store/enqueue.rs).
-- An item goes in when its value is not in the set.
-- A few commands per batch, not two per item: one SMISMEMBER, one LPUSH of the new items
-- (in order), then one SADD of their values. Both keys' types are known to be right before the
-- first write, so a key of the wrong type fails the batch with nothing written. When every
-- item is new (a bulk load's usual case) the arguments go on as they came, with no table
-- built of them: the script's cost is then little more than its three commands'.
-- With KEYS[3] and KEYS[4] (one server: a one-shot enqueue's day counters of new and
-- duplicate items, keys.rs counter) the last two ARGV are the duplicates the caller left
-- out and the counters' TTL in seconds: they are added to in the same step, and a third
-- value says whether they were (0: one holds a value that is not a number, left as it was).
-- Returns {added, duplicates} (or {added, duplicates, counted}); the duplicates the caller
-- left out are not among them.
local counted = #KEYS == 4
local n = (counted and #ARGV - 2 or #ARGV) / 2
local function done(added, dups)
  if not counted then
    return {added, dups}
  end
  local ok = 1
  for i, by in ipairs({added, dups + tonumber(ARGV[#ARGV - 1])}) do
    if by > 0 then
      if call_unless_spoiled('INCRBY', KEYS[2 + i], by) then
        redis.call('EXPIRE', KEYS[2 + i], ARGV[#ARGV])
      else
        ok = 0
      end
    end
  end
  return {added, dups, ok}
end
if n == 0 then
  return done(0, 0)
end
need_types(KEYS[1], 'list', KEYS[2], 'set')
if counted then
  need_types(KEYS[3], 'string', KEYS[4], 'string')
end
local known = redis.call('SMISMEMBER', KEYS[2], unpack(ARGV, 1, n))
local new = 0
for j = 1, n do
  if known[j] == 0 then
    new = new + 1
  end
end
if new == n then
  -- Push before marking seen: if the SADD were refused, the items are in, never lost.
  redis.call('LPUSH', KEYS[1], unpack(ARGV, n + 1, 2 * n))
  redis.call('SADD', KEYS[2], unpack(ARGV, 1, n))
  return done(n, 0)
end
if new == 0 then
  return done(0, n)
end
local fresh, items = {}, {}
for j = 1, n do
  if known[j] == 0 then
    fresh[#fresh + 1] = ARGV[j]
    items[#items + 1] = ARGV[n + j]
  end
end
-- Push before marking seen, as above.
redis.call('LPUSH', KEYS[1], unpack(items))
redis.call('SADD', KEYS[2], unpack(fresh))
return done(new, n - new)
