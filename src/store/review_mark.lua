-- review mark: a policy puts a mark on staged items, each with its audit record: 'sample'
-- (left for a person as the auto-approve policy's audit sample) or 'flag' (waited past the
-- stage's max_wait). KEYS[1] staging list, KEYS[2] its sampled set, KEYS[3] its flagged hash,
-- KEYS[4] the audit stream. ARGV[1] audit retention ms, ARGV[2] audit head, ARGV[3] 'sample'
-- or 'flag', then per item: item, sha256, arrival ms (for 'flag': an item flagged for this
-- arrival is not flagged again; staged anew, it is).
-- An item no longer staged, or marked already, is left alone. Returns 1 (marked) or 0 per item.
need_types(KEYS[1], 'list', KEYS[2], 'set', KEYS[3], 'hash', KEYS[4], 'stream')
local head = audit_head(ARGV[2])
local result = {}
for i = 4, #ARGV, 3 do
  local item, sha, since = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local fresh
  if ARGV[3] == 'sample' then
    fresh = redis.call('SISMEMBER', KEYS[2], item) == 0
  else
    fresh = redis.call('HGET', KEYS[3], item) ~= since
  end
  if fresh and redis.call('LPOS', KEYS[1], item, 'RANK', -1) then
    if ARGV[3] == 'sample' then
      redis.call('SADD', KEYS[2], item)
    else
      redis.call('HSET', KEYS[3], item, since)
    end
    audit(KEYS[4], ARGV[1], head, sha, item)
    result[#result + 1] = 1
  else
    result[#result + 1] = 0
  end
end
return result
