-- enqueue on record (an agent's pipectl_enqueue): items into a queue, or into its delayed
-- set due together, with dedup when a seen set is given, and the call's audit record
-- (common.lua rule 3), all in one step. One call is one batch (at most 2,000 items).
-- KEYS[1] the queue, KEYS[2] its delayed set, KEYS[3] the seen set (the queue's name again
-- without dedup), KEYS[4] the audit stream.
-- ARGV[1] audit keep ms, ARGV[2] the audit head, ARGV[3] 'plain' or 'dedup',
-- ARGV[4] '' (now), 'in' (ARGV[5] = delay ms from the server's clock) or 'at' (ARGV[5] = due
-- ms since the epoch), ARGV[6] the batch's id (10 hex, for delayed entries as
-- enqueue_delayed.lua makes them), then the items (plain) or dedup value/item pairs.
-- The record carries queue, added, duplicates and, when delayed, due_ms.
-- Returns {added, duplicates, due ms (-1: not delayed), server now ms}.
local dedup, mode, id = ARGV[3] == 'dedup', ARGV[4], ARGV[6]
local step = dedup and 2 or 1
local n = (#ARGV - 6) / step
if (mode ~= '' and mode ~= 'in' and mode ~= 'at') or (mode ~= '' and not tonumber(ARGV[5]))
    or not string.find(id, '^' .. string.rep('%x', 10) .. '$')
    or n ~= math.floor(n) or n > 0xffffff then
  error({err = 'ERR enqueue_recorded: bad arguments'})
end
need_types(KEYS[1], 'list', KEYS[2], 'zset', KEYS[4], 'stream')
if dedup then
  need_types(KEYS[3], 'set')
end
local now = now_ms()
local due = -1
if mode == 'in' then
  due = now + tonumber(ARGV[5])
elseif mode == 'at' then
  due = tonumber(ARGV[5])
end
local items, fresh = {}, {}
if dedup and n > 0 then
  local values = {}
  for j = 1, n do
    values[j] = ARGV[5 + 2 * j]
  end
  local known = redis.call('SMISMEMBER', KEYS[3], unpack(values))
  -- A value twice in this batch: only its first item goes in.
  local taken = {}
  for j = 1, n do
    if known[j] == 0 and not taken[values[j]] then
      taken[values[j]] = true
      fresh[#fresh + 1] = values[j]
      items[#items + 1] = ARGV[6 + 2 * j]
    end
  end
else
  for j = 1, n do
    items[j] = ARGV[6 + j]
  end
end
-- Push before marking seen: if the SADD were refused, the items are in, never lost.
for first = 1, #items, 1000 do
  local last = math.min(first + 999, #items)
  if mode == '' then
    redis.call('LPUSH', KEYS[1], unpack(items, first, last))
  else
    local slice = {}
    for j = first, last do
      slice[#slice + 1] = string.format('%d', due)
      slice[#slice + 1] = id .. string.format('%06x', j - 1) .. ':' .. items[j]
    end
    redis.call('ZADD', KEYS[2], unpack(slice))
  end
end
if #fresh > 0 then
  redis.call('SADD', KEYS[3], unpack(fresh))
end
local head = audit_head(ARGV[2])
for _, v in ipairs({'queue', KEYS[1], 'added', tostring(#items), 'duplicates',
    tostring(n - #items)}) do
  head[#head + 1] = v
end
if due >= 0 then
  head[#head + 1] = 'due_ms'
  head[#head + 1] = string.format('%d', due)
end
audit(KEYS[4], ARGV[1], head, nil, nil)
return {#items, n - #items, due, now}
