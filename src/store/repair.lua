-- repair: one bounded batch of a queue's broken lease bookkeeping, for `pipectl recover`.
-- pipectl writes a lease's item (<queue>:leased) and its deadline (<queue>:leases) in one
-- step, so one without the other was made by hand or by another tool. An item with no
-- deadline would never come back by expiry: it goes back to the consumer end of the queue.
-- A deadline with no item is dropped. Each batch is one atomic step.
-- ARGV[1] HSCAN cursor into <queue>:leased, ARGV[2] ZSCAN cursor into <queue>:leases;
-- '-' for a scan already finished. Returns {next ARGV[1], next ARGV[2], returned, dropped}
-- with '-' for a scan that has now finished.
need_queue_types()
local returned, dropped = 0, 0
local leased_cursor, leases_cursor = ARGV[1], ARGV[2]
if leased_cursor ~= '-' then
  local page = redis.call('HSCAN', KEYS[3], leased_cursor, 'COUNT', 500)
  local fields = page[2]
  for i = 1, #fields, 2 do
    local id = fields[i]
    if not redis.call('ZSCORE', KEYS[2], id) then
      local item = redis.call('HGET', KEYS[3], id)
      if item then
        redis.call('RPUSH', KEYS[1], item)
        redis.call('HDEL', KEYS[3], id)
        returned = returned + 1
      end
    end
  end
  leased_cursor = page[1] == '0' and '-' or page[1]
end
if leases_cursor ~= '-' then
  local page = redis.call('ZSCAN', KEYS[2], leases_cursor, 'COUNT', 500)
  local members = page[2]
  for i = 1, #members, 2 do
    local id = members[i]
    if redis.call('HEXISTS', KEYS[3], id) == 0 then
      redis.call('ZREM', KEYS[2], id)
      dropped = dropped + 1
    end
  end
  leases_cursor = page[1] == '0' and '-' or page[1]
end
return {leased_cursor, leases_cursor, returned, dropped}
