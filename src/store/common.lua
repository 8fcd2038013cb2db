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

-- Daily counters: every key from KEYS[first] on (to KEYS[last]) holds a string (or nothing yet).
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

-- Adds 1 to each daily counter KEYS[first..last] (last: the last key).
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

-- 4. Stage guards (runner/guards.rs). A settle step of a guarded stage gets, after its own
--    keys, GUARD_KEYS more: the pause flag, the audit stream, the breaker hash, its failures
--    zset, the budget hash; then one daily cost counter per unit the handler reported.
--    Its spec (JSON) says what to do: {"cost": [[unit, millionths], ...], "ttl": secs,
--    "budget": {"per_ms", "caps": [[unit, millionths], ...]}, "breaker": {"failures",
--    "within_ms", "cool_ms", "reason", "reopen_reason"}, "keep_ms", "open_head",
--    "close_head"}. Costs are whole millionths, so money adds up exactly.
local GUARD_KEYS = 5

local function guard_spec(json)
  if not json or json == '' then
    return nil, 0
  end
  local spec = cjson.decode(json)
  spec['cost'] = spec['cost'] or {}
  return spec, GUARD_KEYS + #spec['cost']
end

local function need_guard_types(first, spec)
  need_types(KEYS[first], 'string', KEYS[first + 1], 'stream', KEYS[first + 2], 'hash',
    KEYS[first + 3], 'zset', KEYS[first + 4], 'hash')
  for i = 1, #spec['cost'] do
    need_types(KEYS[first + 4 + i], 'string')
  end
end

local function whole(n)
  return string.format('%d', n)
end

-- A budget hash's field as a number; a value spoiled by hand reads as `spoiled`.
local function budget_field(budget, field, spoiled)
  local raw = redis.call('HGET', budget, field)
  if not raw then
    return 0
  end
  return tonumber(raw) or spoiled
end

-- Starts a new budget window when the current one is over: what was spent is done with
-- (`max:<unit>`, what one item may cost, and `learned` stay). Returns ms until it ends.
local function budget_roll(budget, per_ms, now)
  local start = now - (now % per_ms)
  if tonumber(redis.call('HGET', budget, 'window') or '') ~= start then
    for _, field in ipairs(redis.call('HKEYS', budget)) do
      if string.sub(field, 1, 6) == 'spent:' then
        redis.call('HDEL', budget, field)
      end
    end
    redis.call('HSET', budget, 'window', whole(start))
  end
  return start + per_ms - now
end

-- How many of `want` items a claim may take under the budget. Each item in flight (leased)
-- holds back the most one item has cost so far, per unit, so claims racing on many workers
-- cannot spend past a cap; until one item has settled under the budget, one is in flight at
-- a time. Returns the count, or 0 and {'budget'|'reserved', unit, spent, cap, reset ms,
-- in flight}: 'budget' when spent, 'reserved' when items in flight hold the rest back.
local function budget_admit(budget, leases, b, now, want)
  local reset = budget_roll(budget, tonumber(b['per_ms']), now)
  local inflight = redis.call('ZCARD', leases)
  local learned = redis.call('HGET', budget, 'learned')
  local allow = want
  for _, cap in ipairs(b['caps']) do
    local unit, limit = cap[1], tonumber(cap[2])
    local spent = budget_field(budget, 'spent:' .. unit, limit)
    local most = budget_field(budget, 'max:' .. unit, 0)
    local k
    if spent >= limit then
      k = -1
    elseif not learned then
      k = (inflight == 0) and 1 or 0
    elseif most <= 0 then
      k = want
    else
      k = math.floor((limit - spent) / most) - inflight
      if k <= 0 and inflight == 0 then
        -- Less is left than one item has cost: spent, for all a claim can tell.
        k = -1
      end
    end
    if k < 0 then
      return 0, {'budget', unit, whole(spent), whole(limit), reset, inflight}
    end
    if k == 0 then
      return 0, {'reserved', unit, whole(spent), whole(limit), reset, inflight}
    end
    allow = math.min(allow, k)
  end
  return allow
end

-- Whether a paused stage's pause is its breaker's own and the breaker lets a probe through:
-- open past its cool-down, or probing with a probe whose lease is gone (its worker died).
-- Returns that, and ms until the cool-down ends (0 when over).
local function breaker_may_probe(breaker, leases, reason, now)
  if redis.call('HGET', breaker, 'reason') ~= reason then
    return false, 0
  end
  local state = redis.call('HGET', breaker, 'state')
  if state == 'open' then
    local at = tonumber(redis.call('HGET', breaker, 'retry_at') or '0') or 0
    return now >= at, math.max(at - now, 0)
  end
  if state == 'probing' then
    local probe = redis.call('HGET', breaker, 'probe') or ''
    local deadline = redis.call('ZSCORE', leases, probe)
    return (not deadline) or tonumber(deadline) <= now, 0
  end
  return false, 0
