//! `pipectl run`: claim, call the handler, settle — each transition one atomic step.

mod guarded;
mod overlap;
mod report;
mod settle;
pub mod source;
pub mod step;

pub use report::{RunReport, Tally};

use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Result;
use indicatif::ProgressBar;

use crate::config::{Config, Handler, Stage};
use crate::error::Fail;
use crate::handler::exec::ExecHandler;
use crate::handler::guard::Guard;
use crate::handler::http::HttpHandler;
use crate::handler::stream::StreamHandler;
use crate::handler::{Shutdown, Unrunnable};
use crate::keys;
use crate::store::{Claim, ConnectOptions, Store};

/// A lease outlives the handler's timeout by a fifth of it (1s to 30s), so a handler that
/// finishes just in time still records its result; an item whose pipectl died is handed out
/// again that much after its timeout.
pub fn lease_for(timeout: Duration) -> Duration {
    timeout + (timeout / 5).clamp(Duration::from_secs(1), Duration::from_secs(30))
}

/// Everything the workers of one `run` share.
pub struct StageRun<'a> {
    pub config: &'a Config,
    pub stage: &'a Stage,
    pub queue: &'a str,
    pub connect: ConnectOptions,
    /// Items still to claim (u64::MAX: until the queue is empty).
    pub budget: AtomicU64,
    /// With --wait: how long a worker waits for work before it gives up.
    pub wait: Option<Duration>,
    pub shutdown: &'a Shutdown,
    pub tally: Tally,
    pub bar: ProgressBar,
    pub verbose: bool,
    pub runtime_dir: PathBuf,
    /// Set when any worker must stop the others (paused, rate-limited, fatal error).
    halt: AtomicBool,
    error: Mutex<Option<anyhow::Error>>,
}

enum Runner {
    Exec(ExecHandler),
    Http(HttpHandler),
    /// `mode = "stream"`: one long-lived handler per slot, `in_flight` workers each.
    Stream(StreamHandler, usize),
}

