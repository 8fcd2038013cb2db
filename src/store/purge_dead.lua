-- purge: deletes dead letters for good, each with its audit record (the item's exact bytes
-- and the envelope's error: what it takes to undo the purge by hand), and counts them.
-- KEYS[1] = dead-letter list, KEYS[2] = the audit stream, KEYS[3] the total of removals
-- (a string without expiry), KEYS[4] today's counter of them. ARGV[1] audit retention ms,
-- ARGV[2] audit head (common.lua rule 3), ARGV[3] the daily counter's TTL in seconds,
-- ARGV[4] a floor: no entry is removed while the list holds that many or fewer (0: none;
-- a count cap, so racing trims never go below it), then per entry four arguments:
--   entry, item, sha256, error
-- (error '' when the entry has none). Only when exactly that entry is there (LPOS) is its
-- record written and one copy of it removed (LREM from the oldest end). Returns one flag per
-- entry: 1 purged, 0 the entry was gone, -1 kept (the list is at the floor).
need_types(KEYS[1], 'list', KEYS[2], 'stream')
need_strings_from(3)
local head = audit_head(ARGV[2])
local floor = tonumber(ARGV[4]) or 0
local removed = 0
local out = {}
for i = 5, #ARGV, 4 do
  local entry, item, sha, err = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  if floor > 0 and redis.call('LLEN', KEYS[1]) <= floor then
    out[#out + 1] = -1
  elseif redis.call('LPOS', KEYS[1], entry, 'RANK', -1) then
    local record = head
    if err ~= '' then
      record = {}
      for j = 1, #head do
        record[j] = head[j]
      end
      record[#record + 1] = 'error'
      record[#record + 1] = err
    end
    -- The record (which keeps the item) before the removal (common.lua, rule 2).
    audit(KEYS[2], ARGV[1], record, sha, item)
    redis.call('LREM', KEYS[1], -1, entry)
    removed = removed + 1
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
  end
end
if removed > 0 then
  call_unless_spoiled('INCRBY', KEYS[3], removed)
  add_to_counter(KEYS[4], removed, ARGV[3])
end
return out
