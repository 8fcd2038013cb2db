-- review release: a reviewer lets go of the claims it holds on items (skip, quit).
-- KEYS[1] claims hash. ARGV[1] who, ARGV[2..] the items.
-- A claim someone else holds (it expired and was taken over) is left alone.
-- Returns how many claims were released.
need_types(KEYS[1], 'hash')
local released = 0
for i = 2, #ARGV do
  local claim = redis.call('HGET', KEYS[1], ARGV[i])
  if claim then
    local space = string.find(claim, ' ', 1, true)
    if space and string.sub(claim, space + 1) == ARGV[1] then
      redis.call('HDEL', KEYS[1], ARGV[i])
      released = released + 1
    end
  end
end
return released
