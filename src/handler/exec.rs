//! exec handlers: an argv (no shell), the item on stdin, the answer on stdout and exit code.

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::ExitStatus;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::cost::{self, Cost};
use super::guard::{self, Guard};
use super::{Call, Outcome, Shutdown, Unrunnable, parse_control, success, tail};

/// Exit codes of the handler contract (sysexits.h).
pub const EX_DATAERR: i32 = 65;
pub const EX_TEMPFAIL: i32 = 75;

/// A handler printing more than this is stopped: no item is that large, and memory is finite.
pub const STDOUT_CAP: usize = 64 << 20;
/// How much of stderr is kept for a dead letter's reason.
const STDERR_TAIL: usize = 2048;

/// How a handler process ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Ended {
    Exited(i32),
    Signaled(i32),
    TimedOut,
    TooMuchOutput,
    Interrupted,
}

pub struct Finished {
    pub ended: Ended,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub control: String,
    /// The handler guard died (it was killed) and the handler with it: the guard must be
    /// replaced before the next call.
    pub guard_lost: bool,
}

/// Runs `argv` with `input` on stdin in its own process group, started by `guard` (which
/// kills everything it started should pipectl die), and killed with everything it started
/// on timeout, on too much output, or when a shutdown's grace period ends.
pub fn run_process(
    guard: &Guard,
    argv: &[String],
    env: &[(&str, String)],
    input: &[u8],
    timeout: Duration,
    control_path: &Path,
    shutdown: &Shutdown,
) -> Result<Finished, Unrunnable> {
    let Some((program, args)) = argv.split_first() else {
        return Err(Unrunnable("exec handler has an empty argv".into()));
    };
    let mut vars: Vec<(&str, &OsStr)> = env.iter().map(|(k, v)| (*k, OsStr::new(v))).collect();
    vars.push(("PIPECTL_CONTROL", control_path.as_os_str()));
    let cannot =
        |e: &dyn std::fmt::Display| Unrunnable(format!("cannot run handler '{program}': {e}"));
    let child = guard.spawn(program, args, &vars).map_err(|e| cannot(&e))?;
    let supervised = supervise(child, input, timeout, shutdown);
    let control = std::fs::read_to_string(control_path).unwrap_or_default();
    std::fs::remove_file(control_path).ok();
    let (ended, stdout, stderr, guard_lost) = match supervised {
        Supervised::Ended(ended, stdout, stderr) => (ended, stdout, stderr, false),
        Supervised::NotStarted(e) => return Err(cannot(&e)),
        Supervised::Lost(stderr) => (Ended::Signaled(libc::SIGKILL), Vec::new(), stderr, true),
    };
    Ok(Finished {
        ended,
        stdout,
        stderr,
        control,
        guard_lost,
    })
}

fn ended_from(status: ExitStatus) -> Ended {
    match (status.code(), status.signal()) {
        (Some(code), _) => Ended::Exited(code),
        (None, Some(signal)) => Ended::Signaled(signal),
        (None, None) => Ended::Signaled(0),
    }
}

enum Supervised {
    Ended(Ended, Vec<u8>, Vec<u8>),
    NotStarted(std::io::Error),
    /// The guard died, and the handler with it (its death signal): what it printed to stderr.
    Lost(Vec<u8>),
}