impl<'a> StageRun<'a> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        config: &'a Config,
        stage: &'a Stage,
        queue: &'a str,
        connect: ConnectOptions,
        budget: u64,
        wait: Option<Duration>,
        shutdown: &'a Shutdown,
        bar: ProgressBar,
        verbose: bool,
        runtime_dir: PathBuf,
    ) -> StageRun<'a> {
        StageRun {
            config,
            stage,
            queue,
            connect,
            budget: AtomicU64::new(budget),
            wait,
            shutdown,
            tally: Tally::default(),
            bar,
            verbose,
            runtime_dir,
            halt: AtomicBool::new(false),
            error: Mutex::new(None),
        }
    }

    /// Runs `workers` workers until the budget is spent, the queue is empty (after --wait),
    /// or something stops them. Returns the first fatal error, if any.
    pub fn run(&self, workers: usize) -> Result<()> {
        // One handler for all workers: an HTTP client (its connection pool and the thread
        // that drives it) is shared, not one per worker.
        let runner = self.runner(workers)?;
        let runner = &runner;
        std::thread::scope(|s| {
            // Stream mode: with `in_flight = 1` each worker drives its own handler process;
            // with more, a driver per slot owns its process and `in_flight` workers per slot
            // give it items.
            let in_flight = match runner {
                Runner::Stream(h, in_flight) if *in_flight > 1 => {
                    for slot in 0..h.slots() {
                        s.spawn(move || h.drive(slot, self.shutdown));
                    }
                    *in_flight
                }
                _ => 1,
            };
            let threads = workers.saturating_mul(in_flight);
            let threads = threads
                .min(usize::try_from(self.budget.load(Ordering::Relaxed)).unwrap_or(usize::MAX));
            let handles: Vec<_> = (0..threads.max(1))
                .map(|i| {
                    s.spawn(move || {
                        if let Err(err) = self.worker(runner, i / in_flight) {
                            self.halt.store(true, Ordering::Relaxed);
                            if let Ok(mut slot) = self.error.lock() {
                                slot.get_or_insert(err);
                            }
                        }
                    })
                })
                .collect();
            for handle in handles {
                handle.join().ok();
            }
            if let Runner::Stream(h, _) = runner {
                h.close();
            }
        });
        match self.error.lock().ok().and_then(|mut e| e.take()) {
            Some(err) => Err(err),
            None => Ok(()),
        }
    }

    fn stopping(&self) -> bool {
        self.halt.load(Ordering::Relaxed) || self.shutdown.is_requested()
    }

    fn reserve(&self) -> bool {
        self.budget
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |b| b.checked_sub(1))
            .is_ok()
    }

    fn unreserve(&self) {
        self.budget
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |b| {
                Some(b.saturating_add(1))
            })
            .ok();
    }

    fn runner(&self, workers: usize) -> Result<Runner> {
        let max = self.config.max_item_bytes;
        Ok(match &self.stage.handler {
            Handler::Exec(argv) if let Some(stream) = self.stage.stream => Runner::Stream(
                StreamHandler::new(
                    argv.clone(),
                    self.stage.timeout,
                    max,
                    &self.stage.name,
                    self.queue,
                    workers,
                    start_guard()?,
                )
                .map_err(|e| anyhow::anyhow!("cannot set up the stream handler: {e}"))?,
                stream.in_flight,
            ),
            Handler::Exec(argv) => Runner::Exec(ExecHandler {
                argv: argv.clone(),
                timeout: self.stage.timeout,
                max_item_bytes: max,
                runtime_dir: self.runtime_dir.clone(),
                guard: std::sync::Mutex::new(std::sync::Arc::new(start_guard()?)),
            }),
            Handler::Http(cfg) => {
                Runner::Http(HttpHandler::new(cfg, self.stage.timeout, max).map_err(unrunnable)?)
            }
            Handler::Manual => {
                return Err(Fail::usage(format!("stage '{}' is manual", self.stage.name)).into());
            }
        })
    }

    fn worker(&self, runner: &Runner, slot: usize) -> Result<()> {
        let mut store = Store::connect(&self.connect)?;
        let mut overlap: settle::Overlap = None;
        let worked = self.work(&mut store, runner, slot, &mut overlap);
        // The item answered last (overlap.rs) is settled however the loop ended.
        let flushed = self.flush(&mut store, &mut overlap);
        worked.and(flushed)
    }

    fn work(
        &self,
        store: &mut Store,
        runner: &Runner,
        slot: usize,
        overlap: &mut settle::Overlap,
    ) -> Result<()> {
        let paused_key = keys::paused(&self.config.name, &self.stage.name);
        let lease = lease_for(self.stage.timeout);
        let mut idle_since = Instant::now();
        let mut direct = match runner {
            Runner::Stream(h, 1) => Some(h.direct(slot, self.shutdown)),
            _ => None,
        };
        // A warm handler's worker claims its next item in the same round trip as it settles
        // one; driving the handler itself, it overlaps the handler and Redis (overlap.rs).
        // Not when a rate limit or a guard must be asked before each claim.
        let ahead = (matches!(runner, Runner::Stream(..))
            && self.stage.rate_limit.is_none()
            && !crate::guards::guarded(self.stage))
        .then_some((lease, paused_key.as_str()));
        // The claim sent along with the last settle, its budget reserved.
        let mut next: Option<Result<Claim>> = None;
        loop {
            if self.stopping() {
                self.drop_ahead(store, next.take());
                return Ok(());
            }
            let mut took_rate = false;
            let claimed_ahead = next.is_some();
            let claimed = match next.take() {
                Some(claim) => claim.map(guarded::Taken::Claimed),
                None => {
                    if !self.reserve() {
                        return Ok(());
                    }
                    if let Some(rl) = &self.stage.rate_limit {
                        let (granted, reset_in) =
                            self.resilient(store, |s| s.rate_take(&rl.key, 1, rl.limit, rl.per.0))?;
                        if granted == 0 {
                            self.unreserve();
                            if let Ok(mut r) = self.tally.rate_limited.lock() {
                                r.get_or_insert(reset_in);
                            }
                            self.halt.store(true, Ordering::Relaxed);
                            return Ok(());
                        }
                        took_rate = true;
                    }
                    self.take(store, lease, &paused_key)
                }
            };
            let leases = match claimed {
                Ok(guarded::Taken::Stopped) => {
                    self.give_back(store, took_rate)?;
                    return Ok(());
                }
                Ok(guarded::Taken::Claimed(Claim::Leased(leases))) => leases,
                Ok(guarded::Taken::Claimed(Claim::Paused(reason))) => {
                    self.give_back(store, took_rate)?;
                    if let Ok(mut p) = self.tally.paused.lock() {
                        p.get_or_insert(reason);
                    }
                    self.halt.store(true, Ordering::Relaxed);
                    return Ok(());
                }
                Err(err) => {
                    self.give_back(store, took_rate).ok();
                    return Err(err);
                }
            };
            let Some(lease) = leases.into_iter().next() else {
                self.give_back(store, took_rate)?;
                // Nothing to overlap with: the item answered last is settled before waiting.
                self.flush(store, overlap)?;
                let deadline = self.wait.map(|w| idle_since + w);
                if !self.stopping()
                    && self.resilient(store, |s| s.wait_more(self.queue, deadline))?
                {
                    continue;
                }
                return Ok(());
            };
            next = self.process(
                store,
                runner,
                direct.as_mut(),
                lease,
                slot,
                ahead,
                overlap,
                claimed_ahead,
            )?;
            idle_since = Instant::now();
        }
    }

    /// Hands back the unreserved budget and rate-limit use when nothing was claimed.
    fn give_back(&self, store: &mut Store, took_rate: bool) -> Result<()> {
        self.unreserve();
        match (&self.stage.rate_limit, took_rate) {
            (Some(rl), true) => self.resilient(store, |s| s.rate_give(&rl.key, 1)),
            _ => Ok(()),
        }
    }

    /// Runs one Redis step. A `--wait` worker outlives Redis going away: when the
    /// connection drops (or the server is loading after a restart), it reconnects with
    /// exponential backoff, saying so on stderr, for up to the --wait duration, then runs
    /// the step again. Every step is safe to repeat: each is one atomic script or command
    /// that checks the state it moves from (a completion whose first try went through finds
    /// its lease gone and moves nothing). Without --wait the error ends the run (exit 69).
    fn resilient<T>(
        &self,
        store: &mut Store,
        mut op: impl FnMut(&mut Store) -> Result<T>,
    ) -> Result<T> {
        let Some(wait) = self.wait else {
            return op(store);
        };
        let mut deadline: Option<Instant> = None;
        let mut delay = RECONNECT_FIRST;
        loop {
            let err = match op(store) {
                Ok(value) => return Ok(value),
                Err(err) if transient(&err) => err,
                Err(err) => return Err(err),
            };
            let until = *deadline.get_or_insert_with(|| Instant::now() + wait);
            let mut last = err;
            loop {
                if self.stopping() || Instant::now() + delay > until {
                    return Err(last.context(format!(
                        "gave up reconnecting to Redis after {} (--wait)",
                        crate::duration::format(wait)
                    )));
                }
                self.log(format_args!(
                    "pipectl: {}: {}; reconnecting in {}",
                    self.stage.name,
                    unavailable_words(&last),
                    crate::duration::format(delay)
                ));
                self.sleep(delay);
                delay = (delay * 2).min(RECONNECT_MAX);
                match Store::connect(&self.connect) {
                    Ok(fresh) => {
                        *store = fresh;
                        self.log(format_args!(
                            "pipectl: {}: reconnected to Redis",
                            self.stage.name
                        ));
                        break;
                    }
                    Err(err) if transient(&err) => last = err,
                    Err(err) => return Err(err),
                }
            }
        }
    }

    /// Sleeps, waking early when pipectl is asked to stop.
    fn sleep(&self, total: Duration) {
        let until = Instant::now() + total;
        while !self.stopping() {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return;
            }
            std::thread::sleep(left.min(Duration::from_millis(50)));
        }
    }

    /// A line on stderr that does not tear the progress bar.
    fn log(&self, line: std::fmt::Arguments<'_>) {
        let line = line.to_string();
        self.bar
            .suspend(|| writeln!(std::io::stderr().lock(), "{line}").ok());
    }
}

