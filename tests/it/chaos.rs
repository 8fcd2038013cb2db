//! Chaos. Items flow through two stages with real exec handlers and several concurrent
//! `pipectl run --drain` processes, while a driver SIGKILLs pipectl processes and handler
//! processes at random moments, again and again, and new items keep arriving (their
//! enqueues killed too). About every second one atomic read proves that each item is in
//! exactly one place; at the end, after the leases expire, `pipectl recover` and a final
//! drain, every item is in the output or the dead letters, exactly once.
//! Also: pipectl killed mid-way through a bulk enqueue and through `dead retry --all`.
//!
//! With faults on, the driver also SIGKILLs redis-server (AOF `appendfsync always`) and
//! restarts it, and puts a fault-injecting proxy between pipectl and Redis that resets,
//! stalls and cuts the link now and then: still every item exactly once.
//!
//! `scripts/chaos --long SECONDS` runs the same driver, faults on, for thousands of rounds
//! (the ignored test `chaos_long`, bounded by PIPECTL_CHAOS_SECONDS).

use std::collections::BTreeMap;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::support::proxy::Proxy;
use crate::support::state::{assert_each_once, check_places};
use crate::support::*;

/// xorshift64*: enough randomness for a driver, seeded per run (PIPECTL_CHAOS_SEED repeats
/// the choices, though not the timing).
struct Rng(u64);

impl Rng {
    fn seeded() -> Rng {
        let seed = std::env::var("PIPECTL_CHAOS_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                let nanos = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(1, |d| d.as_nanos() as u64);
                nanos ^ u64::from(std::process::id()) << 32
            });
        eprintln!("chaos seed {seed} (PIPECTL_CHAOS_SEED={seed} repeats the choices)");
        Rng(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// The handler of both stages: reads the item, waits 0-40ms, passes it on unchanged; now
/// and then it fails for a while (exit 1, 75) or for good (exit 65). CHAOS_CALM=1 makes it
/// always succeed (the final drain).
const HANDLER: &str = r#"#!/bin/sh
item=$(cat)
r=$(od -An -N1 -tu1 /dev/urandom | tr -d ' ')
if [ -z "$CHAOS_CALM" ]; then
  [ "$r" -lt 8 ] && { echo "transient trouble" >&2; exit 1; }
  [ "$r" -lt 11 ] && { echo "this item is bad" >&2; exit 65; }
  [ "$r" -lt 15 ] && exit 75
fi
sleep "0.0$((r % 5))"
printf '%s\n' "$item"
"#;

const STAGES: [&str; 2] = ["a", "b"];
const QUEUES: [&str; 2] = ["c:queue", "c:mid"];
const OUTPUT: &str = "c:done";
const DEAD: &str = "c:failed";

fn setup(faults: bool) -> RedisServer {
    // Restarts keep what was acknowledged only with every write on disk before its reply.
    let r = if faults {
        RedisServer::start_with(&["--appendonly", "yes", "--appendfsync", "always"])
    } else {
        RedisServer::start()
    };
    let stage = |name: &str, input: &str, output: &str| {
        Stage::new(name)
            .input(input)
            .output(output)
            .exec(&["./h.sh"])
            .timeout("1s")
            .max_attempts(4)
            .backoff("50ms")
            .max_backoff("200ms")
    };
    Pipeline::new("c")
        .with(stage("a", "c:queue", "c:mid"))
        .with(stage("b", "c:mid", "c:done"))
        .write(r.dir.path());
    executable(r.dir.path(), "h.sh", HANDLER);
    r
}

/// How long and how hard to shake.
struct Plan {
    /// Items enqueued before the workers start.
    initial: usize,
    /// Items per enqueue during the chaos.
    batch: usize,
    /// Most items in all; None: keep enqueueing while the first queue is short.
    total: Option<usize>,
    /// How long the killing goes on.
    kill_phase: Duration,
    /// `pipectl run <stage> --drain` processes per stage (each with -j 2).
    workers_per_stage: usize,
    /// Chance per round (percent) of a redis-server SIGKILL and restart; 0: none, and Redis
    /// without AOF.
    restart_percent: u64,
    /// Chance per round (percent) of a proxy fault (reset all, stall, cut); 0: no proxy.
    proxy_percent: u64,
}

#[derive(Debug, Default)]
struct Tally {
    rounds: u64,
    pipectl_kills: u64,
    handler_kills: u64,
    enqueues: u64,
    enqueue_kills: u64,
    enqueue_failures: u64,
    redis_restarts: u64,
    proxy_faults: u64,
    checks: u64,
    worker_exits: BTreeMap<String, u64>,
}

struct Worker {
    stage: &'static str,
    child: Child,
    log: std::path::PathBuf,
}

fn item(id: usize) -> String {
    format!("{{\"id\":{id}}}")
}

fn spawn_worker(r: &RedisServer, url: &str, stage: &'static str, n: u64) -> Worker {
    let log = r.dir.path().join(format!("worker-{stage}-{n}.log"));
    let child = r
        .pipectl()
        .env("REDIS_URL", url)
        .args(["run", stage, "--drain", "--wait", "1s", "-j", "2", "-q"])
        .args(["--timeout", "2s", "--connect-timeout", "1s"])
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    Worker { stage, child, log }
}

/// Records how a worker ended; anything but a clean end (0, 1 some failed, 3 nothing to do),
/// our SIGKILL, or — with faults — Redis unavailable (69), fails the test with its stderr.
fn reap(w: &mut Worker, status: std::process::ExitStatus, faults: bool, tally: &mut Tally) {
    use std::os::unix::process::ExitStatusExt;
    let key = match (status.code(), status.signal()) {
        (Some(code @ (0 | 1 | 3)), _) => format!("exit {code}"),
        (Some(69), _) if faults => "exit 69".to_owned(),
        (None, Some(9)) => "killed".to_owned(),
        _ => panic!(
            "worker {} ended with {status}: {}",
            w.stage,
            std::fs::read_to_string(&w.log).unwrap_or_default()
        ),
    };
    *tally.worker_exits.entry(key).or_default() += 1;
}

/// Processes whose parent is `parent` (the handlers a pipectl is running).
fn children_of(parent: u32) -> Vec<i32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .ok()
                .and_then(|stat| {
                    let after = stat.rsplit_once(')')?.1.to_owned();
                    after.split_whitespace().nth(1)?.parse::<u32>().ok()
                })
                == Some(parent)
        })
        .collect()
}

