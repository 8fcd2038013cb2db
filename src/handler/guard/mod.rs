//! The handler guard: the process that starts exec handlers and kills everything they
//! started when `pipectl run` ends or dies, however it dies (SIGKILL included).
//!
//! A killed pipectl cannot clean up after itself, and a death signal on the handler reaches
//! only the handler, not what it started. So `run` starts one guard per run: pipectl itself
//! again (`/proc/self/exe`, hidden argument [`ARG`]), in a process group of its own (a
//! signal to pipectl's group does not reach it), ignoring SIGINT/SIGTERM/SIGHUP/SIGQUIT, and
//! a child subreaper (`PR_SET_CHILD_SUBREAPER`): whatever a handler starts stays a
//! descendant of the guard, even after a double fork, `setsid` or a new process group,
//! because orphans are reparented to it. It forks a spawner, which serves pipectl's
//! requests over a `SOCK_SEQPACKET` socket pair (one message per request: the argv, the
//! call's variables and the handler's pipes, passed with `SCM_RIGHTS`): it starts the
//! handler (spawn.rs), reports how it ended on a pipe of that call, and kills its process
//! tree when asked (timeout, too much output, end of a shutdown's grace). When the socket
//! hangs up — pipectl exited or was killed, the kernel closes it either way — the guard
//! stops every descendant, SIGKILLs them all, reaps them and exits; pipectl waits for that
//! when a run ends normally, so nothing a handler started outlives the run.
//!
//! Cost: two processes per run (one exec), and per handler call one `sendmsg` and a
//! wake-up of the spawner, whose threads start handlers as pipectl's workers did before
//! (`clone(CLONE_VM | CLONE_VFORK)`, several at once).
//!
//! What it cannot catch: a process that leaves the tree altogether (handed to systemd-run,
//! at, a daemon over a socket), what a handler already sent, and anything that kills the
//! guard itself (SIGKILL, the OOM killer): its handlers then die (SIGKILL is their death
//! signal) but what they started is not found. pipectl then starts a new guard.

use std::ffi::{CString, OsStr};
use std::fs::File;
use std::io::{self, Read};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::ExitStatusExt;
use std::process::ExitStatus;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::spawn;

mod serve;
mod spawner;
mod wire;

pub use serve::serve;
use serve::*;
use spawner::*;
use wire::*;

/// What supervision does and cannot do, in one line (`pipectl doctor`).
pub const LIMITS: &str = "exec handlers and all they start die with `pipectl run` (any signal, \
    SIGKILL too); not caught: processes handed outside the tree (systemd-run, at, a daemon), \
    effects already sent, the handler guard itself being killed";

/// argv[1] of the guard process. Not a subcommand: `pipectl` handles it before parsing.
pub const ARG: &str = "__handler-guard";

/// The guard's end of the socket, as its fd 3.
const GUARD_FD: RawFd = 3;

/// Requests are this large at most (argv and the call's variables).
const MAX_REQUEST: usize = 256 * 1024;

/// How long the guard keeps killing and reaping at the end before it gives up (a process in
/// uninterruptible sleep dies of its pending SIGKILL when it wakes up).
const SWEEP_LIMIT: Duration = Duration::from_secs(5);

const SPAWN: u8 = b'S';
const KILL: u8 = b'K';
/// Status records: the wait status of the handler, or the errno it could not start with.
const EXITED: u8 = 0;
const NOT_STARTED: u8 = 1;

/// pipectl's side: a running guard. Dropping it ends the guard, which kills whatever
/// handlers left running, and waits for it.
pub struct Guard {
    sock: OwnedFd,
    pid: i32,
    next: AtomicU64,
    /// Set once it was found dead (and reaped).
    dead: std::sync::atomic::AtomicBool,
}

/// A handler the guard started: pipectl's ends of its stdio, and how to learn its end.
pub struct Started<'g> {
    pub stdin: File,
    pub stdout: File,
    pub stderr: File,
    pub exit: Exit<'g>,
}

/// The end of one handler: a pipe the guard writes one record to, then closes.
pub struct Exit<'g> {
    guard: GuardRef<'g>,
    id: u64,
    status: File,
}

/// The guard an [`Exit`] asks to kill its handler: borrowed for one call, or shared by a
/// handler kept across calls (a stream handler driven by its worker).
enum GuardRef<'g> {
    Borrowed(&'g Guard),
    Shared(std::sync::Arc<Guard>),
}

