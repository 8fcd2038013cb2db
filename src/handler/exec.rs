//! exec handlers: an argv (no shell), the item on stdin, the answer on stdout and exit code.

use std::io::{Read, Write};
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::{Call, Outcome, Shutdown, Unrunnable, parse_control, success, tail};

/// Exit codes of the handler contract (sysexits.h).
pub const EX_DATAERR: i32 = 65;
pub const EX_TEMPFAIL: i32 = 75;

/// A handler printing more than this is stopped: no item is that large, and memory is finite.
pub const STDOUT_CAP: usize = 64 << 20;
/// How much of stderr is kept for a dead letter's reason.
const STDERR_TAIL: usize = 2048;
/// How long the pipes stay open once the handler and its process group are gone: a process
/// that left the group (setsid, a daemon) may hold them forever, and is not waited for.
const PIPE_GRACE: Duration = Duration::from_millis(500);

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
}

/// Runs `argv` with `input` on stdin in its own process group, killed (with the whole group)
/// on timeout, on too much output, or when a shutdown's grace period ends.
pub fn run_process(
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
    let mut cmd = Command::new(program);
    cmd.args(args)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .env("PIPECTL_CONTROL", control_path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    // SAFETY: prctl is async-signal-safe; it makes the handler die with pipectl, so a killed
    // pipectl never leaves a handler running unsupervised.
    unsafe {
        cmd.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            Ok(())
        });
    }
    let mut child = cmd
        .spawn()
        .map_err(|e| Unrunnable(format!("cannot run handler '{program}': {e}")))?;
    let pid = child.id() as i32;
    let (stdin, stdout, stderr) = (child.stdin.take(), child.stdout.take(), child.stderr.take());
    let overflow = AtomicBool::new(false);
    // Set when the handler has ended and its group is killed.
    let gone: OnceLock<Instant> = OnceLock::new();

    let (ended, stdout, stderr) = std::thread::scope(|s| {
        let gone = &gone;
        s.spawn(move || {
            if let Some(w) = stdin {
                // A handler may exit without reading its input: EPIPE is fine.
                write_all(w, input, gone);
            }
        });
        let out = s.spawn(|| read_capped(stdout, STDOUT_CAP, pid, &overflow, gone));
        let err = s.spawn(|| read_tail(stderr, STDERR_TAIL, gone));
        let (tx, rx) = mpsc::channel();
        s.spawn(move || tx.send(child.wait()).ok());

        let deadline = Instant::now() + timeout;
        let ended = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left.min(Duration::from_millis(100))) {
                Ok(Ok(status)) => break ended_from(status),
                Ok(Err(_)) | Err(mpsc::RecvTimeoutError::Disconnected) => {
                    break Ended::Signaled(libc::SIGKILL);
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if left.is_zero() {
                        kill_group(pid);
                        rx.recv().ok();
                        break Ended::TimedOut;
                    }
                    if shutdown.grace_over() {
                        kill_group(pid);
                        rx.recv().ok();
                        break Ended::Interrupted;
                    }
                }
            }
        };
        // Whatever the handler left behind in its group goes too, so its pipes close.
        kill_group(pid);
        gone.set(Instant::now()).ok();
        let stdout = out.join().unwrap_or_default();
        let stderr = err.join().unwrap_or_default();
        (ended, stdout, stderr)
    });
    let ended = if overflow.load(Ordering::Relaxed) {
        Ended::TooMuchOutput
    } else {
        ended
    };
    let control = std::fs::read_to_string(control_path).unwrap_or_default();
    std::fs::remove_file(control_path).ok();
    Ok(Finished {
        ended,
        stdout,
        stderr,
        control,
    })
}

fn ended_from(status: ExitStatus) -> Ended {
    match (status.code(), status.signal()) {
        (Some(code), _) => Ended::Exited(code),
        (None, Some(signal)) => Ended::Signaled(signal),
        (None, None) => Ended::Signaled(0),
    }
}

fn kill_group(pid: i32) {
    // SAFETY: plain syscall; a group that is already gone answers ESRCH, which is fine.
    unsafe {
        libc::kill(-pid, libc::SIGKILL);
    }
}

