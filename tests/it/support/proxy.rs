//! A fault-injecting TCP proxy between pipectl and a `RedisServer`, controlled by the test at
//! run time through its handle: latency per chunk (each direction), connection resets (now,
//! mid-reply after N bytes, or by chance per server→client chunk from a seeded RNG), stalls
//! (bytes are read and held, nothing forwarded, until un-stalled; then the held bytes go on,
//! as TCP would deliver them after a partition heals), and a cut link (new connections
//! refused, existing ones reset) with its restore.
//!
//! Std only: one accept thread and two pump threads per connection, every one of them
//! blocking at most ~20ms at a time (socket timeouts, sliced sleeps) and checking a stop
//! flag, so dropping the handle ends them all and closes every socket and the listener.
//! Loopback only.

use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::os::fd::AsRawFd;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::RedisServer;

/// How long any proxy thread blocks before it looks at the stop flag and the controls again.
const TICK: Duration = Duration::from_millis(20);
/// Bytes held per direction while stalled; past that the proxy stops reading (backpressure).
const HOLD_MAX: usize = 4 << 20;

/// A direction of traffic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dir {
    /// client → server (commands)
    Up,
    /// server → client (replies)
    Down,
}

impl Dir {
    fn index(self) -> usize {
        self as usize
    }
}

/// xorshift64*: small, seedable, good enough to pick faults.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    /// Seeded from PIPECTL_NETFAULT_SEED if set, else from the clock; prints the seed.
    pub fn from_env(what: &str) -> Rng {
        let seed = std::env::var("PIPECTL_NETFAULT_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                let nanos = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(1, |d| d.as_nanos() as u64);
                nanos ^ (u64::from(std::process::id()) << 32)
            });
        eprintln!("{what}: seed {seed} (PIPECTL_NETFAULT_SEED={seed} repeats the choices)");
        Rng::new(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform-ish in 0..n (0 when n is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }

    /// True with probability `per_mille`/1000.
    pub fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }
}

/// What the proxy did so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProxyStats {
    /// Connections accepted (and forwarded, or reset at once while cut).
    pub accepted: u64,
    /// Connections reset by a fault (now, mid-reply, by chance, or by a cut).
    pub resets: u64,
    /// Of those, resets in the middle of a server→client chunk.
    pub mid_reply_resets: u64,
    /// Chunks forwarded after an injected delay.
    pub delayed_chunks: u64,
    /// Bytes forwarded client→server and server→client.
    pub bytes_up: u64,
    pub bytes_down: u64,
    /// Round trips: client→server chunks that followed a server→client one (or opened the
    /// connection). A pipeline is one, however many commands it carries.
    pub turns: u64,
}

#[derive(Default)]
struct Counters {
    accepted: AtomicU64,
    resets: AtomicU64,
    mid_reply_resets: AtomicU64,
    delayed_chunks: AtomicU64,
    bytes: [AtomicU64; 2],
    turns: AtomicU64,
}

/// The controls the test turns.
struct Control {
    latency: [Duration; 2],
    stalled: [bool; 2],
    /// When the current outage (a stall in either direction, or a cut) began.
    outage_since: Option<Instant>,
    cut: bool,
    /// One shot: reset after forwarding this many bytes of the next server→client chunk.
    reset_after: Option<usize>,
    /// Chance per server→client chunk (per mille) of a reset after a random prefix.
    reset_per_mille: u64,
    rng: Rng,
    /// Client→server bytes arriving within a millisecond of each other go on as one chunk
    /// (round trip counting: a pipeline the kernel split stays one turn).
    coalesce_up: bool,
}

/// One proxied connection: both sockets, shared by its two pump threads.
struct Conn {
    client: TcpStream,
    server: TcpStream,
    /// Set when the connection must end (a reset, a cut, an error on either side, or both
    /// directions finished cleanly).
    dead: AtomicBool,
    /// Pump threads that ended.
    ended: AtomicU64,
    /// The last chunk forwarded went client→server (round trip counting).
    last_up: AtomicBool,
}