/// Feeds `input` to the handler and collects what it prints, all on the calling thread with
/// poll(2) (no helper threads per call), until it exits: by itself, or killed with its tree
/// on timeout, on too much output, or when a shutdown's grace period ends. Once it ended,
/// the guard has killed whatever it left in its process group, so its pipes close, and
/// they are read to the end.
fn supervise(
    child: guard::Started<'_>,
    input: &[u8],
    timeout: Duration,
    shutdown: &Shutdown,
) -> Supervised {
    let mut exit = child.exit;
    let mut stdin = (!input.is_empty()).then_some(child.stdin);
    let mut stdout = Some(child.stdout);
    let mut stderr = Some(child.stderr);
    for file in [stdin.as_ref(), stdout.as_ref(), stderr.as_ref()]
        .into_iter()
        .flatten()
    {
        set_nonblocking(file);
    }
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let mut written = 0;
    let mut overflow = false;
    let mut ended: Option<Ended> = None;
    let mut failed: Option<Supervised> = None;
    // When the handler ended and its group was killed: a process that left the group
    // (setsid, a daemon) may hold the pipes open until the run ends, and is not waited for
    // long.
    let mut gone: Option<Instant> = None;
    let deadline = Instant::now() + timeout;
    let mut buf = vec![0u8; 64 * 1024];
    let record = |ending: guard::Ending, failed: &mut Option<Supervised>| match ending {
        guard::Ending::Exited(status) => ended_from(status),
        guard::Ending::NotStarted(e) => {
            failed.get_or_insert(Supervised::NotStarted(e));
            Ended::Signaled(0)
        }
        guard::Ending::Lost => {
            failed.get_or_insert(Supervised::Lost(Vec::new()));
            Ended::Signaled(libc::SIGKILL)
        }
    };
    while ended.is_none() || stdout.is_some() || stderr.is_some() {
        let mut fds = Vec::with_capacity(4);
        let watch = |file: &Option<std::fs::File>, events| {
            file.as_ref().map(|f| libc::pollfd {
                fd: f.as_raw_fd(),
                events,
                revents: 0,
            })
        };
        let slots = [
            watch(&stdin, libc::POLLOUT),
            watch(&stdout, libc::POLLIN),
            watch(&stderr, libc::POLLIN),
            ended.is_none().then(|| libc::pollfd {
                fd: exit.fd(),
                events: libc::POLLIN,
                revents: 0,
            }),
        ];
        let mut which = Vec::with_capacity(4);
        for (i, slot) in slots.into_iter().enumerate() {
            if let Some(fd) = slot {
                fds.push(fd);
                which.push(i);
            }
        }
        // Wake up at the deadline, and every 100ms to look at the shutdown's grace period.
        let left = match ended {
            None => deadline.saturating_duration_since(Instant::now()),
            Some(_) => Duration::MAX,
        };
        let wait = left.min(Duration::from_millis(100)).as_millis() as libc::c_int;
        // SAFETY: poll on a valid array of pollfd of the given length.
        unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, wait) };
        for (fd, i) in fds.iter().zip(which) {
            if fd.revents == 0 {
                continue;
            }
            match i {
                0 => {
                    // A handler may exit without reading its input: EPIPE is fine.
                    match stdin.as_mut().map(|w| w.write(&input[written..])) {
                        Some(Ok(n)) => written += n,
                        Some(Err(e)) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                        _ => written = input.len(),
                    }
                    if written == input.len() {
                        stdin = None;
                    }
                }
                1 => drain(&mut stdout, &mut buf, |chunk| {
                    if overflow || out.len() + chunk.len() > STDOUT_CAP {
                        if !overflow {
                            overflow = true;
                            exit.kill();
                        }
                    } else {
                        out.extend_from_slice(chunk);
                    }
                }),
                2 => drain(&mut stderr, &mut buf, |chunk| {
                    err.extend_from_slice(chunk);
                    if err.len() > 2 * STDERR_TAIL {
                        err.drain(..err.len() - STDERR_TAIL);
                    }
                }),
                _ => ended = Some(record(exit.wait(), &mut failed)),
            }
        }
        if ended.is_none() {
            let why = if Instant::now() >= deadline {
                Some(Ended::TimedOut)
            } else if shutdown.grace_over() {
                Some(Ended::Interrupted)
            } else {
                None
            };
            if let Some(why) = why {
                exit.kill();
                record(exit.wait(), &mut failed);
                ended = Some(why);
            }
        }
        if ended.is_some() && gone.is_none() {
            gone = Some(Instant::now());
            stdin = None;
        }
        if gone.is_some_and(|at| at.elapsed() > PIPE_GRACE) {
            stdout = None;
            stderr = None;
        }
    }
    match failed {
        Some(Supervised::Lost(_)) => {
            err.extend_from_slice(
                b"\n(pipectl: the handler guard was killed, and the handler with it)",
            );
            return Supervised::Lost(err);
        }
        Some(failed) => return failed,
        None => {}
    }
    let ended = ended.unwrap_or(Ended::Signaled(libc::SIGKILL));
    let ended = if overflow {
        Ended::TooMuchOutput
    } else {
        ended
    };
    Supervised::Ended(ended, out, err)
}

/// How long the pipes stay open once the handler and its process group are gone.
const PIPE_GRACE: Duration = Duration::from_millis(500);

