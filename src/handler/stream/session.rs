//! One handler process of a stream slot: started through the handler guard, given request
//! lines, its answers and stderr read with poll(2), its items' timeouts enforced, and ended
//! (with an answer for every item it had) when it exits, writes garbage, or an item times
//! out. A slot's driver thread runs it (driver.rs), or with `in_flight = 1` the worker
//! itself, between its claims and settles (direct.rs).

use std::collections::HashMap;
use std::ffi::OsStr;
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{Answer, Reply, Request, Slot, StreamHandler, protocol};
use crate::handler::exec::{STDOUT_CAP, set_nonblocking};
use crate::handler::guard::{self, Guard};
use crate::handler::{Outcome, Shutdown, tail};

/// How much of stderr is kept per item for its failure's reason.
const STDERR_TAIL: usize = 2048;

/// How a session ended.
pub(super) enum End {
    /// It exited after its stdin was closed at the end of the run, nothing in flight.
    Closed,
    /// The process ended (by itself or killed); `answered` if it answered anything.
    Ended { answered: bool },
    /// The program cannot be run (this message): its items were told so.
    Unrunnable(String),
}

pub(super) fn interrupted() -> Reply {
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

pub(super) struct Session {
    stdin: Option<File>,
    stdout: Option<File>,
    stderr: Option<File>,
    exit: guard::Exit<'static>,
    /// Set once the process was waited for.
    ended: bool,
    pending: HashMap<u64, Pending>,
    /// Request bytes not yet written, from `written` on.
    out: Vec<u8>,
    written: usize,
    /// stdout bytes not yet split into lines; `scanned` of them hold no newline.
    line: Vec<u8>,
    scanned: usize,
    answered: bool,
    max_item_bytes: usize,
    timeout: Duration,
    program: String,
    buf: Vec<u8>,
}

impl Session {
    /// Starts slot `index`'s process. An error is why the program cannot be run.
    pub(super) fn start(
        h: &StreamHandler,
        index: usize,
        guard: &Arc<Guard>,
    ) -> Result<Session, String> {
        let slot = index.to_string();
        let env: [(&str, &OsStr); 4] = [
            ("PIPECTL_STAGE", OsStr::new(&h.stage)),
            ("PIPECTL_QUEUE", OsStr::new(&h.queue)),
            ("PIPECTL_MODE", OsStr::new("stream")),
            ("PIPECTL_SLOT", OsStr::new(&slot)),
        ];
        let program = h.argv.first().map_or("", String::as_str).to_owned();
        let started = match h.argv.split_first() {
            Some((program, args)) => guard.spawn_shared(program, args, &env),
            None => Err(std::io::Error::other("exec handler has an empty argv")),
        };
        let started = started.map_err(|e| cannot(&program, &e))?;
        for file in [&started.stdin, &started.stdout, &started.stderr] {
            set_nonblocking(file);
        }
        Ok(Session {
            stdin: Some(started.stdin),
            stdout: Some(started.stdout),
            stderr: Some(started.stderr),
            exit: started.exit,
            ended: false,
            pending: HashMap::new(),
            out: Vec::new(),
            written: 0,
            line: Vec::new(),
            scanned: 0,
            answered: false,
            max_item_bytes: h.max_item_bytes,
            timeout: h.timeout,
            program,
            buf: vec![0u8; 64 * 1024],
        })
    }

    /// Nothing in flight.
    pub(super) fn idle(&self) -> bool {
        self.pending.is_empty()
    }

    /// End of file for the handler: it should exit.
    pub(super) fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// Writes a request to the process; its timeout counts from now.
    pub(super) fn send(&mut self, request: Request) {
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
                deadline: Instant::now() + self.timeout,
                stderr: Vec::new(),
            },
        );
        self.write();
    }

    /// One round: ends the process when the shutdown's grace is over or an item's timeout
    /// passed; else waits up to `wait` (less when a timeout comes sooner; zero looks
    /// without waiting) for the process, and `wake` when given, and handles what came:
    /// answers are sent to their items as they are read. Some(end) when the process ended
    /// (every item it had answered); `closing`: its stdin was closed at the end of the run.
    pub(super) fn turn(
        &mut self,
        wake: Option<&Slot>,
        wait: Duration,
        closing: bool,
        shutdown: &Shutdown,
    ) -> Option<End> {
        if !self.pending.is_empty() && shutdown.grace_over() {
            self.end();
            for (_, p) in self.pending.drain() {
                p.reply.send(interrupted()).ok();
            }
            return Some(self.ended_now());
        }
        let now = Instant::now();
        let late = self
            .pending
            .iter()
            .find(|(_, p)| p.deadline <= now)
            .map(|(id, _)| *id);
        if let Some(id) = late {
            self.end();
            if let Some(p) = self.pending.remove(&id) {
                let what = format!(
                    "handler timed out after {} (it was restarted)",
                    crate::duration::format(self.timeout)
                );
                let reply = p.retry(what);
                p.reply.send(reply).ok();
            }
            // The others were not at fault: back to their queue, their attempt not counted.
            for (_, p) in self.pending.drain() {
                p.reply.send(interrupted()).ok();
            }
            return Some(self.ended_now());
        }
        let next_deadline = self.pending.values().map(|p| p.deadline).min();
        let wait = next_deadline.map_or(wait, |d| d.saturating_duration_since(now).min(wait));
        let watch = |file: &Option<File>, events| {
            file.as_ref().map(|f| libc::pollfd {
                fd: f.as_raw_fd(),
                events,
                revents: 0,
            })
        };
        let unwritten = self.written < self.out.len();
        let slots = [
            wake.map(|slot| libc::pollfd {
                fd: slot.wake.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            }),
            watch(&self.stdin, libc::POLLOUT).filter(|_| unwritten),
            watch(&self.stderr, libc::POLLIN),
            watch(&self.stdout, libc::POLLIN),
            Some(libc::pollfd {
                fd: self.exit.fd(),
                events: libc::POLLIN,
                revents: 0,
            }),
        ];
        let mut fds = [libc::pollfd {
            fd: -1,
            events: 0,
            revents: 0,
        }; 5];
        let mut which = [0usize; 5];
        let mut n = 0;
        for (i, fd) in slots.into_iter().enumerate() {
            if let Some(fd) = fd {
                fds[n] = fd;
                which[n] = i;
                n += 1;
            }
        }
        // Round up so a deadline 0.5ms away is not polled for 0ms again and again.
        let millis = (wait.as_micros().div_ceil(1000)).min(i32::MAX as u128) as libc::c_int;
        // SAFETY: poll on the first `n` entries of a valid array of pollfd.
        unsafe { libc::poll(fds.as_mut_ptr(), n as libc::nfds_t, millis) };
        // In this order: stderr before stdout, so what it wrote before an answer belongs
        // to that item.
        for (fd, i) in fds[..n].iter().zip(which) {
            if fd.revents == 0 {
                continue;
            }
            match i {
                0 => {
                    if let Some(slot) = wake {
                        slot.drain_wake();
                    }
                }
                1 => self.write(),
                2 => self.read_stderr(),
                3 => {
                    let open = self.read_stdout();
                    if let Err(garbage) = self.lines() {
                        self.end();
                        self.fail_all(&garbage);
                        return Some(self.ended_now());
                    }
                    if !open {
                        // It closed its stdout: it can answer nothing more.
                        self.exit.kill();
                    }
                }
                _ => return Some(self.exited(closing)),
            }
        }
        None
    }

    /// The process ended: what it wrote before still counts; its items are answered.
    fn exited(&mut self, closing: bool) -> End {
        let ending = self.exit.wait();
        self.ended = true;
        self.read_stderr();
        self.read_stdout();
        let garbage = self.lines().err();
        let what = match ending {
            guard::Ending::NotStarted(e) => {
                let why = cannot(&self.program, &e);
                for (_, p) in self.pending.drain() {
                    p.reply.send(Reply::Unrunnable(why.clone())).ok();
                }
                return End::Unrunnable(why);
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
        if closing && self.pending.is_empty() {
            return End::Closed;
        }
        let what = match garbage {
            Some(garbage) => garbage,
            None => format!("{what} while the item was in flight (it was restarted)"),
        };
        self.fail_all(&what);
        self.ended_now()
    }

    fn ended_now(&self) -> End {
        End::Ended {
            answered: self.answered,
        }
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

    /// Reads what stdout has; false once it is closed. A short read means the pipe was
    /// emptied: poll says when more comes.
    fn read_stdout(&mut self) -> bool {
        while let Some(file) = self.stdout.as_mut() {
            match file.read(&mut self.buf) {
                Ok(0) => self.stdout = None,
                Ok(n) => {
                    self.line.extend_from_slice(&self.buf[..n]);
                    if n < self.buf.len() {
                        return true;
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return true,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => self.stdout = None,
            }
        }
        false
    }

    fn read_stderr(&mut self) {
        while let Some(file) = self.stderr.as_mut() {
            match file.read(&mut self.buf) {
                Ok(0) => self.stderr = None,
                Ok(n) => {
                    for p in self.pending.values_mut() {
                        p.stderr.extend_from_slice(&self.buf[..n]);
                        if p.stderr.len() > 2 * STDERR_TAIL {
                            p.stderr.drain(..p.stderr.len() - STDERR_TAIL);
                        }
                    }
                    if n < self.buf.len() {
                        return;
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
    pub(super) fn end(&mut self) {
        self.stdin = None;
        if !self.ended {
            self.exit.kill();
            self.exit.wait();
            self.ended = true;
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.end();
        for (_, p) in self.pending.drain() {
            p.reply.send(interrupted()).ok();
        }
    }
}

fn cannot(program: &str, e: &dyn std::fmt::Display) -> String {
    format!("cannot run handler '{program}': {e}")
}