/// Waits until `fd` is ready for `events` (or reports an error or hang-up, which the next
/// read or write returns). False when the handler is gone and the grace has passed.
fn ready(fd: RawFd, events: libc::c_short, gone: &OnceLock<Instant>) -> bool {
    loop {
        if gone.get().is_some_and(|at| at.elapsed() > PIPE_GRACE) {
            return false;
        }
        let mut pfd = libc::pollfd {
            fd,
            events,
            revents: 0,
        };
        // SAFETY: one valid pollfd, a bounded timeout.
        let n = unsafe { libc::poll(&mut pfd, 1, 50) };
        if n > 0
            || (n < 0 && std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted)
        {
            return true;
        }
    }
}

/// Writes the item to the handler's stdin without ever blocking past the handler's end.
fn write_all(mut w: std::process::ChildStdin, mut input: &[u8], gone: &OnceLock<Instant>) {
    let fd = w.as_raw_fd();
    // SAFETY: fcntl on a pipe fd we own; non-blocking so a full pipe never blocks a write.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK);
    }
    while !input.is_empty() && ready(fd, libc::POLLOUT, gone) {
        match w.write(input) {
            Ok(0) => return,
            Ok(n) => input = &input[n..],
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return,
        }
    }
}

/// Reads a pipe to its end, or until the handler is gone and the grace has passed, handing
/// each chunk to `keep`.
fn drain(
    stream: Option<impl Read + AsRawFd>,
    gone: &OnceLock<Instant>,
    mut keep: impl FnMut(&[u8]),
) {
    let Some(mut stream) = stream else {
        return;
    };
    let fd = stream.as_raw_fd();
    let mut buf = [0u8; 64 * 1024];
    while ready(fd, libc::POLLIN, gone) {
        match stream.read(&mut buf) {
            Ok(0) => return,
            Ok(n) => keep(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return,
        }
    }
}

fn read_capped(
    stream: Option<impl Read + AsRawFd>,
    cap: usize,
    pid: i32,
    overflow: &AtomicBool,
    gone: &OnceLock<Instant>,
) -> Vec<u8> {
    let mut kept = Vec::new();
    drain(stream, gone, |chunk| {
        if kept.len() + chunk.len() > cap {
            if !overflow.swap(true, Ordering::Relaxed) {
                kill_group(pid);
            }
        } else {
            kept.extend_from_slice(chunk);
        }
    });
    kept
}

fn read_tail(stream: Option<impl Read + AsRawFd>, max: usize, gone: &OnceLock<Instant>) -> Vec<u8> {
    let mut kept = Vec::new();
    drain(stream, gone, |chunk| {
        kept.extend_from_slice(chunk);
        if kept.len() > 2 * max {
            kept.drain(..kept.len() - max);
        }
    });
    kept
}

/// An exec handler for one stage.
pub struct ExecHandler {
    pub argv: Vec<String>,
    pub timeout: Duration,
    pub max_item_bytes: usize,
    /// A private directory for the control files.
    pub runtime_dir: PathBuf,
}

static CALLS: AtomicU64 = AtomicU64::new(0);

impl ExecHandler {
    pub fn call(&self, call: &Call<'_>, shutdown: &Shutdown) -> Result<Outcome, Unrunnable> {
        let env = [
            ("PIPECTL_STAGE", call.stage.to_owned()),
            ("PIPECTL_ATTEMPT", call.attempt.to_string()),
            ("PIPECTL_QUEUE", call.queue.to_owned()),
        ];
        let control_path = self
            .runtime_dir
            .join(format!("{}.control", CALLS.fetch_add(1, Ordering::Relaxed)));
        let done = run_process(
            &self.argv,
            &env,
            call.item,
            self.timeout,
            &control_path,
            shutdown,
        )?;
        Ok(self.outcome(done, call.item))
    }

    fn outcome(&self, done: Finished, item: &[u8]) -> Outcome {
        let why = |what: String| {
            let stderr = tail(&done.stderr, 500);
            if stderr.is_empty() {
                what
            } else {
                format!("{what}: {stderr}")
            }
        };
        match done.ended {
            Ended::Exited(0) => match parse_control(&done.control) {
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
