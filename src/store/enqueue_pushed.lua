-- enqueue with dedup, for items pushed in the same transaction: MULTI, LPUSH KEYS[1] the n
-- items, EVAL this, EXEC (store/enqueue.rs `push_then_dedup`). Redis makes a Lua string of
-- every argument a script gets, hashing all its bytes: leaving the items out of the
-- arguments takes about 30% off Redis's work for a bulk load. A transaction runs whole, with
-- nothing in between, so the items are the n at the head of the queue here, item j at index
-- n - j.
-- KEYS[1] = queue, KEYS[2] = seen set; ARGV = the n items' dedup values, distinct, in order.
-- The queue not a list: the LPUSH was refused, so nothing is written and this fails too.
-- The seen set not a set: the items are taken off again and this fails, nothing written.
-- Otherwise the items whose value was seen are taken off, each in its place (LSET to a
-- single NUL byte, then one LREM of as many from the head: no item is one, as an item with
-- a NUL byte is refused before it is sent), and the new values marked seen.
-- Returns {added, duplicates}.
-- Self-contained (no common.lua): it is sent whole with EVAL, which cannot meet NOSCRIPT
-- after the LPUSH ran; its type checks are common.lua's need_types, inline.
local n = #ARGV
local function wrong(key, want)
  local found = redis.call('TYPE', key)['ok']
  if found ~= 'none' and found ~= want then
    return 'WRONGTYPE key ' .. key .. ' holds a ' .. found .. ', but pipectl needs a ' .. want .. ' there'
  end
end
local refused = wrong(KEYS[1], 'list')
if refused then
  error({err = refused})
end
refused = wrong(KEYS[2], 'set')
if refused then
  redis.call('LTRIM', KEYS[1], n, -1)
  error({err = refused})
end
local known = redis.call('SMISMEMBER', KEYS[2], unpack(ARGV))
local new = 0
for j = 1, n do
  if known[j] == 0 then
    new = new + 1
  end
end
if new == 0 then
  redis.call('LTRIM', KEYS[1], n, -1)
  return {0, n}
end
local values = ARGV
if new < n then
  values = {}
  for j = 1, n do
    if known[j] == 0 then
      values[#values + 1] = ARGV[j]
    else
      redis.call('LSET', KEYS[1], n - j, '\0')
    end
  end
  redis.call('LREM', KEYS[1], n - new, '\0')
end
-- The items are in before their values are marked seen (common.lua, rule 2).
redis.call('SADD', KEYS[2], unpack(values))
return {new, n - new}