/// The handlers a pipectl is running: the children of its handler guard's spawner
/// (pipectl → guard → spawner → handlers).
fn handlers_of(pipectl: u32) -> Vec<i32> {
    children_of(pipectl)
        .into_iter()
        .flat_map(|guard| children_of(guard as u32))
        .flat_map(|spawner| children_of(spawner as u32))
        .collect()
}

fn sigkill(pid: i32) {
    // SAFETY: a plain kill(2); a process that is already gone answers ESRCH.
    unsafe {
        libc::kill(pid, libc::SIGKILL);
    }
}

/// Enqueues a batch with dedup, maybe killing the first try after a random moment; then
/// repeats it until it succeeds (dedup makes the repeat complete the batch, never double
/// it). Between the kill and the repeat, checks the whole state: the batch is in or not,
/// never twice.
fn enqueue_batch(
    r: &RedisServer,
    url: &str,
    rng: &mut Rng,
    tally: &mut Tally,
    ids: std::ops::Range<usize>,
    sure: &[String],
) {
    let batch: Vec<String> = ids.map(item).collect();
    let input = batch.join("\n");
    let mut kill_first = rng.chance(30);
    loop {
        let mut child = r
            .pipectl()
            .env("REDIS_URL", url)
            .args(["enqueue", "c:queue", "--dedup-by", "id", "-q"])
            .args(["--timeout", "2s", "--connect-timeout", "1s"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        std::io::Write::write_all(&mut stdin, input.as_bytes()).ok();
        drop(stdin);
        if kill_first {
            std::thread::sleep(Duration::from_millis(rng.below(25)));
            child.kill().ok();
            child.wait().unwrap();
            tally.enqueue_kills += 1;
            kill_first = false;
            let places = r.whereabouts(&QUEUES, &[OUTPUT], DEAD);
            check_places(&places, sure, &batch);
            tally.checks += 1;
            continue;
        }
        let out = child.wait_with_output().unwrap();
        if out.status.code() == Some(69) && url != r.url() {
            // The proxy cut it off mid-way: what it wrote is whole chunks; check, repeat.
            tally.enqueue_failures += 1;
            let places = r.whereabouts(&QUEUES, &[OUTPUT], DEAD);
            check_places(&places, sure, &batch);
            tally.checks += 1;
            continue;
        }
        assert_code(&out, 0);
        tally.enqueues += 1;
        return;
    }
}

/// The driver. Returns what it did and where the items ended.
fn chaos(plan: Plan) -> (Tally, BTreeMap<String, usize>) {
    let faults = plan.restart_percent > 0 || plan.proxy_percent > 0;
    let mut r = setup(plan.restart_percent > 0);
    let proxy = (plan.proxy_percent > 0).then(|| Proxy::to(&r));
    if let Some(p) = &proxy {
        // Now and then a reply cut short and its connection reset, all along.
        p.set_reset_chance(1);
    }
    let url = proxy.as_ref().map_or_else(|| r.url(), |p| p.url());
    let url = url.as_str();
    let mut rng = Rng::seeded();
    let mut tally = Tally::default();
    let mut sure: Vec<String> = Vec::new();
    let mut next_id = 0;
    if plan.initial > 0 {
        enqueue_batch(&r, url, &mut rng, &mut tally, 0..plan.initial, &sure);
        sure.extend((0..plan.initial).map(item));
        next_id = plan.initial;
    }
    let mut spawned = 0;
    let mut workers: Vec<Worker> = Vec::new();
    for stage in STAGES {
        for _ in 0..plan.workers_per_stage {
            spawned += 1;
            workers.push(spawn_worker(&r, url, stage, spawned));
        }
    }
    let started = Instant::now();
    let mut last_check = Instant::now();
    while started.elapsed() < plan.kill_phase {
        tally.rounds += 1;
        std::thread::sleep(Duration::from_millis(30 + rng.below(120)));
        // Workers that finished (queue empty for 1s) or were killed are replaced.
        for w in &mut workers {
            if let Some(status) = w.child.try_wait().unwrap() {
                reap(w, status, faults, &mut tally);
                spawned += 1;
                *w = spawn_worker(&r, url, w.stage, spawned);
            }
        }
        let victim = rng.below(workers.len() as u64) as usize;
        match rng.below(100) {
            0..50 => {
                workers[victim].child.kill().ok();
                tally.pipectl_kills += 1;
            }
            50..85 => {
                let handlers = handlers_of(workers[victim].child.id());
                if !handlers.is_empty() {
                    sigkill(handlers[rng.below(handlers.len() as u64) as usize]);
                    tally.handler_kills += 1;
                }
            }
            _ => {}
        }
        if rng.chance(plan.restart_percent) {
            r.restart();
            tally.redis_restarts += 1;
        }
        if let Some(p) = &proxy
            && rng.chance(plan.proxy_percent)
        {
            match rng.below(3) {
                0 => {
                    p.reset_all();
                }
                1 => {
                    p.stall_both();
                    std::thread::sleep(Duration::from_millis(100 + rng.below(400)));
                    p.unstall();
                }
                _ => {
                    p.cut();
                    std::thread::sleep(Duration::from_millis(100 + rng.below(400)));
                    p.restore();
                }
            }
            tally.proxy_faults += 1;
        }
        let room = match plan.total {
            Some(total) => next_id < total,
            None => r.llen("c:queue") < 200,
        };
        if room && rng.chance(40) {
            let end = plan
                .total
                .map_or(next_id + plan.batch, |t| t.min(next_id + plan.batch));
            enqueue_batch(&r, url, &mut rng, &mut tally, next_id..end, &sure);
            sure.extend((next_id..end).map(item));
            next_id = end;
        }
        if last_check.elapsed() > Duration::from_secs(1) {
            let places = r.whereabouts(&QUEUES, &[OUTPUT], DEAD);
            check_places(&places, &sure, &[]);
            tally.checks += 1;
            last_check = Instant::now();
        }
    }
    // Whatever was not enqueued yet goes in now, while the workers still run.
    if let Some(total) = plan.total
        && next_id < total
    {
        enqueue_batch(&r, url, &mut rng, &mut tally, next_id..total, &sure);
        sure.extend((next_id..total).map(item));
    }
    // The last blow: every worker killed mid-flight.
    for w in &mut workers {
        w.child.kill().ok();
        let status = w.child.wait().unwrap();
        reap(w, status, faults, &mut tally);
    }
    if let Some(p) = &proxy {
        p.heal();
    }
    let places = r.whereabouts(&QUEUES, &[OUTPUT], DEAD);
    check_places(&places, &sure, &[]);

    // Leases of the killed workers expire (timeout 1s + 1s); recover returns them.
    std::thread::sleep(Duration::from_millis(2100));
    let out = r.pipectl().args(["recover"]).output().unwrap();
    assert_code(&out, 0);
    for stage in STAGES {
        let out = r
            .pipectl()
            .env("CHAOS_CALM", "1")
            .args(["run", stage, "--drain", "--wait", "1s"])
            .output()
            .unwrap();
        assert!(
            matches!(out.status.code(), Some(0 | 1 | 3)),
            "final drain of {stage}: {}",
            stderr(&out)
        );
    }
    let places = r.whereabouts(&QUEUES, &[OUTPUT], DEAD);
    let counts = assert_each_once(&places, &sure);
    (tally, counts)
}

fn report(tally: &Tally, counts: &BTreeMap<String, usize>) {
    let elsewhere: usize = counts
        .iter()
        .filter(|(place, _)| *place != OUTPUT && *place != DEAD)
        .map(|(_, n)| n)
        .sum();
    eprintln!(
        "chaos: {} items: {} output, {} dead letters, {} still queued/leased/delayed; \
         {} rounds, {} pipectl kills, {} handler kills, {} enqueues ({} killed, {} cut off), \
         {} redis-server kills and restarts, {} proxy faults, {} checks; workers {:?}",
        counts.values().sum::<usize>(),
        counts[OUTPUT],
        counts[DEAD],
        elsewhere,
        tally.rounds,
        tally.pipectl_kills,
        tally.handler_kills,
        tally.enqueues,
        tally.enqueue_kills,
        tally.enqueue_failures,
        tally.redis_restarts,
        tally.proxy_faults,
        tally.checks,
        tally.worker_exits,
    );
}

#[test]
fn chaos_two_stages_killed_again_and_again_lose_and_duplicate_nothing() {
    let (tally, counts) = chaos(Plan {
        initial: 150,
        batch: 10,
        total: Some(300),
        kill_phase: Duration::from_secs(6),
        workers_per_stage: 2,
        restart_percent: 0,
        proxy_percent: 0,
    });
    report(&tally, &counts);
    assert_eq!(counts.values().sum::<usize>(), 300);
    // With calm handlers, the final drain leaves nothing behind.
    assert_eq!(counts[OUTPUT] + counts[DEAD], 300, "{counts:?}");
    assert!(tally.pipectl_kills > 5, "{tally:?}");
}

/// Worker kills mixed with redis-server SIGKILLs (AOF `always`, restarted) and proxy faults.
#[test]
fn chaos_with_redis_restarts_and_a_faulty_network_loses_and_duplicates_nothing() {
    let (tally, counts) = chaos(Plan {
        initial: 150,
        batch: 10,
        total: Some(300),
        kill_phase: Duration::from_secs(8),
        workers_per_stage: 2,
        // About six of each in ~50 rounds (none at all: one run in a thousand).
        restart_percent: 12,
        proxy_percent: 12,
    });
    report(&tally, &counts);
    assert_eq!(counts.values().sum::<usize>(), 300);
    assert_eq!(counts[OUTPUT] + counts[DEAD], 300, "{counts:?}");
    assert!(
        tally.redis_restarts > 0 && tally.proxy_faults > 0,
        "{tally:?}"
    );
}

/// `scripts/chaos --long SECONDS`: the same driver, for as long as PIPECTL_CHAOS_SECONDS says.
#[test]
#[ignore = "long: run with scripts/chaos --long"]
fn chaos_long() {
    let secs = std::env::var("PIPECTL_CHAOS_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(600);
    let (tally, counts) = chaos(Plan {
        initial: 200,
        batch: 20,
        total: None,
        kill_phase: Duration::from_secs(secs),
        workers_per_stage: 3,
        restart_percent: 2,
        proxy_percent: 4,
    });
    report(&tally, &counts);
    let total: usize = counts.values().sum();
    assert_eq!(counts[OUTPUT] + counts[DEAD], total, "{counts:?}");
}

#[test]
fn a_bulk_enqueue_killed_midway_is_whole_chunks_and_a_rerun_completes_it() {
    let r = RedisServer::start();
    let mut rng = Rng::seeded();
    let lines: String = (0..100_000).map(|i| format!("{{\"id\":{i}}}\n")).collect();
    let file = write_file(r.dir.path(), "bulk.ndjson", &lines);
    let enqueue = || {
        let mut cmd = r.pipectl();
        cmd.args(["enqueue", "q", "--dedup-by", "id", "--file"])
            .arg(&file)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        cmd
    };
    let mut kills = 0;
    // A run can finish before it is killed (100k items take well under a second): then the
    // keys are cleared and the next round starts over, until three runs died midway.
    for _ in 0..12 {
        if kills == 3 {
            break;
        }
        let mut child = enqueue().spawn().unwrap();
        let before = r.llen("q");
        let deadline = Instant::now() + Duration::from_secs(30);
        while r.llen("q") == before && child.try_wait().unwrap().is_none() {
            assert!(Instant::now() < deadline);
            std::thread::sleep(Duration::from_millis(2));
        }
        std::thread::sleep(Duration::from_millis(rng.below(40)));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap();
            kills += 1;
        }
        child.wait().unwrap();
        // Both counts in one atomic read: scripts the killed pipectl had already sent (it
        // keeps a few in flight) may still run after it died, each whole.
        let counts = r.cli_lines(&[
            "EVAL",
            "return {redis.call('LLEN', 'q'), redis.call('SCARD', 'prospect:seen')}",
            "0",
        ]);
        let queued: usize = counts[0].parse().unwrap();
        let seen: usize = counts[1].parse().unwrap();
        eprintln!("enqueue run ({kills} killed so far): {queued} queued, {seen} marked seen");
        assert_eq!(queued, seen, "each item in (and seen) or not, never half");
        if queued == 100_000 {
            r.cli(&["DEL", "q", "prospect:seen"]);
        }
    }
    assert!(kills > 0);
    assert_code(&enqueue().output().unwrap(), 0);
    let mut all = r.cli_lines(&["LRANGE", "q", "0", "-1"]);
    assert_eq!(all.len(), 100_000);
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), 100_000, "no item twice");
}

