-- send-back: escalated staged items -> the input of the stage that escalated them, each with
-- the reviewer's note for its handler (the input's notes hash) and its audit record.
-- KEYS[1] staging list, KEYS[2..5] its claims, asks, since and sampled keys (keys.rs
-- StagedKeys), KEYS[6] the escalating stage's input queue, KEYS[7] that queue's notes hash,
-- KEYS[8] the audit stream, KEYS[9] the staging list's flagged hash.
-- ARGV[1] audit retention ms, ARGV[2] audit head (common.lua rule 3), ARGV[3] who sends
-- back, ARGV[4] '1' to send back over someone else's claim, ARGV[5] the note, then per item
-- four arguments: item, position, sha256, its escalation entry as the caller read it (the
-- destination was chosen by it). The position, counted from the consumer end, is a hint for
-- which end to search from.
-- Each item is removed once and pushed only when it was still there (as review_move does).
-- Returns per item: 1 moved, 0 already gone, -1 its escalation entry changed or went (look
-- again), or the name of the reviewer whose live claim on it stopped the move.
need_types(KEYS[1], 'list', KEYS[6], 'list', KEYS[7], 'hash', KEYS[8], 'stream', KEYS[9], 'hash')
need_staged_types(KEYS[2], KEYS[3], KEYS[4], KEYS[5])
local head = audit_head(ARGV[2])
local by, force, note = ARGV[3], ARGV[4] == '1', ARGV[5]
local now = now_ms()
local len = redis.call('LLEN', KEYS[1])
local result = {}
for i = 6, #ARGV, 4 do
  local item, pos, sha, expect = ARGV[i], tonumber(ARGV[i + 1]), ARGV[i + 2], ARGV[i + 3]
  local holder = claim_holder(KEYS[2], item, now)
  local ask = redis.call('HGET', KEYS[3], item)
  if holder and holder ~= by and not force then
    result[#result + 1] = holder
  elseif not ask or ask ~= expect then
    result[#result + 1] = -1
  else
    local count = -1
    if pos and pos > len / 2 then
      count = 1
    end
    -- The destination first (common.lua, rule 2), taken back when the item was gone.
    redis.call('LPUSH', KEYS[6], item)
    if redis.call('LREM', KEYS[1], count, item) == 1 then
      len = len - 1
      redis.call('HSET', KEYS[7], item, note)
      local record = decision_record(head, ask, holder, by)
      audit(KEYS[8], ARGV[1], record, sha, item)
      staged_leave(KEYS[2], KEYS[3], KEYS[4], KEYS[5], item)
      redis.call('HDEL', KEYS[9], item)
      result[#result + 1] = 1
    else
      redis.call('LPOP', KEYS[6])
      result[#result + 1] = 0
    end
  end
end
return result
