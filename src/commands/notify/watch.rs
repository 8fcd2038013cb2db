//! The conditions notifications watch (dead letters over a threshold or near their cap,
//! review waiting past max_wait, the saturation verdict), each raised once through its
//! latch, and the background deliverer `pipectl run` starts.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use anyhow::Result;
use serde_json::json;

use crate::config::{Config, Event, Handler};
use crate::keys;
use crate::store::{ConnectOptions, Store};

/// Checks every watched condition once; returns how many events it raised.
pub fn check(store: &mut Store, config: &Config) -> Result<u64> {
    let Some(n) = &config.notify else {
        return Ok(0);
    };
    let outbox = keys::notify_outbox(&config.name);
    let latch = keys::notify_latch(&config.name);
    let list = &config.dead_letters;
    let mut raised = 0;
    let mut count = |r: (bool, bool, u64)| raised += u64::from(r.1);
    if let Some(t) = n
        .dead_letters_over
        .filter(|_| n.wants(Event::DeadLettersOver))
    {
        let details = json!({"queue": list, "threshold": t}).to_string();
        count(store.notify_check(
            &outbox,
            &latch,
            list,
            "llen",
            &t.to_string(),
            "dead_letters_over",
            Event::DeadLettersOver.name(),
            "",
            &details,
            "1",
        )?);
    }
    if let Some(max) = config
        .dead_letters_max
        .filter(|_| n.wants(Event::DeadLettersNearCap))
    {
        let t = crate::commands::status::retention::near_cap_threshold(max);
        let details = json!({"queue": list, "threshold": t, "max": max}).to_string();
        count(store.notify_check(
            &outbox,
            &latch,
            list,
            "llen",
            &t.to_string(),
            "dead_letters_near_cap",
            Event::DeadLettersNearCap.name(),
            "",
            &details,
            "1",
        )?);
    }
    if n.wants(Event::ReviewOverdue) {
        for stage in &config.stages {
            let (Handler::Manual, Some(input), Some(wait)) =
                (&stage.handler, &stage.input, stage.review.max_wait)
            else {
                continue;
            };
            let wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX).max(1);
            let details = json!({"queue": input, "max_wait_ms": wait_ms}).to_string();
            count(store.notify_check(
                &outbox,
                &latch,
                &keys::StagedKeys::new(input).since,
                "overdue",
                &wait_ms.to_string(),
                &format!("review_overdue:{}", stage.name),
                Event::ReviewOverdue.name(),
                &stage.name,
                &details,
                "1",
            )?);
        }
    }
    let dedups = config.stages.iter().any(|s| s.dedup_by.is_some());
    if n.wants(Event::SaturationFlipped) && dedups {
        let sat = crate::commands::saturation::execute(store, &config.name, SATURATION_DAYS)?;
        let verdict = serde_json::to_value(sat.verdict)?;
        if let Some(word) = verdict.as_str().filter(|w| *w != "no_data") {
            let details = json!({
                "verdict": word,
                "seen_ratio": sat.total.seen_ratio,
                "days": SATURATION_DAYS,
                "advice": sat.advice,
            })
            .to_string();
            count(store.notify_check(
                &outbox,
                &latch,
                &latch,
                "value",
                word,
                "saturation",
                Event::SaturationFlipped.name(),
                "",
                &details,
                "*",
            )?);
        }
    }
    Ok(raised + guard_events(store, config, n, &outbox, &latch)?)
}

/// The guards' events, from their state in Redis: a breaker that opened or closed, a budget
/// spent. Level-triggered through the latch, so a worker that died right after the step that
/// opened the breaker loses no event, and racing pipectls raise each once.
fn guard_events(
    store: &mut Store,
    config: &Config,
    n: &crate::config::Notify,
    outbox: &str,
    latch: &str,
) -> Result<u64> {
    let mut raised = 0;
    for stage in config.stages.iter().filter(|s| !s.guards.is_empty()) {
        let Some(g) = crate::guards::state::read(config, stage, store)? else {
            continue;
        };
        if let Some(b) = &g.breaker {
            let open = b.state != "closed";
            let details = json!({"reason": b.reason, "failures": b.failures,
                "threshold": b.threshold, "within_ms": b.within_ms})
            .to_string();
            // Opened: raised when first seen open too (a breaker that opened before any
            // watch ran); closed: only on a change from open, never for a breaker that was
            // simply closed when first seen.
            for (event, field, state, raise) in [
                (Event::BreakerOpened, "breaker_open", open, "1"),
                (Event::BreakerClosed, "breaker_closed", !open, "*1"),
            ] {
                if !n.wants(event) {
                    continue;
                }
                let r = store.notify_check(
                    outbox,
                    latch,
                    latch,
                    "value",
                    if state { "1" } else { "0" },
                    &format!("{field}:{}", stage.name),
                    event.name(),
                    &stage.name,
                    &details,
                    raise,
                )?;
                raised += u64::from(r.1);
            }
        }
        if n.wants(Event::BudgetSpent) {
            for b in &g.budget {
                let details = json!({"unit": b.unit, "spent": b.spent, "cap": b.cap,
                    "resets_in_ms": b.resets_in_ms});
                let r = store.notify_check(
                    outbox,
                    latch,
                    latch,
                    "value",
                    if b.spent_out { "spent" } else { "ok" },
                    &format!("budget:{}:{}", stage.name, b.unit),
                    Event::BudgetSpent.name(),
                    &stage.name,
                    &details.to_string(),
                    "spent",
                )?;
                raised += u64::from(r.1);
            }
        }
    }
    Ok(raised)
}

