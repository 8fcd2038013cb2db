//! A slot's driver: starts its handler process when there is work, feeds it requests,
//! reads its answers and stderr on the driver's thread with poll(2), and ends the process
//! (and answers for every item it had) when it exits, writes garbage, or an item times out.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

use super::{Answer, Reply, Request, Slot, StreamHandler, protocol};
use crate::handler::exec::{STDOUT_CAP, set_nonblocking};
use crate::handler::guard::{self, Guard};
use crate::handler::{Outcome, Shutdown, tail};

/// How much of stderr is kept per item for its failure's reason.
const STDERR_TAIL: usize = 2048;
/// How long a handler has to exit once its stdin is closed at the end of a run.
const CLOSE_GRACE: Duration = Duration::from_secs(2);
/// Restarting a handler that ended: the first pause, doubled while it keeps ending without
/// answering anything, up to the last.
const RESTART_FIRST: Duration = Duration::from_millis(100);
const RESTART_MAX: Duration = Duration::from_secs(2);
/// How often the driver looks at the shutdown's grace period when nothing happens.
const TICK: Duration = Duration::from_millis(100);

enum End {
    /// Closed at the end of the run: the driver is done.
    Closed,
    /// The process ended (by itself or killed); `answered` if it answered anything.
    Ended { answered: bool },
    /// The program cannot be run: its items were told so.
    Unrunnable,
}

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
                let pause = RESTART_FIRST.saturating_mul(1 << (failures - 1).min(10));
                not_before = Some(Instant::now() + pause.min(RESTART_MAX));
            }
            End::Unrunnable => {}
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

fn interrupted() -> Reply {
    Reply::Answer(Answer {
        outcome: Outcome::Interrupted,
        cost: None,
    })
}

/// An item the process was given and has not answered.
struct Pending {
    reply: std::sync::mpsc::SyncSender<Reply>,
    item: Vec<u8>,
    deadline: Instant,
    /// What the process wrote to stderr while the item was in flight.
    stderr: Vec<u8>,
}

impl Pending {
    fn retry(&self, what: String) -> Reply {
        let reason = with_stderr(what, &self.stderr);
        Reply::Answer(Answer {
            outcome: Outcome::Retry {
                reason,
                after: None,
            },
            cost: None,
        })
    }
}

fn with_stderr(what: String, stderr: &[u8]) -> String {
    let stderr = tail(stderr, 500);
    if stderr.is_empty() {
        what
    } else {
        format!("{what}: {stderr}")
    }
}

struct Session<'g> {
    stdin: Option<File>,
    stdout: Option<File>,
    stderr: Option<File>,
    exit: guard::Exit<'g>,
    pending: HashMap<u64, Pending>,
    /// Request bytes not yet written, from `written` on.
    out: Vec<u8>,
    written: usize,
    /// stdout bytes not yet split into lines; `scanned` of them hold no newline.
    line: Vec<u8>,
    scanned: usize,
    answered: bool,
    max_item_bytes: usize,
}

