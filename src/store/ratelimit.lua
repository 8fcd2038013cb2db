-- A fixed-window rate limit: KEYS[1] counts uses in the current window; its TTL is the time
-- until the window reopens (the counter pattern: SET outreach:ratelimit:sms 15 EX 3600).
-- ARGV[1] 'take' | 'give', ARGV[2] how many, ARGV[3] limit, ARGV[4] window ms.
-- take is all or nothing: returns {granted (n or 0), ms until the window reopens};
-- give returns the uses handed back.
need_types(KEYS[1], 'string')
local key, mode, n = KEYS[1], ARGV[1], tonumber(ARGV[2])
local raw = redis.call('GET', key)
local limit = tonumber(ARGV[3])
-- A value that is not a whole number (set by hand) counts as spent until it expires.
local used = tonumber(raw or '0')
if not used or used ~= math.floor(used) or used < 0 then
  used = limit
end
if mode == 'give' then
  if used > 0 and redis.call('PTTL', key) > 0 then
    local back = math.min(used, n)
    redis.call('DECRBY', key, back)
    return back
  end
  return 0
end
local ttl = redis.call('PTTL', key)
local grant = 0
if used + n <= limit then
  grant = n
end
if grant > 0 then
  redis.call('INCRBY', key, grant)
end
if ttl < 0 and (grant > 0 or raw) then
  -- A new window, or a counter someone set without an expiry: the window starts now.
  ttl = tonumber(ARGV[4])
  redis.call('PEXPIRE', key, ttl)
end
return {grant, math.max(ttl, 0)}