impl Conn {
    /// Ends the connection with a reset: SO_LINGER 0 on both sockets, so the close that
    /// follows (when the pumps let go) sends RST instead of FIN, and the peer sees
    /// ECONNRESET rather than a clean end.
    fn reset(&self) {
        for s in [&self.client, &self.server] {
            linger_zero(s);
        }
        self.dead.store(true, Ordering::SeqCst);
    }

    fn ends(&self, dir: Dir) -> (&TcpStream, &TcpStream) {
        match dir {
            Dir::Up => (&self.client, &self.server),
            Dir::Down => (&self.server, &self.client),
        }
    }
}

fn linger_zero(s: &TcpStream) {
    let linger = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: setsockopt on a socket we own, with a correctly sized `linger`.
    unsafe {
        libc::setsockopt(
            s.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            (&linger as *const libc::linger).cast(),
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        );
    }
}

struct Shared {
    upstream: SocketAddr,
    port: u16,
    stop: AtomicBool,
    /// Whether the listener is bound right now (false while cut).
    listening: AtomicBool,
    control: Mutex<Control>,
    conns: Mutex<Vec<Arc<Conn>>>,
    threads: Mutex<Vec<JoinHandle<()>>>,
    counters: Counters,
}

impl Shared {
    fn control(&self) -> MutexGuard<'_, Control> {
        self.control.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn stopping(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    /// Sleeps `total` in ticks; false when the proxy stops (or `conn` dies) meanwhile.
    fn sleep(&self, total: Duration, conn: Option<&Conn>) -> bool {
        let until = Instant::now() + total;
        loop {
            if self.stopping() || conn.is_some_and(|c| c.dead.load(Ordering::SeqCst)) {
                return false;
            }
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return true;
            }
            std::thread::sleep(left.min(TICK));
        }
    }
}

/// The handle: the proxy runs until it is dropped.
pub struct Proxy {
    pub port: u16,
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
}

impl Proxy {
    /// A proxy on a free loopback port forwarding to `redis`.
    pub fn to(redis: &RedisServer) -> Proxy {
        Proxy::to_port(redis.port, Rng::new(0x5eed))
    }

    /// A proxy to 127.0.0.1:`port`, drawing its chance resets from `rng`.
    pub fn to_port(port: u16, rng: Rng) -> Proxy {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind the proxy");
        let own = listener.local_addr().expect("proxy address").port();
        let shared = Arc::new(Shared {
            upstream: SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
            port: own,
            stop: AtomicBool::new(false),
            listening: AtomicBool::new(true),
            control: Mutex::new(Control {
                latency: [Duration::ZERO; 2],
                stalled: [false; 2],
                outage_since: None,
                cut: false,
                reset_after: None,
                reset_per_mille: 0,
                rng,
                coalesce_up: false,
            }),
            conns: Mutex::new(Vec::new()),
            threads: Mutex::new(Vec::new()),
            counters: Counters::default(),
        });
        let acceptor = {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name(format!("proxy-accept-{own}"))
                .spawn(move || accept_loop(&shared, Some(listener)))
                .expect("spawn the proxy's accept thread")
        };
        Proxy {
            port: own,
            shared,
            acceptor: Some(acceptor),
        }
    }

    /// The URL pipectl uses to go through the proxy.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Delay each chunk going in `dir` by `delay` (zero: none).
    pub fn set_latency(&self, dir: Dir, delay: Duration) {
        self.shared.control().latency[dir.index()] = delay;
    }

    /// Client→server bytes that follow each other within a millisecond are forwarded as one
    /// chunk (for counting round trips; adds that millisecond to each command).
    pub fn coalesce_up(&self, on: bool) {
        self.shared.control().coalesce_up = on;
    }

