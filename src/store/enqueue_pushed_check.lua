-- Whether a stream of dedup batches may go as transactions (enqueue_pushed.lua): 1 when the
-- server can tell (redis.acl_check_cmd, Redis 7) that this user may run every command such a
-- transaction runs, on these keys; 0 otherwise, and the batches go as enqueue_dedup.lua
-- calls. Checked before the first, as a transaction's LPUSH runs even if a later command is
-- refused: without LREM, say, the duplicates could not be taken off again.
-- KEYS[1] = queue, KEYS[2] = seen set. Fails, as enqueue_pushed.lua would, on a key of the
-- wrong type. Self-contained (no common.lua); need_types inline.
for i, want in ipairs({'list', 'set'}) do
  local found = redis.call('TYPE', KEYS[i])['ok']
  if found ~= 'none' and found ~= want then
    error({err = 'WRONGTYPE key ' .. KEYS[i] .. ' holds a ' .. found .. ', but pipectl needs a ' .. want .. ' there'})
  end
end
if not redis.acl_check_cmd then
  return 0
end
local q, s = KEYS[1], KEYS[2]
local needs = {
  {'MULTI'}, {'EXEC'}, {'EVAL', 'return 0', '0'}, {'LPUSH', q, 'i'}, {'LTRIM', q, '1', '-1'},
  {'LSET', q, '0', 'i'}, {'LREM', q, '1', 'i'}, {'TYPE', q}, {'TYPE', s}, {'SMISMEMBER', s, 'v'},
  {'SADD', s, 'v'},
}
for _, command in ipairs(needs) do
  if not redis.acl_check_cmd(unpack(command)) then
    return 0
  end
end
return 1