impl std::ops::Deref for GuardRef<'_> {
    type Target = Guard;
    fn deref(&self) -> &Guard {
        match self {
            GuardRef::Borrowed(guard) => guard,
            GuardRef::Shared(guard) => guard,
        }
    }
}

/// How a handler call ended, as the guard reports it.
pub enum Ending {
    Exited(ExitStatus),
    /// The program could not be executed (this errno).
    NotStarted(io::Error),
    /// The guard closed the call without a report: it died (and the handler with it).
    Lost,
}

impl Guard {
    /// Starts the guard process.
    pub fn start() -> io::Result<Guard> {
        let (ours, theirs) = socketpair()?;
        let theirs = spawn::above_stdio(theirs)?;
        let null = File::options()
            .read(true)
            .write(true)
            .open("/dev/null")
            .map(OwnedFd::from)
            .and_then(spawn::above_stdio)?;
        // Its stderr is pipectl's (for a last word if it fails), when pipectl has one.
        // SAFETY: F_DUPFD_CLOEXEC returns a new descriptor (or -1), which we then own.
        let err = unsafe { libc::fcntl(2, libc::F_DUPFD_CLOEXEC, 4) };
        // SAFETY: just opened, owned by no one else.
        let err = (err >= 0).then(|| unsafe { OwnedFd::from_raw_fd(err) });
        let argv0 = std::env::args_os()
            .next()
            .unwrap_or_else(|| "pipectl".into());
        let args = [
            spawn::cstring(argv0.into_encoded_bytes())?,
            spawn::cstring(ARG.as_bytes().to_vec())?,
        ];
        let env = std::env::vars_os()
            .map(|(k, v)| spawn::cstring(entry(k.as_bytes(), v.as_bytes())))
            .collect::<io::Result<Vec<CString>>>()?;
        let argv = spawn::null_terminated(&args);
        let envp = spawn::null_terminated(&env);
        let program = spawn::Program {
            path: c"/proc/self/exe",
            argv: &argv,
            sh_argv: &argv,
            envp: &envp,
            fds: [
                null.as_raw_fd(),
                null.as_raw_fd(),
                err.as_ref().unwrap_or(&null).as_raw_fd(),
                theirs.as_raw_fd(),
            ],
            // None: a death signal would come when the *thread* that started it ends. The
            // guard learns of pipectl's end from its socket instead.
            death_signal: 0,
            ignored: spawn::ignored_signals(),
        };
        let pid = spawn::start(&program)?;
        Ok(Guard {
            sock: ours,
            pid,
            next: AtomicU64::new(0),
            dead: Default::default(),
        })
    }

