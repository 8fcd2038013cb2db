//! The login rate limit: failed token checks (a wrong token at `/login`, a wrong bearer
//! token on any route) counted per remote address, in this process's memory (a restart
//! forgets them; several serve processes count apart). [`MAX_FAILURES`] within [`WINDOW`]
//! of the first lock the address out of every token check, right or wrong, until the window
//! ends: 429 with `Retry-After`. Sessions already open are not affected. A right token does
//! not reset the count (else one person's token would let them guess others' between).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failed token checks an address may make per window.
pub const MAX_FAILURES: u32 = 5;
/// The window, from an address's first failure.
pub const WINDOW: Duration = Duration::from_secs(60);
/// Most addresses tracked (the oldest windows go first): memory stays bounded.
const MAX_ADDRESSES: usize = 10_000;

/// Where a request came from: the TCP peer, or behind a reverse proxy on loopback (with an
/// --origin) the last address of its `X-Forwarded-For`. None when unknown (all such share
/// one count).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Peer(pub Option<IpAddr>);

#[derive(Default)]
pub struct Throttle {
    failures: Mutex<HashMap<Peer, (u32, Instant)>>,
}

impl Throttle {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<Peer, (u32, Instant)>> {
        self.failures.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// How long `peer` must wait before its next token check, when it is locked out.
    pub fn locked(&self, peer: Peer) -> Option<Duration> {
        let map = self.map();
        let (count, since) = map.get(&peer)?;
        let left = WINDOW.checked_sub(since.elapsed())?;
        (*count >= MAX_FAILURES && !left.is_zero()).then_some(left)
    }

    /// Counts a failed token check from `peer`.
    pub fn failed(&self, peer: Peer) {
        let mut map = self.map();
        if map.len() >= MAX_ADDRESSES && !map.contains_key(&peer) {
            map.retain(|_, (_, since)| since.elapsed() < WINDOW);
            if map.len() >= MAX_ADDRESSES
                && let Some(oldest) = map.iter().min_by_key(|(_, (_, at))| *at).map(|(k, _)| *k)
            {
                map.remove(&oldest);
            }
        }
        let entry = map.entry(peer).or_insert((0, Instant::now()));
        if entry.1.elapsed() >= WINDOW {
            *entry = (0, Instant::now());
        }
        entry.0 = entry.0.saturating_add(1);
    }
}

/// Whole seconds for `Retry-After` (at least 1).
pub fn retry_after(wait: Duration) -> u64 {
    wait.as_secs_f64().ceil().max(1.0) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_lock_an_address_and_others_stay_free() {
        let t = Throttle::default();
        let a = Peer(Some([10, 0, 0, 1].into()));
        let b = Peer(Some([10, 0, 0, 2].into()));
        for _ in 0..MAX_FAILURES - 1 {
            t.failed(a);
        }
        assert_eq!(t.locked(a), None);
        t.failed(a);
        let wait = t.locked(a).expect("locked after five");
        assert!(wait <= WINDOW && retry_after(wait) >= 1);
        assert_eq!(t.locked(b), None);
    }
}