    /// Resets every open connection now; returns how many.
    pub fn reset_all(&self) -> usize {
        let conns = self.live();
        for c in &conns {
            c.reset();
        }
        self.shared
            .counters
            .resets
            .fetch_add(conns.len() as u64, Ordering::SeqCst);
        conns.len()
    }

    /// Arms a one-shot fault: the next server→client chunk (on any connection) is cut after
    /// `bytes` bytes (all of it when shorter) and that connection reset.
    pub fn reset_mid_reply(&self, bytes: usize) {
        self.shared.control().reset_after = Some(bytes);
    }

    /// Whether a `reset_mid_reply` is still waiting for its chunk.
    pub fn mid_reply_armed(&self) -> bool {
        self.shared.control().reset_after.is_some()
    }

    /// Each server→client chunk is, with this chance (per mille), cut after a random prefix
    /// and its connection reset. 0 turns it off.
    pub fn set_reset_chance(&self, per_mille: u64) {
        self.shared.control().reset_per_mille = per_mille;
    }

    /// Stops forwarding in `dir` (bytes are still read, and held) until `unstall`.
    pub fn stall(&self, dir: Dir) {
        let mut c = self.shared.control();
        c.stalled[dir.index()] = true;
        c.outage_since.get_or_insert_with(Instant::now);
    }

    /// Stops forwarding both ways.
    pub fn stall_both(&self) {
        self.stall(Dir::Up);
        self.stall(Dir::Down);
    }

    /// Forwarding resumes (held bytes go on first).
    pub fn unstall(&self) {
        let mut c = self.shared.control();
        c.stalled = [false; 2];
        if !c.cut {
            c.outage_since = None;
        }
    }

    /// Cuts the link: new connections are refused (the listener closes) and open ones
    /// reset. Returns once the listener is closed.
    pub fn cut(&self) {
        {
            let mut c = self.shared.control();
            c.cut = true;
            c.outage_since.get_or_insert_with(Instant::now);
        }
        self.reset_all();
        self.wait_listening(false);
    }

    /// Restores a cut link: listening again on the same port. Returns once it listens.
    pub fn restore(&self) {
        {
            let mut c = self.shared.control();
            c.cut = false;
            if c.stalled == [false; 2] {
                c.outage_since = None;
            }
        }
        self.wait_listening(true);
    }

    /// Every fault off: no latency, no stall, no cut, nothing armed.
    pub fn heal(&self) {
        {
            let mut c = self.shared.control();
            c.latency = [Duration::ZERO; 2];
            c.reset_after = None;
            c.reset_per_mille = 0;
        }
        self.unstall();
        self.restore();
    }

    /// Since when no reply can get through (a stall either way, or a cut), if so now.
    pub fn outage_since(&self) -> Option<Instant> {
        self.shared.control().outage_since
    }

    /// Connections open right now.
    pub fn open_connections(&self) -> usize {
        self.live().len()
    }

    pub fn stats(&self) -> ProxyStats {
        let c = &self.shared.counters;
        ProxyStats {
            accepted: c.accepted.load(Ordering::SeqCst),
            resets: c.resets.load(Ordering::SeqCst),
            mid_reply_resets: c.mid_reply_resets.load(Ordering::SeqCst),
            delayed_chunks: c.delayed_chunks.load(Ordering::SeqCst),
            bytes_up: c.bytes[0].load(Ordering::SeqCst),
            bytes_down: c.bytes[1].load(Ordering::SeqCst),
            turns: c.turns.load(Ordering::SeqCst),
        }
    }

    fn live(&self) -> Vec<Arc<Conn>> {
        let mut conns = self.shared.conns.lock().unwrap_or_else(|e| e.into_inner());
        conns.retain(|c| !c.dead.load(Ordering::SeqCst));
        conns.clone()
    }

