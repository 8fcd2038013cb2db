-- notify_check: a watched condition's state, measured here (so racing pipectls agree), and
-- its event raised once when the state changes to the one that raises it, whichever
-- pipectl sees it first. KEYS[1] the notification outbox, KEYS[2] the latch hash
-- (condition -> last state), KEYS[3] the key measured.
-- ARGV[1] how: 'llen' (state '1' when LLEN KEYS[3] >= ARGV[2], else '0'), 'overdue'
-- (state '1' when some member of the zset KEYS[3] is older than ARGV[2] ms by the server
-- clock, else '0'), 'value' (the state is ARGV[2]; KEYS[3] is not read).
-- ARGV[3] the latch field, ARGV[4] the event, ARGV[5] the stage ('' for none), ARGV[6] the
-- event's details (a JSON object; `state`, `previous` and, but for 'value', `count` are added), ARGV[7] the state that
-- raises it, '*' for any change from a known state, or '*' and a state for a change to that
-- state from a known one.
-- Returns {1 when the state changed, 1 when the event was raised, the count measured}.
local how = ARGV[1]
local measured = 0
local state
if how == 'llen' then
  need_types(KEYS[3], 'list')
  measured = redis.call('LLEN', KEYS[3])
  state = (measured >= tonumber(ARGV[2])) and '1' or '0'
elseif how == 'overdue' then
  need_types(KEYS[3], 'zset')
  measured = redis.call('ZCOUNT', KEYS[3], '-inf', '(' .. (now_ms() - tonumber(ARGV[2])))
  state = (measured > 0) and '1' or '0'
elseif how == 'value' then
  state = ARGV[2]
else
  return redis.error_reply('ERR unknown condition ' .. tostring(how))
end
need_types(KEYS[1], 'stream', KEYS[2], 'hash')
local before = redis.call('HGET', KEYS[2], ARGV[3])
if before == state then
  return {0, 0, measured}
end
redis.call('HSET', KEYS[2], ARGV[3], state)
local raise
if ARGV[7] == '*' then
  raise = before
elseif string.sub(ARGV[7], 1, 1) == '*' then
  raise = before and state == string.sub(ARGV[7], 2)
else
  raise = state == ARGV[7]
end
if not raise then
  return {1, 0, measured}
end
local details = cjson.decode(ARGV[6])
if type(details) ~= 'table' then
  details = {}
end
if how ~= 'value' then
  details['count'] = measured
end
if before then
  details['previous'] = before
end
details['state'] = state
notify(KEYS[1], ARGV[4], ARGV[5], cjson.encode(details))
return {1, 1, measured}
