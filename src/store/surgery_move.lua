-- move / rm / unreject (item surgery): list entries out of a list, each into another list
-- (or nowhere), each with its audit record.
-- KEYS[1] the list the entries leave, KEYS[2] where they go (rm: KEYS[1] again), KEYS[3] the
-- audit stream, KEYS[4..7] the claims, asks, since and sampled keys beside KEYS[1] when it is
-- a staging list (keys.rs StagedKeys; else KEYS[1] again), KEYS[8] the since key beside KEYS[2]
-- when it is a staging list (else KEYS[1] again), KEYS[9] and KEYS[10] the attempts and notes
-- hashes beside KEYS[1] when it is a stage's queue (else KEYS[1] again): an entry taken out of
-- a queue leaves them too. Unused slots repeat KEYS[1], so every key of a call stays in one
-- hash slot.
-- ARGV[1] audit retention ms, ARGV[2] audit head (common.lua rule 3), ARGV[3] mode: 'move'
-- (each entry lands as it is), 'unwrap' (each lands as the payload given: an envelope's item)
-- or 'rm' (lands nowhere), ARGV[4] '1' when KEYS[1] is a staging list, ARGV[5] '1' when
-- KEYS[2] is one, ARGV[6] a marker value no entry holds (a fresh random one per call), then
-- per entry: the entry, its position as seen (1 = LINDEX -1), the sha256 of the bytes the
-- audit record keeps, and in 'unwrap' mode the payload.
-- When the entries are exactly the ones at one end of the list, at the positions given (the
-- next 500 in line, as --all takes them), they are checked with one LRANGE, written to their
-- destination and cut off with one LTRIM. Otherwise each is found at its position when it is
-- still there (LINDEX), else by a scan from the nearer end (LPOS); found, its destination is
-- written first (common.lua rule 2: the record is an rm's only destination), then it is
-- overwritten with the marker in place, so the positions of the others do not shift; one
-- LREM of the markers then removes them all in one scan. Each entry is taken once: two
-- processes moving the same item move it once.
-- (Equal entries are interchangeable, so which occurrence goes does not matter.)
-- Returns per entry: 1 taken, 0 not there any more.
local mode = ARGV[3]
local from_staged, to_staged = ARGV[4] == '1', ARGV[5] == '1'
need_types(KEYS[1], 'list', KEYS[3], 'stream')
if mode ~= 'rm' then
  need_types(KEYS[2], 'list')
  if KEYS[1] == KEYS[2] then
    error({err = 'ERR pipectl: ' .. KEYS[1] .. ' is both where the items are and where they would go'})
  end
end
if from_staged then
  need_staged_types(KEYS[4], KEYS[5], KEYS[6], KEYS[7])
end
if to_staged then
  need_types(KEYS[8], 'zset')
end
local from_queue = KEYS[9] ~= KEYS[1]
if from_queue then
  need_types(KEYS[9], 'hash', KEYS[10], 'hash')
end

-- The bookkeeping beside the source that leaves with an entry.
local function leave(entry)
  if from_staged then
    staged_leave(KEYS[4], KEYS[5], KEYS[6], KEYS[7], entry)
  end
  if from_queue then
    redis.call('HDEL', KEYS[9], entry)
    redis.call('HDEL', KEYS[10], entry)
  end
end
local head = audit_head(ARGV[2])
local marker = ARGV[6]
local now = now_ms()
local len = redis.call('LLEN', KEYS[1])
local step = 3
if mode == 'unwrap' then
  step = 4
end

-- Lands one entry: its destination (or none), its arrival, its record, its bookkeeping.
local function land(i, entry, sha)
  local kept = entry
  if mode == 'unwrap' then
    kept = ARGV[i + 3]
  end
  if mode ~= 'rm' then
    redis.call('LPUSH', KEYS[2], kept)
    if to_staged then
      staged_arrive(KEYS[8], kept, now)
    end
  end
  audit(KEYS[3], ARGV[1], head, sha, kept)
end

-- The end of the list the entries are exactly at ('tail': positions 1..n, 'head': the last
-- n), each one there, or nil.
local function whole_end()
  local n = (#ARGV - 6) / step
  if n < 1 or n > len then
    return nil
  end
  local seen, top = {}, 0
  for i = 7, #ARGV, step do
    local pos = tonumber(ARGV[i + 1])
    if not pos or pos < 1 or pos > len or pos ~= math.floor(pos) or seen[pos] then
      return nil
    end
    seen[pos] = true
    if pos > top then
      top = pos
    end
  end
  local at_tail = top == n
  local low = len - n + 1
  if not at_tail then
    for pos in pairs(seen) do
      if pos < low then
        return nil
      end
    end
  end
  local window
  if at_tail then
    window = redis.call('LRANGE', KEYS[1], -n, -1)
  else
    window = redis.call('LRANGE', KEYS[1], 0, n - 1)
  end
  for i = 7, #ARGV, step do
    local pos = tonumber(ARGV[i + 1])
    local k = len - pos + 1
    if at_tail then
      k = n - pos + 1
    end
    if window[k] ~= ARGV[i] then
      return nil
    end
  end
  if at_tail then
    return 'tail', n
  end
  return 'head', n
end

local result = {}
local block, n = whole_end()
if block then
  for i = 7, #ARGV, step do
    land(i, ARGV[i], ARGV[i + 2])
    leave(ARGV[i])
    result[#result + 1] = 1
  end
  if block == 'tail' then
    redis.call('LTRIM', KEYS[1], 0, -n - 1)
  else
    redis.call('LTRIM', KEYS[1], n, -1)
  end
  return result
end

local marked, lo, hi = 0, len, -1
for i = 7, #ARGV, step do
  local entry, pos, sha = ARGV[i], tonumber(ARGV[i + 1]), ARGV[i + 2]
  local index = nil
  if pos and pos >= 1 and pos <= len and redis.call('LINDEX', KEYS[1], -pos) == entry then
    index = len - pos
  else
    local rank = -1
    if pos and pos > len / 2 then
      rank = 1
    end
    index = redis.call('LPOS', KEYS[1], entry, 'RANK', rank)
  end
  if index then
    land(i, entry, sha)
    redis.call('LSET', KEYS[1], index, marker)
    leave(entry)
    marked = marked + 1
    if index < lo then
      lo = index
    end
    if index > hi then
      hi = index
    end
    result[#result + 1] = 1
  else
    result[#result + 1] = 0
  end
end
if marked > 0 then
  -- From whichever end reaches all the markers sooner.
  if hi + 1 <= len - lo then
    redis.call('LREM', KEYS[1], marked, marker)
  else
    redis.call('LREM', KEYS[1], -marked, marker)
  end
end
return result