    fn wait_listening(&self, want: bool) {
        let deadline = Instant::now() + Duration::from_secs(5);
        while self.shared.listening.load(Ordering::SeqCst) != want {
            assert!(
                Instant::now() < deadline,
                "the proxy's listener did not {}",
                if want { "come back" } else { "close" }
            );
            std::thread::sleep(Duration::from_millis(2));
        }
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        for c in self.live() {
            c.dead.store(true, Ordering::SeqCst);
        }
        if let Some(acceptor) = self.acceptor.take() {
            acceptor.join().ok();
        }
        // The acceptor has ended: no thread is added any more.
        let threads = std::mem::take(
            &mut *self
                .shared
                .threads
                .lock()
                .unwrap_or_else(|e| e.into_inner()),
        );
        for t in threads {
            t.join().ok();
        }
        self.shared
            .conns
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}

fn accept_loop(shared: &Arc<Shared>, mut listener: Option<TcpListener>) {
    if let Some(l) = &listener {
        l.set_nonblocking(true).expect("nonblocking listener");
    }
    while !shared.stopping() {
        let cut = shared.control().cut;
        if cut && listener.is_some() {
            listener = None;
            shared.listening.store(false, Ordering::SeqCst);
        } else if !cut && listener.is_none() {
            // The same port again (std sets SO_REUSEADDR); retried while the kernel lets go.
            match TcpListener::bind((Ipv4Addr::LOCALHOST, shared.port)) {
                Ok(l) => {
                    l.set_nonblocking(true).expect("nonblocking listener");
                    listener = Some(l);
                    shared.listening.store(true, Ordering::SeqCst);
                }
                Err(_) => {
                    std::thread::sleep(TICK);
                    continue;
                }
            }
        }
        let Some(l) = &listener else {
            std::thread::sleep(Duration::from_millis(2));
            continue;
        };
        match l.accept() {
            Ok((client, peer)) => {
                assert!(peer.ip().is_loopback(), "the proxy serves loopback only");
                shared.counters.accepted.fetch_add(1, Ordering::SeqCst);
                start_conn(shared, client);
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(2));
            }
            Err(_) => std::thread::sleep(TICK),
        }
        // Connections that ended leave the registry (their sockets close when the pumps let
        // go too), and finished pump threads are joined as we go.
        shared
            .conns
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|c| !c.dead.load(Ordering::SeqCst));
        let mut threads = shared.threads.lock().unwrap_or_else(|e| e.into_inner());
        let (done, running): (Vec<_>, Vec<_>) = std::mem::take(&mut *threads)
            .into_iter()
            .partition(|t| t.is_finished());
        *threads = running;
        drop(threads);
        for t in done {
            t.join().ok();
        }
    }
    shared.listening.store(false, Ordering::SeqCst);
}

fn start_conn(shared: &Arc<Shared>, client: TcpStream) {
    client.set_nonblocking(false).ok();
    let server = match TcpStream::connect_timeout(&shared.upstream, Duration::from_secs(1)) {
        Ok(s) => s,
        Err(_) => {
            linger_zero(&client);
            return;
        }
    };
    for s in [&client, &server] {
        s.set_nodelay(true).ok();
        s.set_read_timeout(Some(TICK)).ok();
        s.set_write_timeout(Some(Duration::from_secs(1))).ok();
    }
    let conn = Arc::new(Conn {
        client,
        server,
        dead: AtomicBool::new(false),
        ended: AtomicU64::new(0),
        last_up: AtomicBool::new(false),
    });
    if shared.control().cut {
        conn.reset();
        shared.counters.resets.fetch_add(1, Ordering::SeqCst);
        return;
    }
    shared
        .conns
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(Arc::clone(&conn));
    let mut threads = shared.threads.lock().unwrap_or_else(|e| e.into_inner());
    for dir in [Dir::Up, Dir::Down] {
        let shared = Arc::clone(shared);
        let conn = Arc::clone(&conn);
        let t = std::thread::Builder::new()
            .name(format!("proxy-{dir:?}"))
            .spawn(move || {
                pump(&shared, &conn, dir);
                if conn.ended.fetch_add(1, Ordering::SeqCst) == 1 {
                    conn.dead.store(true, Ordering::SeqCst);
                }
            })
            .expect("spawn a proxy pump thread");
        threads.push(t);
    }
}