/// Reconnecting to Redis: the first pause, doubled after each failed attempt up to the last.
const RECONNECT_FIRST: Duration = Duration::from_millis(100);
const RECONNECT_MAX: Duration = Duration::from_secs(5);

/// Whether an error means Redis went away (worth reconnecting to) rather than refused.
fn transient(err: &anyhow::Error) -> bool {
    if err.downcast_ref::<Fail>().is_some() {
        return false;
    }
    // READONLY: the server became a replica (a failover, e.g. SENTINEL FAILOVER): the step
    // did not run, and a reconnect (through the sentinels) finds the new master.
    err.chain()
        .find_map(|c| c.downcast_ref::<redis::RedisError>())
        .is_some_and(|e| crate::store::is_transient(e) || e.code() == Some("READONLY"))
}

fn unavailable_words(err: &anyhow::Error) -> String {
    match err
        .chain()
        .find_map(|c| c.downcast_ref::<redis::RedisError>())
    {
        Some(redis) => format!("{} ({redis})", crate::store::describe_unavailable(redis)),
        None => format!("{err:#}"),
    }
}

/// The delay before retry number `attempt`: the stage's backoff doubled per attempt, capped,
/// with jitter (between half and all of it) so retries of a burst spread out.
pub fn backoff(stage: &Stage, attempt: u64) -> Duration {
    let doublings = attempt.saturating_sub(1).min(30) as u32;
    let full = stage
        .backoff
        .saturating_mul(1 << doublings)
        .min(stage.max_backoff);
    let mut bytes = [0u8; 8];
    let unit = match getrandom::fill(&mut bytes) {
        Ok(()) => (u64::from_le_bytes(bytes) >> 11) as f64 / (1u64 << 53) as f64,
        Err(_) => 1.0,
    };
    full.mul_f64(0.5 + unit / 2.0)
}

/// The process that starts this run's exec handlers and kills all they started when the
/// run ends or pipectl dies (handler/guard.rs).
pub fn start_guard() -> Result<Guard> {
    Guard::start().map_err(|e| {
        anyhow::anyhow!(
            "cannot start the handler guard, the process that stops handlers when pipectl dies: {e}"
        )
    })
}

fn unrunnable(err: Unrunnable) -> Fail {
    Fail::config(err.0)
        .hint("fix the stage's handler in the config; the item was put back unchanged")
}
