-- review flag: items that waited past their stage's max_wait are put on record, once per
-- arrival. KEYS[1] staging list, KEYS[2] its flagged hash (keys.rs StagedKeys), KEYS[3] the
-- audit stream. ARGV[1] audit retention ms, ARGV[2] audit head, then per item: item,
-- sha256, arrival ms. An item flagged for this arrival is not flagged again (staged anew, it
-- is); one no longer staged is left alone. Returns 1 (flagged now) or 0 per item.
need_types(KEYS[1], 'list', KEYS[2], 'hash', KEYS[3], 'stream')
local head = audit_head(ARGV[2])
local result = {}
for i = 3, #ARGV, 3 do
  local item, sha, since = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  if redis.call('HGET', KEYS[2], item) ~= since and redis.call('LPOS', KEYS[1], item, 'RANK', -1) then
    redis.call('HSET', KEYS[2], item, since)
    audit(KEYS[3], ARGV[1], head, sha, item)
    result[#result + 1] = 1
  else
    result[#result + 1] = 0
  end
end
return result
