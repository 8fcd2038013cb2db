-- Shared by every script that takes from a queue. Key order for queue scripts:
-- KEYS[1] queue, KEYS[2] leases, KEYS[3] leased, KEYS[4] attempts, KEYS[5] delayed.

-- Redis keeps what a script wrote before an error: it does not roll back. So:
-- 1. a script checks, before its first write, that every key it writes holds the type it
--    needs (or nothing yet), and fails having changed nothing;
-- 2. a move writes the item to its destination before it removes it from its source, so a
--    command refused half-way (an ACL without it) can leave a copy behind, never lose one.
-- need_types's arguments: key, type, key, type, ...
local function need_types(...)
  local pairs_ = {...}
  for i = 1, #pairs_, 2 do
    local key, want = pairs_[i], pairs_[i + 1]
    local found = redis.call('TYPE', key)['ok']
    if found ~= 'none' and found ~= want then
      error({err = 'WRONGTYPE key ' .. key .. ' holds a ' .. found .. ', but pipectl needs a ' .. want .. ' there'})
    end
  end
end

-- Daily counters: every key from KEYS[first] to KEYS[last] (default: the last key) holds a
-- string (or nothing yet).
local function need_strings_from(first, last)
  for i = first, last or #KEYS do
    need_types(KEYS[i], 'string')
  end
end

-- The five queue keys: KEYS[1] list, KEYS[2] zset, KEYS[3] hash, KEYS[4] hash, KEYS[5] zset.
local function need_queue_types()
  need_types(KEYS[1], 'list', KEYS[2], 'zset', KEYS[3], 'hash', KEYS[4], 'hash', KEYS[5], 'zset')
end

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- A delayed member is '<16 hex>:<item>'; anything else (hand-made) is taken whole as the item.
local function delayed_item(member)
  if #member >= 17 and string.sub(member, 17, 17) == ':'
      and string.find(string.sub(member, 1, 16), '^%x+$') then
    return string.sub(member, 18)
  end
  return member
end

-- Returns expired leases and due retries to the consumer end (the right) of the queue,
-- so they are the next to be taken. Bounded per call; the rest follow on the next call.
-- Returns leases returned, retries made due, and entries looked at (0 when nothing is left).
local function reap(queue, leases, leased, delayed, now, limit)
  local expired = redis.call('ZRANGEBYSCORE', leases, '-inf', now, 'LIMIT', 0, limit)
  local returned = 0
  -- Newest deadline first, so the oldest claim ends up rightmost: the next to be taken.
  for i = #expired, 1, -1 do
    local id = expired[i]
    local item = redis.call('HGET', leased, id)
    if item then
      redis.call('RPUSH', queue, item)
      redis.call('HDEL', leased, id)
      returned = returned + 1
    end
    redis.call('ZREM', leases, id)
  end
  local due = redis.call('ZRANGEBYSCORE', delayed, '-inf', now, 'LIMIT', 0, limit)
  for i = #due, 1, -1 do
    local member = due[i]
    redis.call('RPUSH', queue, delayed_item(member))
    redis.call('ZREM', delayed, member)
  end
  return returned, #due, #expired + #due
end

-- redis.pcall that tolerates a value spoiled by hand (not a number, another type): returns
-- nil for it. Any other error (a permission refused) is raised again, naming the command.
local function call_unless_spoiled(command, ...)
  local reply = redis.pcall(command, ...)
  if type(reply) == 'table' and reply.err then
    local e = reply.err
    if string.find(e, 'not an integer', 1, true) or string.find(e, 'WRONGTYPE', 1, true)
        or string.find(e, 'overflow', 1, true) then
      return nil
    end
    error({err = e .. ' [command ' .. command .. ']'})
  end
  return reply
end

-- Adds n to a daily counter and sets its expiry to ttl seconds. Counters are bookkeeping:
-- their type is checked before the first write (rule 1), but a value spoiled by hand (not
-- an integer, or at the 64-bit limit) is skipped, never stopping an item's move.
local function add_to_counter(key, n, ttl)
  if call_unless_spoiled('INCRBY', key, n) then
    redis.call('EXPIRE', key, ttl)
  end
end

-- Adds 1 to each daily counter KEYS[first..last] (default: to the last key).
local function bump(first, ttl, last)
  for i = first, last or #KEYS do
    add_to_counter(KEYS[i], 1, ttl)
  end