/// What to do with the chunk about to be forwarded, decided under the control lock.
struct Plan {
    delay: Duration,
    /// Forward only this many bytes, then reset the connection.
    cut_at: Option<usize>,
}

fn plan(shared: &Shared, dir: Dir, len: usize) -> Option<Plan> {
    let mut c = shared.control();
    if c.stalled[dir.index()] {
        return None;
    }
    let delay = c.latency[dir.index()];
    let mut cut_at = None;
    if dir == Dir::Down {
        if let Some(n) = c.reset_after.take() {
            cut_at = Some(n.min(len));
        } else if c.reset_per_mille > 0 {
            let per_mille = c.reset_per_mille;
            if c.rng.chance(per_mille) {
                cut_at = Some(c.rng.below(len as u64) as usize);
            }
        }
    }
    Some(Plan { delay, cut_at })
}

/// Moves bytes one way until the connection ends or the proxy stops.
fn pump(shared: &Shared, conn: &Conn, dir: Dir) {
    let (mut src, mut dst) = conn.ends(dir);
    let mut held: Vec<u8> = Vec::new();
    let mut eof = false;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        if shared.stopping() || conn.dead.load(Ordering::SeqCst) {
            return;
        }
        if !held.is_empty()
            && let Some(plan) = plan(shared, dir, held.len())
        {
            if !plan.delay.is_zero() {
                if !shared.sleep(plan.delay, Some(conn)) {
                    return;
                }
                shared
                    .counters
                    .delayed_chunks
                    .fetch_add(1, Ordering::SeqCst);
            }
            let n = plan.cut_at.unwrap_or(held.len());
            // Noted before the bytes go on: the peer's answer cannot overtake it.
            let was_up = conn.last_up.swap(dir == Dir::Up, Ordering::SeqCst);
            if dir == Dir::Up && !was_up {
                shared.counters.turns.fetch_add(1, Ordering::SeqCst);
            }
            if dst.write_all(&held[..n]).is_err() {
                conn.reset();
                return;
            }
            shared.counters.bytes[dir.index()].fetch_add(n as u64, Ordering::SeqCst);
            if plan.cut_at.is_some() {
                dst.flush().ok();
                // Let the prefix leave before the reset discards what is unsent.
                std::thread::sleep(Duration::from_millis(2));
                conn.reset();
                shared.counters.resets.fetch_add(1, Ordering::SeqCst);
                shared
                    .counters
                    .mid_reply_resets
                    .fetch_add(1, Ordering::SeqCst);
                return;
            }
            held.clear();
        }
        if eof {
            if held.is_empty() {
                // A clean end on this side goes on as a clean end (FIN) on the other.
                dst.shutdown(Shutdown::Write).ok();
                return;
            }
            std::thread::sleep(TICK);
            continue;
        }
        if held.len() >= HOLD_MAX {
            std::thread::sleep(TICK);
            continue;
        }
        match src.read(&mut buf) {
            Ok(0) => eof = true,
            Ok(n) => {
                held.extend_from_slice(&buf[..n]);
                if dir == Dir::Up && shared.control().coalesce_up {
                    // The Up pump is the client socket's only reader: its timeout is ours.
                    src.set_read_timeout(Some(Duration::from_millis(1))).ok();
                    while let Ok(more @ 1..) = src.read(&mut buf) {
                        held.extend_from_slice(&buf[..more]);
                    }
                    src.set_read_timeout(Some(TICK)).ok();
                }
            }
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => {
                // The peer reset or failed: the other side sees a reset too.
                conn.reset();
                return;
            }
        }
    }
}
