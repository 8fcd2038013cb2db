-- review claim: the next staged item no other reviewer holds, claimed for a while.
-- KEYS[1] staging list, KEYS[2] its claims hash (keys.rs StagedKeys), KEYS[3] its asks hash,
-- KEYS[4] its since zset.
-- ARGV[1] who claims, ARGV[2] claim ms, ARGV[3] most items to look at, ARGV[4..] items this
-- reviewer passed over in this session (skipped), not shown again.
-- Walks from the consumer end (position 1 = LINDEX -1). An item held by someone else's live
-- claim is passed over; the first other one is claimed (an expired claim is taken over, the
-- reviewer's own renewed) and returned: {position, item, question entry or false, staged at
-- ms or false}; {} when there is none within the budget.
need_types(KEYS[1], 'list', KEYS[2], 'hash', KEYS[3], 'hash', KEYS[4], 'zset')
local me, ttl, budget = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local passed = {}
for i = 4, #ARGV do
  passed[ARGV[i]] = true
end
local now = now_ms()
local page = 100
local looked = 0
while looked < budget do
  local items = redis.call('LRANGE', KEYS[1], -(looked + page), -(looked + 1))
  if #items == 0 then
    break
  end
  for j = #items, 1, -1 do
    local item = items[j]
    local pos = looked + (#items - j) + 1
    if not passed[item] then
      local holder = claim_holder(KEYS[2], item, now)
      if not holder or holder == me then
        redis.call('HSET', KEYS[2], item, tostring(now + ttl) .. ' ' .. me)
        local ask = redis.call('HGET', KEYS[3], item) or false
        local since = redis.call('ZSCORE', KEYS[4], item) or false
        return {pos, item, ask, since}
      end
    end
  end
  looked = looked + #items
  if #items < page then
    break
  end
end
return {}