fn session(
    h: &StreamHandler,
    index: usize,
    slot: &Slot,
    guard: &Guard,
    shutdown: &Shutdown,
) -> End {
    let index = index.to_string();
    let env: [(&str, &OsStr); 4] = [
        ("PIPECTL_STAGE", OsStr::new(&h.stage)),
        ("PIPECTL_QUEUE", OsStr::new(&h.queue)),
        ("PIPECTL_MODE", OsStr::new("stream")),
        ("PIPECTL_SLOT", OsStr::new(&index)),
    ];
    let program = h.argv.first().map_or("", String::as_str);
    let cannot = |e: &dyn std::fmt::Display| format!("cannot run handler '{program}': {e}");
    let started = match h.argv.split_first() {
        Some((program, args)) => guard.spawn(program, args, &env),
        None => Err(std::io::Error::other("exec handler has an empty argv")),
    };
    let started = match started {
        Ok(started) => started,
        Err(e) => {
            for request in slot.take() {
                request.reply.send(Reply::Unrunnable(cannot(&e))).ok();
            }
            return End::Unrunnable;
        }
    };
    for file in [&started.stdin, &started.stdout, &started.stderr] {
        set_nonblocking(file);
    }
    let mut s = Session {
        stdin: Some(started.stdin),
        stdout: Some(started.stdout),
        stderr: Some(started.stderr),
        exit: started.exit,
        pending: HashMap::new(),
        out: Vec::new(),
        written: 0,
        line: Vec::new(),
        scanned: 0,
        answered: false,
        max_item_bytes: h.max_item_bytes,
    };
    let mut closing: Option<Instant> = None;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        if closing.is_none() {
            for request in slot.take() {
                s.send(request, Instant::now() + h.timeout);
            }
            if slot.closed() && slot.is_empty() && s.pending.is_empty() {
                // End of file for the handler: it should exit.
                s.stdin = None;
                closing = Some(Instant::now());
            }
        }
        if closing.is_some_and(|at| at.elapsed() > CLOSE_GRACE) {
            s.end();
            return End::Closed;
        }
        if !s.pending.is_empty() && shutdown.grace_over() {
            s.end();
            for (_, p) in s.pending.drain() {
                p.reply.send(interrupted()).ok();
            }
            return End::Ended {
                answered: s.answered,
            };
        }
        let now = Instant::now();
        let late = s
            .pending
            .iter()
            .find(|(_, p)| p.deadline <= now)
            .map(|(id, _)| *id);
        if let Some(id) = late {
            s.end();
            if let Some(p) = s.pending.remove(&id) {
                let what = format!(
                    "handler timed out after {} (it was restarted)",
                    crate::duration::format(h.timeout)
                );
                let reply = p.retry(what);
                p.reply.send(reply).ok();
            }
            // The others were not at fault: back to their queue, their attempt not counted.
            for (_, p) in s.pending.drain() {
                p.reply.send(interrupted()).ok();
            }
            return End::Ended {
                answered: s.answered,
            };
        }
        let next_deadline = s.pending.values().map(|p| p.deadline).min();
        let wait = next_deadline.map_or(TICK, |d| d.saturating_duration_since(now).min(TICK));
        let watch = |file: &Option<File>, events| {
            file.as_ref().map(|f| libc::pollfd {
                fd: f.as_raw_fd(),
                events,
                revents: 0,
            })
        };
        let stdin_events = if s.written < s.out.len() {
            libc::POLLOUT
        } else {
            0
        };
        let slots = [
            Some(libc::pollfd {
                fd: slot.wake.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            }),
            watch(&s.stdin, stdin_events).filter(|_| stdin_events != 0),
            watch(&s.stdout, libc::POLLIN),
            watch(&s.stderr, libc::POLLIN),
            Some(libc::pollfd {
                fd: s.exit.fd(),
                events: libc::POLLIN,
                revents: 0,
            }),
        ];
        let mut fds = Vec::with_capacity(5);
        let mut which = Vec::with_capacity(5);
        for (i, fd) in slots.into_iter().enumerate() {
            if let Some(fd) = fd {
                fds.push(fd);
                which.push(i);
            }
        }
        // Round up so a deadline 0.5ms away is not polled for 0ms again and again.
        let millis = (wait.as_micros().div_ceil(1000)) as libc::c_int;
        // SAFETY: poll on a valid array of pollfd of the given length.
        unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, millis) };
        for (fd, i) in fds.iter().zip(which) {
            if fd.revents == 0 {
                continue;
            }
            match i {
                0 => slot.drain_wake(),
                1 => s.write(),
                2 => {
                    // stderr first: what it wrote before an answer belongs to that item.
                    s.read_stderr(&mut buf);
                    let open = s.read_stdout(&mut buf);
                    if let Err(garbage) = s.lines() {
                        s.end();
                        s.fail_all(&garbage);
                        return End::Ended {
                            answered: s.answered,
                        };
                    }
                    if !open {
                        // It closed its stdout: it can answer nothing more.
                        s.exit.kill();
                    }
                }
                3 => s.read_stderr(&mut buf),
                _ => {
                    let ending = s.exit.wait();
                    // What it wrote before it ended still counts.
                    s.read_stderr(&mut buf);
                    s.read_stdout(&mut buf);
                    let garbage = s.lines().err();
                    let what = match ending {
                        guard::Ending::NotStarted(e) => {
                            for (_, p) in s.pending.drain() {
                                p.reply.send(Reply::Unrunnable(cannot(&e))).ok();
                            }
                            for request in slot.take() {
                                request.reply.send(Reply::Unrunnable(cannot(&e))).ok();
                            }
                            return End::Unrunnable;
                        }
                        guard::Ending::Lost => {
                            "the handler guard was killed, and the handler with it".to_owned()
                        }
                        guard::Ending::Exited(status) => {
                            use std::os::unix::process::ExitStatusExt;
                            match (status.code(), status.signal()) {
                                (Some(code), _) => format!("handler exited (code {code})"),
                                (None, signal) => {
                                    format!("handler was killed by signal {}", signal.unwrap_or(0))
                                }
                            }
                        }
                    };
                    if closing.is_some() && s.pending.is_empty() {
                        return End::Closed;
                    }
                    let what = match garbage {
                        Some(garbage) => garbage,
                        None => format!("{what} while the item was in flight (it was restarted)"),
                    };
                    s.fail_all(&what);
                    return End::Ended {
                        answered: s.answered,
                    };
                }
            }
        }
    }
}