#[test]
fn dead_retry_all_killed_midway_moves_each_letter_once() {
    let r = setup(false);
    let mut rng = Rng::seeded();
    let expected: Vec<String> = (0..10_000).map(item).collect();
    let letters: String = expected
        .iter()
        .map(|i| {
            format!(
                "{{\"item\":{i},\"stage\":\"a\",\"queue\":\"c:queue\",\"error\":\"x\",\"attempts\":4,\"failed_at\":\"2026-01-01T00:00:00Z\"}}\n"
            )
        })
        .collect();
    let out = run_with_stdin(r.pipectl().args(["enqueue", DEAD]), letters.as_bytes());
    assert_code(&out, 0);
    let mut rounds = 0;
    while r.llen(DEAD) > 0 {
        rounds += 1;
        assert!(rounds < 50, "retry never finished");
        let mut child = r
            .pipectl()
            .args(["dead", "retry", "--all"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(20 + rng.below(200)));
        child.kill().ok();
        child.wait().unwrap();
        let places = r.whereabouts(&QUEUES, &[], DEAD);
        let counts = assert_each_once(&places, &expected);
        eprintln!(
            "dead retry killed: {} retried, {} still dead",
            counts["c:queue"], counts[DEAD]
        );
    }
    let places = r.whereabouts(&QUEUES, &[], DEAD);
    assert_eq!(assert_each_once(&places, &expected)["c:queue"], 10_000);
    assert_eq!(r.cli(&["EXISTS", "c:queue:attempts"]), "0");
}

#[test]
fn approve_all_killed_midway_moves_each_item_once() {
    let r = RedisServer::start();
    Pipeline::new("c")
        .stage("review", |s| s.input("c:staged").output("c:ready"))
        .write(r.dir.path());
    let mut rng = Rng::seeded();
    let expected: Vec<String> = (0..20_000).map(item).collect();
    let batch: String = expected.iter().map(|i| format!("{i}\n")).collect();
    assert_code(
        &run_with_stdin(r.pipectl().args(["stage"]), batch.as_bytes()),
        0,
    );
    let mut rounds = 0;
    while r.llen("c:staged") > 0 {
        rounds += 1;
        assert!(rounds < 50, "approve never finished");
        let mut child = r
            .pipectl()
            .args(["approve", "--all"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(20 + rng.below(200)));
        child.kill().ok();
        child.wait().unwrap();
        let places = r.whereabouts(&[], &["c:staged", "c:ready"], DEAD);
        let counts = assert_each_once(&places, &expected);
        eprintln!(
            "approve killed: {} approved, {} still staged",
            counts.get("c:ready").copied().unwrap_or(0),
            counts.get("c:staged").copied().unwrap_or(0)
        );
    }
    let places = r.whereabouts(&[], &["c:staged", "c:ready"], DEAD);
    assert_eq!(assert_each_once(&places, &expected)["c:ready"], 20_000);
}
