-- retry: dead letter -> a stage's input queue, with its attempt count reset and its audit
-- record. KEYS[1] = dead-letter list, KEYS[2] = the queue, KEYS[3] = the queue's attempts
-- hash, KEYS[4] = the audit stream. ARGV[1] audit retention ms, ARGV[2] audit head
-- (common.lua rule 3), then ARGV = entry, item, sha256, entry, item, sha256, ...: for each,
-- only when exactly that entry is there (LPOS), the item is LPUSHed, its record written, one
-- copy of the entry removed (LREM from the oldest end) and the item's attempt count cleared.
-- Returns one flag per entry: 1 moved, 0 the entry was gone.
need_types(KEYS[1], 'list', KEYS[2], 'list', KEYS[3], 'hash', KEYS[4], 'stream')
local head = audit_head(ARGV[2])
local out = {}
for i = 3, #ARGV, 3 do
  local entry, item, sha = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  if redis.call('LPOS', KEYS[1], entry, 'RANK', -1) then
    redis.call('LPUSH', KEYS[2], item)
    audit(KEYS[4], ARGV[1], head, sha, item)
    redis.call('LREM', KEYS[1], -1, entry)
    redis.call('HDEL', KEYS[3], item)
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
  end
end
return out