impl Session<'_> {
    fn send(&mut self, request: Request, deadline: Instant) {
        if self.stdin.is_some() {
            self.out.extend_from_slice(&request.line);
        }
        // Without a stdin (it broke) the request waits for the process's end, and fails
        // with it.
        self.pending.insert(
            request.id,
            Pending {
                reply: request.reply,
                item: request.item,
                deadline,
                stderr: Vec::new(),
            },
        );
        self.write();
    }

    fn write(&mut self) {
        while self.written < self.out.len() {
            let Some(stdin) = self.stdin.as_mut() else {
                break;
            };
            match stdin.write(&self.out[self.written..]) {
                Ok(n) => self.written += n,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                // EPIPE: it closed its stdin (or exited); its end tells the rest.
                Err(_) => self.stdin = None,
            }
        }
        self.out.clear();
        self.written = 0;
    }

    /// Reads what stdout has; false once it is closed.
    fn read_stdout(&mut self, buf: &mut [u8]) -> bool {
        while let Some(file) = self.stdout.as_mut() {
            match file.read(buf) {
                Ok(0) => self.stdout = None,
                Ok(n) => self.line.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return true,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => self.stdout = None,
            }
        }
        false
    }

    fn read_stderr(&mut self, buf: &mut [u8]) {
        while let Some(file) = self.stderr.as_mut() {
            match file.read(buf) {
                Ok(0) => self.stderr = None,
                Ok(n) => {
                    for p in self.pending.values_mut() {
                        p.stderr.extend_from_slice(&buf[..n]);
                        if p.stderr.len() > 2 * STDERR_TAIL {
                            p.stderr.drain(..p.stderr.len() - STDERR_TAIL);
                        }
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => self.stderr = None,
            }
        }
    }

    /// Answers the items whose responses arrived. An error: the process wrote something
    /// that is no answer to an item in flight, and must be restarted.
    fn lines(&mut self) -> Result<(), String> {
        loop {
            let Some(at) = self.line[self.scanned..].iter().position(|&b| b == b'\n') else {
                self.scanned = self.line.len();
                if self.line.len() > STDOUT_CAP {
                    return Err(format!(
                        "handler wrote a line of more than {} MiB",
                        STDOUT_CAP >> 20
                    ));
                }
                return Ok(());
            };
            let end = self.scanned + at;
            let line: Vec<u8> = self.line.drain(..=end).collect();
            self.scanned = 0;
            let line = line.strip_suffix(b"\n").unwrap_or(&line);
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let (id, fields) = protocol::id_of(line)?;
            let Some(p) = self.pending.remove(&id) else {
                return Err(format!(
                    "handler answered id {id}, which is not in flight (unknown, or answered already)"
                ));
            };
            self.answered = true;
            let reply = match protocol::answer(&fields, &p.item, self.max_item_bytes) {
                Ok(mut answer) => {
                    if let Outcome::Retry { reason, .. } | Outcome::Dead { reason } =
                        &mut answer.outcome
                    {
                        *reason = with_stderr(std::mem::take(reason), &p.stderr);
                    }
                    Reply::Answer(answer)
                }
                Err(e) => p.retry(format!("handler answered with an invalid response: {e}")),
            };
            p.reply.send(reply).ok();
        }
    }

    /// Every item in flight is retried (it counts as an attempt: the process died with
    /// it, and a handler that keeps dying must not keep its items forever).
    fn fail_all(&mut self, what: &str) {
        for (_, p) in self.pending.drain() {
            let reply = p.retry(what.to_owned());
            p.reply.send(reply).ok();
        }
    }

    /// Kills the process and everything it started, and waits for its end.
    fn end(&mut self) {
        self.stdin = None;
        self.exit.kill();
        self.exit.wait();
    }
}
