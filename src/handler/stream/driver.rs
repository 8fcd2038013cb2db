//! A slot's driver thread (with `in_flight` above 1): starts its handler process when there
//! is work, hands it the requests its workers queue, and runs its session (session.rs)
//! until the process ends; then restarts it, with backoff, when more work comes.

use std::os::fd::AsRawFd;
use std::sync::Arc;
use std::time::Instant;

use super::session::{End, Session, interrupted};
use super::{CLOSE_GRACE, Reply, Slot, StreamHandler, TICK, restart_pause};
use crate::handler::Shutdown;
use crate::handler::guard::Guard;

pub(super) fn drive(h: &StreamHandler, index: usize, slot: &Slot, shutdown: &Shutdown) {
    let mut failures: u32 = 0;
    let mut not_before: Option<Instant> = None;
    loop {
        if !wait_for_work(slot, None, shutdown) {
            return;
        }
        if shutdown.grace_over() {
            for request in slot.take() {
                request.reply.send(interrupted()).ok();
            }
            continue;
        }
        if let Some(at) = not_before.take() {
            wait_for_work(slot, Some(at), shutdown);
        }
        let guard = match h.live_guard() {
            Ok(guard) => guard,
            Err(why) => {
                for request in slot.take() {
                    request.reply.send(Reply::Unrunnable(why.clone())).ok();
                }
                continue;
            }
        };
        match session(h, index, slot, &guard, shutdown) {
            End::Closed => return,
            End::Ended { answered } => {
                failures = if answered { 1 } else { failures + 1 };
                not_before = Some(Instant::now() + restart_pause(failures));
            }
            End::Unrunnable(_) => {}
        }
    }
}

/// Waits until the slot has requests (true) or is closed and has none (false); with
/// `until`, only until then (a restart's pause), whatever comes.
fn wait_for_work(slot: &Slot, until: Option<Instant>, shutdown: &Shutdown) -> bool {
    loop {
        let now = Instant::now();
        match until {
            Some(at) if now >= at || shutdown.grace_over() => return true,
            Some(_) => {}
            None if !slot.is_empty() => return true,
            None if slot.closed() => return false,
            None => {}
        }
        if let Some(at) = until {
            // A pause: the wake-up stays readable (requests wait), so sleep instead.
            std::thread::sleep(at.saturating_duration_since(now).min(TICK));
            continue;
        }
        let wait = TICK;
        let mut fd = [libc::pollfd {
            fd: slot.wake.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        }];
        // SAFETY: poll on one valid pollfd.
        unsafe { libc::poll(fd.as_mut_ptr(), 1, wait.as_millis() as libc::c_int) };
        slot.drain_wake();
    }
}

fn session(
    h: &StreamHandler,
    index: usize,
    slot: &Slot,
    guard: &Arc<Guard>,
    shutdown: &Shutdown,
) -> End {
    let mut s = match Session::start(h, index, guard) {
        Ok(s) => s,
        Err(why) => {
            for request in slot.take() {
                request.reply.send(Reply::Unrunnable(why.clone())).ok();
            }
            return End::Unrunnable(why);
        }
    };
    let mut closing: Option<Instant> = None;
    loop {
        if closing.is_none() {
            for request in slot.take() {
                s.send(request);
            }
            if slot.closed() && slot.is_empty() && s.idle() {
                s.close_stdin();
                closing = Some(Instant::now());
            }
        }
        if closing.is_some_and(|at| at.elapsed() > CLOSE_GRACE) {
            s.end();
            return End::Closed;
        }
        if let Some(end) = s.turn(Some(slot), TICK, closing.is_some(), shutdown) {
            if let End::Unrunnable(why) = &end {
                for request in slot.take() {
                    request.reply.send(Reply::Unrunnable(why.clone())).ok();
                }
            }
            return end;
        }
    }
}
