-- staged positions (read-only): the items at runs of positions, in one atomic step, so the
-- positions a reviewer chose all refer to the same moment.
-- KEYS[1] = staging list. ARGV = first, last, first, last, ... counted from 1 at the consumer
-- end (position 1 = LINDEX -1). Returns one array per run, each as LRANGE gives it (the
-- consumer end last); a run past the end of the list comes back short or empty.
need_types(KEYS[1], 'list')
local runs = {}
for i = 1, #ARGV, 2 do
  runs[#runs + 1] = redis.call('LRANGE', KEYS[1], -tonumber(ARGV[i + 1]), -tonumber(ARGV[i]))
end
return runs