end

-- A settle script's reply: its code alone, or with a guard spec {code, guard events...}.
local function guard_answer(spec, code, events)
  if not spec then
    return code
  end
  local out = {code}
  for _, e in ipairs(events or {}) do
    out[#out + 1] = e
  end
  return out
end

-- A guarded settle: adds the item's cost to its daily counters and budget, counts a failure
-- for the breaker (opening it at the threshold: the stage pauses with the reason, on record),
-- and settles a probe (success closes the breaker, failure opens it again). `outcome` is
-- 'success', 'failure' or 'other'. Returns the events, e.g. {'breaker-opened',
-- 'budget-spent:sms'}.
local function guard_settle(first, spec, outcome, id)
  local pause, stream, breaker, failures, budget =
    KEYS[first], KEYS[first + 1], KEYS[first + 2], KEYS[first + 3], KEYS[first + 4]
  local now = now_ms()
  local events = {}
  local cost = spec['cost']
  for i = 1, #cost do
    add_to_counter(KEYS[first + 4 + i], whole(cost[i][2]), spec['ttl'])
    -- `max:<unit>`, the most one item has cost, with or without a budget: what a claim
    -- reserves, and the units the stage reports (read by /metrics, cost_today.lua).
    local n = tonumber(cost[i][2])
    if n > budget_field(budget, 'max:' .. cost[i][1], 0) then
      redis.call('HSET', budget, 'max:' .. cost[i][1], whole(n))
    end
  end
  local b = spec['budget']
  if b then
    budget_roll(budget, tonumber(b['per_ms']), now)
    redis.call('HSET', budget, 'learned', '1')
    local caps = {}
    for _, cap in ipairs(b['caps']) do
      caps[cap[1]] = tonumber(cap[2])
    end
    for i = 1, #cost do
      local unit, n = cost[i][1], tonumber(cost[i][2])
      local field = 'spent:' .. unit
      local before = budget_field(budget, field, 0)
      local after = call_unless_spoiled('HINCRBY', budget, field, whole(n))
      if not after then
        redis.call('HSET', budget, field, whole(n))
        after = n
      end
      if caps[unit] and before < caps[unit] and after >= caps[unit] then
        events[#events + 1] = 'budget-spent:' .. unit
      end
    end
  end
  local br = spec['breaker']
  if not br then
    return events
  end
  local state = redis.call('HGET', breaker, 'state')
  local probing = state == 'probing' and redis.call('HGET', breaker, 'probe') == id
  local ours = redis.call('HGET', breaker, 'reason')
  local flag = redis.call('GET', pause)
  if outcome == 'failure' then
    redis.call('ZADD', failures, now, id)
    redis.call('ZREMRANGEBYSCORE', failures, '-inf', now - tonumber(br['within_ms']))
    local count = redis.call('ZCARD', failures)
    if probing or (not state and count >= tonumber(br['failures'])) then
      local reason = probing and br['reopen_reason'] or br['reason']
      -- A pause by hand stays as it is; the breaker opens behind it.
      if not flag or flag == ours then
        redis.call('SET', pause, reason)
      end
      redis.call('HSET', breaker, 'state', 'open', 'reason', reason, 'opened_at', whole(now),
        'retry_at', whole(now + tonumber(br['cool_ms'])), 'probe', '', 'failures', count)
      local record = audit_head(spec['open_head'])
      record[#record + 1] = 'reason'
      record[#record + 1] = reason
      audit(stream, spec['keep_ms'], record, nil, nil)
      events[#events + 1] = probing and 'breaker-reopened' or 'breaker-opened'
    end
  elseif probing and outcome == 'success' then
    if flag and flag == ours then
      redis.call('DEL', pause)
    end
    redis.call('DEL', breaker, failures)
    audit(stream, spec['keep_ms'], audit_head(spec['close_head']), nil, nil)
    events[#events + 1] = 'breaker-closed'
  elseif probing then
    -- Neither success nor failure (deferred, escalated, released): the next claim probes.
    redis.call('HSET', breaker, 'state', 'open', 'probe', '')
  end
  return events
end

-- 5. notifications (src/notify): a step that causes an event adds it to the pipeline's
--    outbox stream (keys.rs notify_outbox; its type checked as 'stream' before the step's
--    first write) in the same step, so the change and its event exist together or not at
--    all. `details` is a JSON object as text. The outbox keeps about 10000 events.
local function notify(outbox, event, stage, details)
  return redis.call('XADD', outbox, 'MAXLEN', '~', 10000, '*',
    'event', event, 'stage', stage, 'details', details)
end