    /// Has the guard start `program` (looked up in PATH unless it contains a slash) with
    /// `args`, pipectl's environment plus `env`, stdin/stdout/stderr on pipes, in a process
    /// group of its own, in pipectl's working directory.
    pub fn spawn(
        &self,
        program: &str,
        args: &[String],
        env: &[(&str, &OsStr)],
    ) -> io::Result<Started<'_>> {
        let path = spawn::resolve(program)?;
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let mut msg = Vec::with_capacity(256);
        msg.push(SPAWN);
        msg.extend_from_slice(&id.to_le_bytes());
        msg.extend_from_slice(&count(args.len() + 1)?.to_le_bytes());
        msg.extend_from_slice(&count(env.len())?.to_le_bytes());
        push_str(&mut msg, path.as_os_str().as_bytes())?;
        push_str(&mut msg, program.as_bytes())?;
        for arg in args {
            push_str(&mut msg, arg.as_bytes())?;
        }
        for (key, value) in env {
            push_str(&mut msg, &entry(key.as_bytes(), value.as_bytes()))?;
        }
        if msg.len() > MAX_REQUEST {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "the handler's argv and environment are too large",
            ));
        }
        let (stdin_child, stdin) = spawn::pipe()?;
        let (stdout, stdout_child) = spawn::pipe()?;
        let (stderr, stderr_child) = spawn::pipe()?;
        let (status, status_child) = spawn::pipe()?;
        let fds = [
            stdin_child.as_raw_fd(),
            stdout_child.as_raw_fd(),
            stderr_child.as_raw_fd(),
            status_child.as_raw_fd(),
        ];
        send(self.sock.as_raw_fd(), &msg, &fds).map_err(|e| self.gone(e))?;
        Ok(Started {
            stdin: File::from(stdin),
            stdout: File::from(stdout),
            stderr: File::from(stderr),
            exit: Exit {
                guard: GuardRef::Borrowed(self),
                id,
                status: File::from(status),
            },
        })
    }

    /// [`spawn`](Self::spawn), the handler's end holding a reference to the guard of its
    /// own: for a process kept beyond the borrow (a warm stream handler).
    pub fn spawn_shared(
        self: &std::sync::Arc<Self>,
        program: &str,
        args: &[String],
        env: &[(&str, &OsStr)],
    ) -> io::Result<Started<'static>> {
        let Started {
            stdin,
            stdout,
            stderr,
            exit,
        } = self.spawn(program, args, env)?;
        Ok(Started {
            stdin,
            stdout,
            stderr,
            exit: Exit {
                guard: GuardRef::Shared(self.clone()),
                id: exit.id,
                status: exit.status,
            },
        })
    }

    /// Whether the guard still runs (it ends only when killed, or when this is dropped).
    pub fn alive(&self) -> bool {
        if self.dead.load(Ordering::Relaxed) {
            return false;
        }
        let mut status = 0;
        // SAFETY: waitpid on our own child with a valid status pointer; reaps it if it ended.
        let r = unsafe { libc::waitpid(self.pid, &mut status, libc::WNOHANG) };
        // Its pid (it ended, reaped now) or ECHILD (another thread reaped it just now).
        if r != 0 {
            self.dead.store(true, Ordering::Relaxed);
            return false;
        }
        true
    }

    fn gone(&self, err: io::Error) -> io::Error {
        if matches!(err.raw_os_error(), Some(libc::EPIPE | libc::ECONNRESET)) {
            io::Error::other(format!(
                "the handler guard (pid {}) is gone: it was killed",
                self.pid
            ))
        } else {
            err
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        // End of file for the guard: it kills what is left and exits. Waiting for it means
        // nothing a handler started outlives the run.
        // SAFETY: shutdown and waitpid on our own socket and child.
        unsafe { libc::shutdown(self.sock.as_raw_fd(), libc::SHUT_RDWR) };
        if !self.dead.load(Ordering::Relaxed) {
            spawn::wait(self.pid).ok();
        }
    }
}

impl Exit<'_> {
    /// Readable (for poll) once the handler has ended.
    pub fn fd(&self) -> RawFd {
        self.status.as_raw_fd()
    }

    /// Asks the guard to SIGKILL the handler, its process group and every descendant it
    /// still has (those in other groups or sessions included). It then reports the end.
    pub fn kill(&self) {
        let mut msg = [0u8; 9];
        msg[0] = KILL;
        msg[1..].copy_from_slice(&self.id.to_le_bytes());
        // A guard that is gone has killed the handler already, and says so with Lost.
        send(self.guard.sock.as_raw_fd(), &msg, &[]).ok();
    }

    /// How the handler ended, waiting for it if it has not yet.
    pub fn wait(&mut self) -> Ending {
        let mut record = [0u8; 8];
        match self.status.read_exact(&mut record) {
            Ok(()) => {
                let value = i32::from_le_bytes([record[4], record[5], record[6], record[7]]);
                match record[0] {
                    EXITED => Ending::Exited(ExitStatus::from_raw(value)),
                    _ => Ending::NotStarted(io::Error::from_raw_os_error(value)),
                }
            }
            Err(_) => Ending::Lost,
        }
    }
}

/// Blocks SIGCHLD in this thread (and the threads it starts) and returns a signalfd that
/// reads it: how the guard and the spawner learn that a child ended.
fn child_signals() -> io::Result<OwnedFd> {
    // SAFETY: plain sigprocmask/signalfd calls on values owned here.
    unsafe {
        let mut chld: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut chld);
        libc::sigaddset(&mut chld, libc::SIGCHLD);
        libc::sigprocmask(libc::SIG_BLOCK, &chld, std::ptr::null_mut());
        let fd = libc::signalfd(-1, &chld, libc::SFD_CLOEXEC | libc::SFD_NONBLOCK);
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(OwnedFd::from_raw_fd(fd))
    }
}
