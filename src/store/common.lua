-- Shared by every script that takes from a queue. Key order for queue scripts:
-- KEYS[1] queue, KEYS[2] leases, KEYS[3] leased, KEYS[4] attempts, KEYS[5] delayed.

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

-- Adds 1 to each daily counter KEYS[first..] and sets its expiry to ttl seconds.
local function bump(first, ttl)
  for i = first, #KEYS do
    redis.call('INCR', KEYS[i])
    redis.call('EXPIRE', KEYS[i], ttl)
  end
end

-- Takes back one claim of an item that was not its fault (deferred, released).
-- Returns how many claims remain counted.
local function uncount(attempts, item)
  local n = redis.call('HINCRBY', attempts, item, -1)
  if n <= 0 then
    redis.call('HDEL', attempts, item)
    return 0
  end
  return n
end