end

-- Counts one more claim of an item; a count spoiled by hand (not a number) starts again at 1.
local function count_claim(attempts, item)
  local n = call_unless_spoiled('HINCRBY', attempts, item, 1)
  if not n then
    redis.call('HSET', attempts, item, 1)
    n = 1
  end
  return n
end

-- Takes back one claim of an item that was not its fault (deferred, released).
-- Returns how many claims remain counted.
local function uncount(attempts, item)
  local n = call_unless_spoiled('HINCRBY', attempts, item, -1)
  if not n or n <= 0 then
    redis.call('HDEL', attempts, item)
    return 0
  end
  return n
end

-- 3. a step that changes items or stages on someone's say-so appends its record to the
--    pipeline's audit stream in the same step (so the change and its record exist together
--    or not at all). `head` is a JSON array of field, value, ... shared by the step's
--    records (action, stage, by, note, ...), decoded once with audit_head; a record about an
--    item adds its sha256 and exact bytes. The stream keeps `keep_ms` of history (MINID ~).
local function audit_head(json)
  return cjson.decode(json)
end

local function audit(stream, keep_ms, head, sha, item)
  local fields = {}
  for i = 1, #head do
    fields[i] = head[i]
  end
  if item then
    fields[#fields + 1] = 'sha256'
    fields[#fields + 1] = sha
    fields[#fields + 1] = 'item'
    fields[#fields + 1] = item
  end
  local minid = now_ms() - tonumber(keep_ms)
  if minid < 1 then
    minid = 1
  end
  return redis.call('XADD', stream, 'MINID', '~', minid, '*', unpack(fields))
end

-- An optional record of a queue step (claim, complete, nack): given as its stream key last
-- in KEYS and keep_ms, head (audit_head's JSON) in ARGV[at], ARGV[at + 1]; nil when
-- ARGV[at + 1] is absent or ''. Its type is checked here, before the step's first write.
local function step_record(at)
  local head = ARGV[at + 1]
  if not head or head == '' then
    return nil
  end
  local stream = KEYS[#KEYS]
  need_types(stream, 'stream')
  return {stream = stream, keep = ARGV[at], head = audit_head(head)}
end

-- The bookkeeping kept beside a staging list (keys.rs StagedKeys): claims, escalation
-- questions, arrival times, audit samples. Their types, checked before a step's first write.
local function need_staged_types(claims, asks, since, sampled)
  need_types(claims, 'hash', asks, 'hash', since, 'zset', sampled, 'set')
end

-- An item arrives in a staging list: its arrival is kept unless an equal item's already is.
local function staged_arrive(since, item, now)
  redis.call('ZADD', since, 'NX', now, item)
end

-- An item leaves a staging list: its claim, question, arrival and sample mark go with it.
local function staged_leave(claims, asks, since, sampled, item)
  redis.call('HDEL', claims, item)
  redis.call('HDEL', asks, item)
  redis.call('ZREM', since, item)
  redis.call('SREM', sampled, item)
end

-- The holder of a live claim on an item, or nil when it is unclaimed or the claim expired.
local function claim_holder(claims, item, now)
  local claim = redis.call('HGET', claims, item)
  if not claim then
    return nil
  end
  local space = string.find(claim, ' ', 1, true)
  local deadline = space and tonumber(string.sub(claim, 1, space - 1))
  if not deadline or deadline <= now then
    return nil
  end
  return string.sub(claim, space + 1)
end

-- A decision's audit record: the step's head, plus an escalated item's stage and question
-- (from its asks entry) and the holder of a claim decided over.
local function decision_record(head, ask, holder, by)
  local record = {}
  for j = 1, #head do
    record[j] = head[j]
  end
  if ask then
    local ok, parsed = pcall(cjson.decode, ask)
    if ok and type(parsed) == 'table' then
      record[#record + 1] = 'escalated_from'
      record[#record + 1] = tostring(parsed['stage'])
      record[#record + 1] = 'question'
      record[#record + 1] = tostring(parsed['question'])
    end
  end
  if holder and holder ~= by then
    record[#record + 1] = 'over_claim_of'
    record[#record + 1] = holder
  end
  return record
end
