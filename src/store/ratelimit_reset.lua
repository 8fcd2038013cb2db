-- ratelimit reset: deletes a rate-limit window and records who reset it, in one step.
-- KEYS[1] the rate-limit counter (a string with a TTL), KEYS[2] the audit stream.
-- ARGV[1] audit retention ms, ARGV[2] audit head (common.lua rule 3). No window open: nothing
-- changes and nothing is recorded. Returns the uses the window had counted (as stored, also
-- in the record as `used`), or false when no window was open.
need_types(KEYS[1], 'string', KEYS[2], 'stream')
local used = redis.call('GET', KEYS[1])
if not used then
  -- A write even so (of nothing: the key is not there), so a read-only replica refuses the
  -- step (READONLY) rather than answering from its copy.
  redis.call('DEL', KEYS[1])
  return false
end
local record = audit_head(ARGV[2])
record[#record + 1] = 'used'
record[#record + 1] = used
audit(KEYS[2], ARGV[1], record, nil, nil)
redis.call('DEL', KEYS[1])
return used
