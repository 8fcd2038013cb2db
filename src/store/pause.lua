-- pause: sets a stage's pause flag and records who paused it, in one step.
-- KEYS[1] the pause flag (`<pipeline>:paused:<stage>`, a string holding the reason),
-- KEYS[2] the audit stream, KEYS[3] the notification outbox. ARGV[1] audit retention ms,
-- ARGV[2] audit head (common.lua rule 3), ARGV[3] the reason, ARGV[4] the stage, ARGV[5]
-- the stage_paused event's details ('' when notifications are off). A pause of a paused
-- stage replaces its reason (and is recorded too, but raises no event). Returns the reason
-- it had before, or false when it was running.
need_types(KEYS[1], 'string', KEYS[2], 'stream', KEYS[3], 'stream')
local before = redis.call('GET', KEYS[1])
audit(KEYS[2], ARGV[1], audit_head(ARGV[2]), nil, nil)
redis.call('SET', KEYS[1], ARGV[3])
if not before and ARGV[5] ~= '' then
  notify(KEYS[3], 'stage_paused', ARGV[4], ARGV[5])
end
return before
