//! exec handlers: an argv (no shell), the item on stdin, the answer on stdout and exit code.

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::ExitStatus;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::{Call, Outcome, Shutdown, Unrunnable, parse_control, spawn, success, tail};

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
    let mut vars: Vec<(&str, &OsStr)> = env.iter().map(|(k, v)| (*k, OsStr::new(v))).collect();
    vars.push(("PIPECTL_CONTROL", control_path.as_os_str()));
    // In its own process group, and killed when pipectl dies (PR_SET_PDEATHSIG), so a killed
    // pipectl never leaves a handler running unsupervised (spawn.rs: why not std's Command).
    let child = spawn::spawn(program, args, &vars)
        .map_err(|e| Unrunnable(format!("cannot run handler '{program}': {e}")))?;
    let (ended, stdout, stderr) = supervise(child, input, timeout, shutdown);
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

/// Feeds `input` to the handler and collects what it prints, all on the calling thread with
/// poll(2) (no helper threads per call), until it exits: by itself, or killed with its group
/// on timeout, on too much output, or when a shutdown's grace period ends. Then whatever it
/// left behind in its group is killed too, so its pipes close, and they are read to the end.
fn supervise(
    child: spawn::Spawned,
    input: &[u8],
    timeout: Duration,
    shutdown: &Shutdown,
) -> (Ended, Vec<u8>, Vec<u8>) {
    let pid = child.pid;
    let mut exit = ExitWatch::new(pid);
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
    // When the handler ended and its group was killed: a process that left the group
    // (setsid, a daemon) may hold the pipes open forever, and is not waited for long.
    let mut gone: Option<Instant> = None;
    let deadline = Instant::now() + timeout;
    let mut buf = vec![0u8; 64 * 1024];
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
                            kill_group(pid);
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
                _ => {
                    let status = exit.reap();
                    ended = Some(status.map_or(Ended::Signaled(libc::SIGKILL), ended_from));
                }
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
                kill_group(pid);
                exit.reap().ok();
                ended = Some(why);
            }
        }
        if ended.is_some() && gone.is_none() {
            // Whatever the handler left behind in its group goes too, so its pipes close.
            kill_group(pid);
            gone = Some(Instant::now());
            stdin = None;
        }
        if gone.is_some_and(|at| at.elapsed() > PIPE_GRACE) {
            stdout = None;
            stderr = None;
        }
    }
    let ended = ended.unwrap_or(Ended::Signaled(libc::SIGKILL));
    let ended = if overflow {
        Ended::TooMuchOutput
    } else {
        ended
    };
    (ended, out, err)
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

fn set_nonblocking(file: &std::fs::File) {
    // SAFETY: fcntl on a file descriptor we own.
    unsafe {
        let flags = libc::fcntl(file.as_raw_fd(), libc::F_GETFL);
        libc::fcntl(file.as_raw_fd(), libc::F_SETFL, flags | libc::O_NONBLOCK);
    }
}

/// Learning that the handler exited, as something poll(2) can wait for: a pidfd, or where
/// the kernel has none (before Linux 5.3) a thread that waits and then closes a pipe.
enum ExitWatch {
    Pidfd {
        fd: OwnedFd,
        pid: i32,
    },
    Thread {
        done: OwnedFd,
        waiter: Option<std::thread::JoinHandle<std::io::Result<ExitStatus>>>,
    },
}

impl ExitWatch {
    fn new(pid: i32) -> ExitWatch {
        // SAFETY: pidfd_open returns a new file descriptor (or -1), which we then own.
        let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) } as i32;
        if fd >= 0 {
            // SAFETY: just opened, owned by no one else.
            let fd = unsafe { OwnedFd::from_raw_fd(fd) };
            return ExitWatch::Pidfd { fd, pid };
        }
        ExitWatch::waiter(pid)
    }

    fn waiter(pid: i32) -> ExitWatch {
        let mut fds = [0; 2];
        // SAFETY: pipe2 fills two new file descriptors, which we then own.
        unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) };
        // SAFETY: both just opened.
        let (done, tell) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
        let waiter = std::thread::spawn(move || {
            let status = spawn::wait(pid);
            drop(tell);
            status
        });
        ExitWatch::Thread {
            done,
            waiter: Some(waiter),
        }
    }

    fn fd(&self) -> RawFd {
        match self {
            ExitWatch::Pidfd { fd, .. } => fd.as_raw_fd(),
            ExitWatch::Thread { done, .. } => done.as_raw_fd(),
        }
    }

    /// How the handler ended, waiting for it if it has not yet. Once only.
    fn reap(&mut self) -> std::io::Result<ExitStatus> {
        match self {
            ExitWatch::Pidfd { pid, .. } => spawn::wait(*pid),
            ExitWatch::Thread { waiter, .. } => match waiter.take().map(|w| w.join()) {
                Some(Ok(status)) => status,
                _ => Err(std::io::Error::other("the handler was already waited for")),
            },
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn run(script: &str, input: &[u8], timeout: Duration) -> Finished {
        let dir = tempfile::tempdir().unwrap();
        let argv = ["sh".to_owned(), "-c".to_owned(), script.to_owned()];
        let shutdown = Shutdown::new(Duration::from_secs(1));
        run_process(&argv, &[], input, timeout, &dir.path().join("c"), &shutdown).unwrap()
    }

    #[test]
    fn output_exit_code_and_stderr_are_collected() {
        let done = run(
            "cat; echo; echo oops >&2; exit 3",
            b"item",
            Duration::from_secs(10),
        );
        assert_eq!(done.ended, Ended::Exited(3));
        assert_eq!(done.stdout, b"item\n");
        assert_eq!(done.stderr, b"oops\n");
    }

    #[test]
    fn a_handler_that_reads_little_of_a_large_item_is_not_waited_for() {
        let item = vec![b'x'; 4 << 20];
        let done = run("head -c 3", &item, Duration::from_secs(10));
        assert_eq!(done.ended, Ended::Exited(0));
        assert_eq!(done.stdout, b"xxx");
    }

    #[test]
    fn a_handler_past_its_timeout_is_killed_with_what_it_started() {
        let done = run("sleep 30 & sleep 30", b"", Duration::from_millis(200));
        assert_eq!(done.ended, Ended::TimedOut);
    }

    #[test]
    fn the_waiter_thread_stands_in_for_a_pidfd() {
        let args = ["-c".to_owned(), "exit 7".to_owned()];
        let child = spawn::spawn("sh", &args, &[]).unwrap();
        let mut exit = ExitWatch::waiter(child.pid);
        let mut fd = libc::pollfd {
            fd: exit.fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: poll on one valid pollfd.
        assert_eq!(unsafe { libc::poll(&mut fd, 1, 10_000) }, 1);
        assert_eq!(exit.reap().unwrap().code(), Some(7));
    }
}