/// Reads what is there without blocking; closes the pipe at its end (or on an error).
fn drain(pipe: &mut Option<std::fs::File>, buf: &mut [u8], mut keep: impl FnMut(&[u8])) {
    while let Some(file) = pipe.as_mut() {
        match file.read(buf) {
            Ok(0) => *pipe = None,
            Ok(n) => keep(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => *pipe = None,
        }
    }
}

pub(crate) fn set_nonblocking(file: &std::fs::File) {
    // SAFETY: fcntl on a file descriptor we own.
    unsafe {
        let flags = libc::fcntl(file.as_raw_fd(), libc::F_GETFL);
        libc::fcntl(file.as_raw_fd(), libc::F_SETFL, flags | libc::O_NONBLOCK);
    }
}

/// An exec handler for one stage.
pub struct ExecHandler {
    pub argv: Vec<String>,
    pub timeout: Duration,
    pub max_item_bytes: usize,
    /// A private directory for the control files.
    pub runtime_dir: PathBuf,
    /// Starts the handlers, and kills all they started should pipectl die. Replaced when
    /// it is killed.
    pub guard: std::sync::Mutex<std::sync::Arc<Guard>>,
}

static CALLS: AtomicU64 = AtomicU64::new(0);

impl ExecHandler {
    /// Runs the handler on one item: its outcome, and what it reported the item cost (read
    /// from the control file whatever the handler's exit).
    pub fn call(
        &self,
        call: &Call<'_>,
        shutdown: &Shutdown,
    ) -> Result<(Outcome, Cost), Unrunnable> {
        let mut env = vec![
            ("PIPECTL_STAGE", call.stage.to_owned()),
            ("PIPECTL_ATTEMPT", call.attempt.to_string()),
            ("PIPECTL_QUEUE", call.queue.to_owned()),
        ];
        // Set only for an item sent back from review with a reviewer's note.
        if let Some(note) = call.note {
            env.push(("PIPECTL_NOTE", note.to_owned()));
        }
        let control_path = self
            .runtime_dir
            .join(format!("{}.control", CALLS.fetch_add(1, Ordering::Relaxed)));
        let mut tries = 0;
        let done = loop {
            tries += 1;
            let guard = self.live_guard()?;
            match run_process(
                &guard,
                &self.argv,
                &env,
                call.item,
                self.timeout,
                &control_path,
                shutdown,
            ) {
                // It died just before this call: once more with a new one.
                Err(_) if tries == 1 && !guard.alive() => continue,
                Err(err) => return Err(err),
                Ok(done) => {
                    if done.guard_lost {
                        self.live_guard()?;
                    }
                    break done;
                }
            }
        };
        Ok(self.outcome(done, call.item))
    }

    /// The guard, replaced by a new one first if it died (it was killed).
    fn live_guard(&self) -> Result<std::sync::Arc<Guard>, Unrunnable> {
        let Ok(mut current) = self.guard.lock() else {
            return Err(Unrunnable("the handler guard is unusable".into()));
        };
        if !current.alive() {
            let fresh = Guard::start()
                .map_err(|e| Unrunnable(format!("cannot start the handler guard again: {e}")))?;
            *current = std::sync::Arc::new(fresh);
        }
        Ok(current.clone())
    }

    fn outcome(&self, done: Finished, item: &[u8]) -> (Outcome, Cost) {
        let (control, cost, bad_cost) = match cost::split(&done.control) {
            Ok((control, cost)) => (control, cost, None),
            Err(reason) => (String::new(), Cost::default(), Some(reason)),
        };
        let outcome = match (bad_cost, &done.ended) {
            (Some(reason), Ended::Exited(0)) => Outcome::Retry {
                reason,
                after: None,
            },
            _ => self.outcome_of(&done, &control, item),
        };
        (outcome, cost)
    }

    fn outcome_of(&self, done: &Finished, control: &str, item: &[u8]) -> Outcome {
        let why = |what: String| {
            let stderr = tail(&done.stderr, 500);
            if stderr.is_empty() {
                what
            } else {
                format!("{what}: {stderr}")
            }
        };
        match done.ended {
            Ended::Exited(0) => match parse_control(control) {
                Ok(control) => success(control, &done.stdout, item, self.max_item_bytes),
                Err(reason) => Outcome::Retry {
                    reason,
                    after: None,
                },
            },
            Ended::Exited(EX_TEMPFAIL) => Outcome::Retry {
                reason: why("handler asked to retry later (exit 75)".into()),
                after: None,
            },
            Ended::Exited(EX_DATAERR) => Outcome::Dead {
                reason: why("handler rejected the item (exit 65)".into()),
            },
            Ended::Exited(code) => Outcome::Retry {
                reason: why(format!("handler failed with exit code {code}")),
                after: None,
            },
            Ended::Signaled(signal) => Outcome::Retry {
                reason: why(format!("handler was killed by signal {signal}")),
                after: None,
            },
            Ended::TimedOut => Outcome::Retry {
                reason: why(format!(
                    "handler timed out after {}",
                    crate::duration::format(self.timeout)
                )),
                after: None,
            },
            Ended::TooMuchOutput => Outcome::Retry {
                reason: format!("handler printed more than {} MiB", STDOUT_CAP >> 20),
                after: None,
            },
            Ended::Interrupted => Outcome::Interrupted,
        }
    }
}
