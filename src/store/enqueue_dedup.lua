-- enqueue with dedup: mark seen and push happen together or not at all.
-- KEYS[1] = queue, KEYS[2] = seen set. ARGV = dedup value, item, dedup value, item, ...
-- Returns {added, duplicates}.
need_types(KEYS[1], 'list', KEYS[2], 'set')
local added, dups = 0, 0
for i = 1, #ARGV, 2 do
  if redis.call('SISMEMBER', KEYS[2], ARGV[i]) == 0 then
    redis.call('LPUSH', KEYS[1], ARGV[i + 1])
    redis.call('SADD', KEYS[2], ARGV[i])
    added = added + 1
  else
    dups = dups + 1
  end
end
return {added, dups}
