-- recover: one bounded batch of expired leases and due retries back to the queue, now.
-- The caller repeats until the third number is 0. Returns {leases returned, retries due, seen}.
need_queue_types()
local returned, due, seen = reap(KEYS[1], KEYS[2], KEYS[3], KEYS[5], now_ms(), 1000)
return {returned, due, seen}
