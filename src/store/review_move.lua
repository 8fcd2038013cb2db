-- approve / reject: staged items -> a destination list, each with its audit record.
-- KEYS[1] staging list, KEYS[2] destination list, KEYS[3..6] the staging list's claims, asks,
-- since and sampled keys (keys.rs StagedKeys), KEYS[7] the audit stream, KEYS[8] its flagged
-- hash.
-- ARGV[1] audit retention ms, ARGV[2] audit head (common.lua rule 3), ARGV[3] who decides,
-- ARGV[4] flags: 'f' to decide over someone else's claim, 'p' for a policy (which leaves
-- alone an item sampled for a person), ARGV[5] a policy's audit head for the items it
-- samples instead of moving ('[]' when unused), then per item five arguments:
--   item, payload, position, sha256, expected question
-- where payload is what gets pushed (the item itself for approve, its rejection envelope for
-- reject); position is where the item was seen, counted from the consumer end: a hint for
-- which end to search from; the expected question is the item's escalation entry as the
-- caller read it ('' for none, '*' for any), since it chose the destination by it, or '!'
-- from a policy: sample it for a person instead (SADD sampled, with its record). A policy
-- decides each item once, moved or sampled, in one step: racing runs cannot both decide it.
-- Each item is removed once and its payload pushed only when it was still there: two
-- reviewers moving the same item move it once, and an item is never in both lists nor in
-- neither. (Equal items are interchangeable, so which occurrence goes does not matter.)
-- Returns per item: 1 moved, 0 already gone, -1 its question changed or (for a policy) it is
-- sampled for a person already, 2 sampled now, or the name of the reviewer whose live claim
-- on it stopped the move.
need_types(KEYS[1], 'list', KEYS[2], 'list', KEYS[7], 'stream', KEYS[8], 'hash')
need_staged_types(KEYS[3], KEYS[4], KEYS[5], KEYS[6])
local head = audit_head(ARGV[2])
local sample_head = audit_head(ARGV[5])
local by = ARGV[3]
local force = string.find(ARGV[4], 'f', 1, true) ~= nil
local policy = string.find(ARGV[4], 'p', 1, true) ~= nil
local now = now_ms()
local len = redis.call('LLEN', KEYS[1])
local result = {}
for i = 6, #ARGV, 5 do
  local item, payload, pos, sha, expect = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2]), ARGV[i + 3], ARGV[i + 4]
  local holder = claim_holder(KEYS[3], item, now)
  local ask = redis.call('HGET', KEYS[4], item)
  if holder and holder ~= by and not force then
    result[#result + 1] = holder
  elseif policy and redis.call('SISMEMBER', KEYS[6], item) == 1 then
    result[#result + 1] = -1
  elseif policy and expect == '!' then
    if redis.call('LPOS', KEYS[1], item, 'RANK', -1) then
      redis.call('SADD', KEYS[6], item)
      audit(KEYS[7], ARGV[1], sample_head, sha, item)
      result[#result + 1] = 2
    else
      result[#result + 1] = 0
    end
  elseif expect ~= '*' and (ask or '') ~= expect then
    result[#result + 1] = -1
  else
    local count = -1
    if pos and pos > len / 2 then
      count = 1
    end
    -- The destination first (common.lua, rule 2), taken back when the item was gone.
    redis.call('LPUSH', KEYS[2], payload)
    if redis.call('LREM', KEYS[1], count, item) == 1 then
      len = len - 1
      local record = decision_record(head, ask, holder, by)
      audit(KEYS[7], ARGV[1], record, sha, item)
      staged_leave(KEYS[3], KEYS[4], KEYS[5], KEYS[6], item)
      redis.call('HDEL', KEYS[8], item)
      result[#result + 1] = 1
    else
      redis.call('LPOP', KEYS[2])
      result[#result + 1] = 0
    end
  end
end
return result
