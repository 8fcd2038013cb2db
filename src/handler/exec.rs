//! exec handlers: an argv (no shell), the item on stdin, the answer on stdout and exit code.

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::ExitStatus;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
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
    let pid = child.pid;
    let (stdin, stdout, stderr) = (Some(child.stdin), Some(child.stdout), Some(child.stderr));
    let overflow = AtomicBool::new(false);

    let (ended, stdout, stderr) = std::thread::scope(|s| {
        s.spawn(move || {
            if let Some(mut w) = stdin {
                // A handler may exit without reading its input: EPIPE is fine.
                w.write_all(input).ok();
            }
        });
        let out = s.spawn(|| read_capped(stdout, STDOUT_CAP, pid, &overflow));
        let err = s.spawn(|| read_tail(stderr, STDERR_TAIL));
        let (tx, rx) = mpsc::channel();
        s.spawn(move || tx.send(spawn::wait(pid)).ok());

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

fn read_capped(stream: Option<impl Read>, cap: usize, pid: i32, overflow: &AtomicBool) -> Vec<u8> {
    let mut kept = Vec::new();
    let Some(mut stream) = stream else {
        return kept;
    };
    let mut buf = [0u8; 64 * 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return kept,
            Ok(n) if kept.len() + n > cap => {
                if !overflow.swap(true, Ordering::Relaxed) {
                    kill_group(pid);
                }
            }
            Ok(n) => kept.extend_from_slice(&buf[..n]),
        }
    }
}

fn read_tail(stream: Option<impl Read>, max: usize) -> Vec<u8> {
    let mut kept = Vec::new();
    let Some(mut stream) = stream else {
        return kept;
    };
    let mut buf = [0u8; 16 * 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return kept,
            Ok(n) => {
                kept.extend_from_slice(&buf[..n]);
                if kept.len() > 2 * max {
                    kept.drain(..kept.len() - max);
                }
            }
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