/// The window the saturation verdict is read over (as `pipectl saturation`'s default).
const SATURATION_DAYS: u32 = 7;

/// How often the background task checks the conditions and the retention caps.
const CHECK_EVERY: Duration = Duration::from_secs(5);
/// How often it looks for events to deliver.
const DELIVER_EVERY: Duration = Duration::from_secs(1);

/// The background task of `pipectl run`: conditions, retention caps and deliveries, on its
/// own thread and Redis connection, so a slow webhook never holds up an item.
pub struct Background {
    stop: Arc<AtomicBool>,
    done: mpsc::Receiver<()>,
    trouble: Arc<Mutex<Option<String>>>,
}

impl Background {
    /// Starts it when the config has `[notify]` or a dead-letter cap (None otherwise).
    pub fn start(config: &Config, connect: &ConnectOptions) -> Option<Background> {
        let caps = config.dead_letters_max.is_some() || config.dead_letters_max_age.is_some();
        if config.notify.is_none() && !caps {
            return None;
        }
        let (config, connect) = (config.clone(), connect.clone());
        let stop = Arc::new(AtomicBool::new(false));
        let trouble = Arc::new(Mutex::new(None));
        let (tx, done) = mpsc::channel();
        let (flag, seen) = (stop.clone(), trouble.clone());
        let spawned = std::thread::Builder::new()
            .name("pipectl-notify".into())
            .spawn(move || {
                work(&config, &connect, &flag, &seen);
                let _ = tx.send(());
            });
        spawned.ok().map(|_| Background {
            stop,
            done,
            trouble,
        })
    }

    /// Asks it to stop after one last pass, and waits up to `wait` for that; returns what
    /// went wrong, if anything (a delivery failure, its URL redacted; a Redis error).
    pub fn finish(self, wait: Duration) -> Option<String> {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.done.recv_timeout(wait);
        self.trouble.lock().ok().and_then(|t| t.clone())
    }
}

fn work(
    config: &Config,
    connect: &ConnectOptions,
    stop: &AtomicBool,
    trouble: &Mutex<Option<String>>,
) {
    let consumer = crate::notify::consumer_name();
    let actor = crate::audit::Actor::named("pipectl run");
    let out = crate::output::Output::new(true, true, 0, crate::output::ColorChoice::Never);
    let mut store: Option<Store> = None;
    let mut checked: Option<Instant> = None;
    let note = |why: String| {
        if let Ok(mut t) = trouble.lock() {
            *t = Some(why);
        }
    };
    loop {
        let stopping = stop.load(Ordering::Relaxed);
        if store.is_none() {
            store = Store::connect(connect).ok();
        }
        if let Some(s) = store.as_mut() {
            let pass = (|| -> Result<()> {
                if stopping || checked.is_none_or(|t| t.elapsed() >= CHECK_EVERY) {
                    checked = Some(Instant::now());
                    if config.dead_letters_max.is_some() || config.dead_letters_max_age.is_some() {
                        crate::commands::dead::trim::execute(s, config, &actor, &out, None)?;
                    }
                    check(s, config)?;
                }
                let d = crate::notify::deliver(s, config, &consumer, &|| false)?;
                if let Some(why) = d.last_error {
                    note(format!(
                        "a notification could not be delivered: {why} (it is tried again with backoff, also by `pipectl notify deliver`)"
                    ));
                }
                Ok(())
            })();
            if let Err(e) = pass {
                note(format!("notifications and dead-letter retention: {e:#}"));
                // Connect again next time.
                store = None;
            }
        }
        if stopping {
            return;
        }
        let slept = Instant::now();
        while slept.elapsed() < DELIVER_EVERY && !stop.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}
