-- resume: clears a stage's pause flag and records who resumed it, in one step.
-- KEYS[1] the pause flag, KEYS[2] the audit stream. ARGV[1] audit retention ms, ARGV[2]
-- audit head (common.lua rule 3). A stage that is not paused is left alone and nothing is
-- recorded. Returns the reason it was paused for (also in the record, as `reason`), or
-- false when it was not paused. KEYS[3..] (optional): the stage's breaker keys (keys.rs
-- breaker, breaker_failures), cleared in the same step: a resume closes the breaker.
need_types(KEYS[1], 'string', KEYS[2], 'stream')
if KEYS[3] then
  need_types(KEYS[3], 'hash', KEYS[4], 'zset')
  redis.call('DEL', KEYS[3], KEYS[4])
end
local reason = redis.call('GET', KEYS[1])
if not reason then
  -- A write even so (of nothing: the key is not there), so a read-only replica refuses the
  -- step (READONLY) rather than answering from its copy.
  redis.call('DEL', KEYS[1])
  return false
end
local record = audit_head(ARGV[2])
record[#record + 1] = 'reason'
record[#record + 1] = reason
audit(KEYS[2], ARGV[1], record, nil, nil)
redis.call('DEL', KEYS[1])
return reason
