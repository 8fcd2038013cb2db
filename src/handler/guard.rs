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
    guard: &'g Guard,
    id: u64,
    status: File,
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
                guard: self,
                id,
                status: File::from(status),
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

fn count(n: usize) -> io::Result<u32> {
    u32::try_from(n).map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "too many arguments"))
}

fn push_str(msg: &mut Vec<u8>, s: &[u8]) -> io::Result<()> {
    if s.contains(&0) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "an argument or environment value contains a NUL byte",
        ));
    }
    msg.extend_from_slice(s);
    msg.push(0);
    Ok(())
}

fn entry(key: &[u8], value: &[u8]) -> Vec<u8> {
    let mut entry = Vec::with_capacity(key.len() + 1 + value.len());
    entry.extend_from_slice(key);
    entry.push(b'=');
    entry.extend_from_slice(value);
    entry
}

fn socketpair() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0 as RawFd; 2];
    // SAFETY: socketpair fills two new file descriptors, which we then own.
    let r = unsafe {
        libc::socketpair(
            libc::AF_UNIX,
            libc::SOCK_SEQPACKET | libc::SOCK_CLOEXEC,
            0,
            fds.as_mut_ptr(),
        )
    };
    if r != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: both were just opened and are owned by no one else.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

/// One message, with `fds` as SCM_RIGHTS. Atomic on a SOCK_SEQPACKET socket, so several
/// worker threads may send at once.
fn send(sock: RawFd, msg: &[u8], fds: &[RawFd]) -> io::Result<()> {
    let mut iov = libc::iovec {
        iov_base: msg.as_ptr().cast_mut().cast(),
        iov_len: msg.len(),
    };
    let mut control = [0u64; 8];
    // SAFETY: msghdr is plain data; zeroed is a valid empty header.
    let mut header: libc::msghdr = unsafe { std::mem::zeroed() };
    header.msg_iov = &mut iov;
    header.msg_iovlen = 1;
    if !fds.is_empty() {
        let bytes = std::mem::size_of_val(fds) as u32;
        // SAFETY: CMSG_* compute sizes and positions inside `control`, which is large enough
        // (and u64-aligned) for a header and four fds.
        unsafe {
            header.msg_control = control.as_mut_ptr().cast();
            header.msg_controllen = libc::CMSG_SPACE(bytes) as _;
            let cmsg = libc::CMSG_FIRSTHDR(&header);
            (*cmsg).cmsg_level = libc::SOL_SOCKET;
            (*cmsg).cmsg_type = libc::SCM_RIGHTS;
            (*cmsg).cmsg_len = libc::CMSG_LEN(bytes) as _;
            std::ptr::copy_nonoverlapping(fds.as_ptr(), libc::CMSG_DATA(cmsg).cast(), fds.len());
        }
    }
    loop {
        // SAFETY: sendmsg on our socket with a header pointing at live buffers.
        let n = unsafe { libc::sendmsg(sock, &header, libc::MSG_NOSIGNAL) };
        if n >= 0 {
            return Ok(());
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
}

/// A request as the guard received it: its bytes, and the fds that came with it.
struct Request {
    len: usize,
    fds: Vec<OwnedFd>,
    truncated: bool,
}

/// Receives one request without blocking. None at end of file.
fn receive(sock: RawFd, buf: &mut [u8]) -> io::Result<Option<Request>> {
    let mut iov = libc::iovec {
        iov_base: buf.as_mut_ptr().cast(),
        iov_len: buf.len(),
    };
    let mut control = [0u64; 16];
    // SAFETY: msghdr is plain data; zeroed is a valid empty header.
    let mut header: libc::msghdr = unsafe { std::mem::zeroed() };
    header.msg_iov = &mut iov;
    header.msg_iovlen = 1;
    header.msg_control = control.as_mut_ptr().cast();
    header.msg_controllen = std::mem::size_of_val(&control) as _;
    // Close-on-exec: no handler may inherit another call's pipes.
    let flags = libc::MSG_CMSG_CLOEXEC | libc::MSG_DONTWAIT;
    // SAFETY: recvmsg into buffers that live through the call.
    let n = unsafe { libc::recvmsg(sock, &mut header, flags) };
    if n < 0 {
        return Err(io::Error::last_os_error());
    }
    let mut fds = Vec::new();
    // SAFETY: walks the control messages the kernel wrote into `control`; each SCM_RIGHTS
    // one carries fds that are now ours.
    unsafe {
        let mut cmsg = libc::CMSG_FIRSTHDR(&header);
        while !cmsg.is_null() {
            if (*cmsg).cmsg_level == libc::SOL_SOCKET && (*cmsg).cmsg_type == libc::SCM_RIGHTS {
                let data = libc::CMSG_DATA(cmsg).cast::<RawFd>();
                let bytes = (*cmsg).cmsg_len as usize - libc::CMSG_LEN(0) as usize;
                for i in 0..bytes / std::mem::size_of::<RawFd>() {
                    fds.push(OwnedFd::from_raw_fd(data.add(i).read_unaligned()));
                }
            }
            cmsg = libc::CMSG_NXTHDR(&header, cmsg);
        }
    }
    if n == 0 && fds.is_empty() {
        return Ok(None);
    }
    Ok(Some(Request {
        len: n as usize,
        fds,
        truncated: header.msg_flags & (libc::MSG_TRUNC | libc::MSG_CTRUNC) != 0,
    }))
}

// ---------------------------------------------------------------------------- the guard

/// The guard process's main. It is two processes: the guard proper (this one: the child
/// subreaper, single-threaded) and, forked from it, the spawner, which serves pipectl's
/// requests. The guard never reads the socket: it waits for pipectl's end to close (or the
/// spawner to die), then kills every descendant. The spawner starts handlers from a pool
/// of threads, each waiting in its own `clone(CLONE_VFORK)`, so that on a busy machine
/// handlers start side by side as they did from pipectl's workers; it is no subreaper, so
/// its only children are handlers and it can reap any child without taking an orphan's
/// end for a handler's.
pub fn serve() -> std::process::ExitCode {
    match serve_inner() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("pipectl: handler guard: {err}");
            std::process::ExitCode::from(1)
        }
    }
}

fn serve_inner() -> io::Result<()> {
    let mut kind: libc::c_int = 0;
    let mut len = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: getsockopt into a c_int of the given length.
    let r = unsafe {
        libc::getsockopt(
            GUARD_FD,
            libc::SOL_SOCKET,
            libc::SO_TYPE,
            (&mut kind as *mut libc::c_int).cast(),
            &mut len,
        )
    };
    if r != 0 || kind != libc::SOCK_SEQPACKET {
        return Err(io::Error::other(format!(
            "`{ARG}` is internal to `pipectl run`; it is not a command"
        )));
    }
    // What pipectl left ignored, before the guard ignores more for itself: handlers start
    // with exactly these ignored.
    let ignored = spawn::ignored_signals();
    // SAFETY: fd 3 is the socket checked above; from here on it is ours.
    let sock = unsafe { OwnedFd::from_raw_fd(GUARD_FD) };
    // SAFETY: plain prctl/fcntl/signal/sigprocmask/signalfd calls on values owned here.
    let signals = unsafe {
        // Orphans of handlers become our children, so none is lost to init.
        if libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1) != 0 {
            return Err(io::Error::last_os_error());
        }
        libc::fcntl(sock.as_raw_fd(), libc::F_SETFD, libc::FD_CLOEXEC);
        // The guard ends only when pipectl does: signals meant for pipectl (`pkill
        // pipectl`, a hang-up) must not end it before it has cleaned up.
        for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT] {
            libc::signal(signal, libc::SIG_IGN);
        }
        let mut chld: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut chld);
        libc::sigaddset(&mut chld, libc::SIGCHLD);
        libc::sigprocmask(libc::SIG_BLOCK, &chld, std::ptr::null_mut());
        let fd = libc::signalfd(-1, &chld, libc::SFD_CLOEXEC | libc::SFD_NONBLOCK);
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        OwnedFd::from_raw_fd(fd)
    };
    // SAFETY: getpid cannot fail; fork in a single-threaded process, whose child goes on
    // running ordinary code (nothing else was running to hold a lock).
    let (me, spawner) = unsafe { (libc::getpid(), libc::fork()) };
    if spawner < 0 {
        return Err(io::Error::last_os_error());
    }
    if spawner == 0 {
        drop(signals);
        // SAFETY: plain prctl/getppid calls.
        unsafe {
            // Should the guard be killed, the spawner goes too (and its handlers with it).
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 || libc::getppid() != me {
                libc::_exit(1);
            }
        }
        let code = match spawner_main(&sock, ignored) {
            Ok(()) => 0,
            Err(err) => {
                eprintln!("pipectl: handler spawner: {err}");
                1
            }
        };
        // SAFETY: ends this process without running the guard's exit path a second time.
        unsafe { libc::_exit(code) };
    }
    // The guard: wait for pipectl's end of the socket to close (it never reads from it).
    loop {
        let mut fds = [
            libc::pollfd {
                fd: sock.as_raw_fd(),
                events: libc::POLLRDHUP,
                revents: 0,
            },
            libc::pollfd {
                fd: signals.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            },
        ];
        // SAFETY: poll on a valid array of two pollfd.
        if unsafe { libc::poll(fds.as_mut_ptr(), 2, -1) } < 0 {
            if io::Error::last_os_error().kind() == io::ErrorKind::Interrupted {
                continue;
            }
            break;
        }
        if fds[0].revents != 0 {
            break;
        }
        if fds[1].revents != 0 {
            drain_signals(&signals);
            // Orphans of handlers end here; the spawner's end ends the run's supervision.
            if reap_any().contains(&spawner) {
                break;
            }
        }
    }
    // Messages still queued (and the pipes in them) go with the last copy of this end.
    drop(sock);
    sweep(me);
    Ok(())
}

fn drain_signals(signals: &OwnedFd) {
    let mut info = [0u8; 128];
    // SAFETY: reads whole signalfd_siginfo records into a buffer of that size.
    while unsafe { libc::read(signals.as_raw_fd(), info.as_mut_ptr().cast(), info.len()) } > 0 {}
}

/// Reaps every child that has ended; returns their pids.
fn reap_any() -> Vec<i32> {
    let mut pids = Vec::new();
    loop {
        let mut status = 0;
        // SAFETY: waitpid with a valid status pointer.
        let pid = unsafe { libc::waitpid(-1, &mut status, libc::WNOHANG) };
        if pid <= 0 {
            return pids;
        }
        pids.push(pid);
    }
}

/// pipectl is gone (or done): kill every descendant, reap them all, then return.
fn sweep(me: i32) {
    let until = Instant::now() + SWEEP_LIMIT;
    loop {
        kill_tree(&[me], false, &[]);
        loop {
            let mut status = 0;
            // SAFETY: waitpid with a valid status pointer.
            let pid = unsafe { libc::waitpid(-1, &mut status, libc::WNOHANG) };
            if pid > 0 {
                continue;
            }
            if pid < 0 {
                // ECHILD: no child is left.
                return;
            }
            break;
        }
        if Instant::now() >= until {
            return;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// SIGKILLs `roots` (when `kill_roots`), every member of `groups`, and every descendant of
/// `roots` wherever it is (another process group, another session). Everything found is
/// stopped first, so nothing forks past the search; the search is repeated until it finds
/// nothing new.
fn kill_tree(roots: &[i32], kill_roots: bool, groups: &[i32]) {
    let signal_all = |found: &[i32], signal| {
        for &pid in found {
            // SAFETY: plain syscall on pids found alive (and stopped) just before.
            unsafe { libc::kill(pid, signal) };
        }
    };
    for &group in groups {
        // SAFETY: plain syscall.
        unsafe { libc::kill(-group, libc::SIGSTOP) };
    }
    if kill_roots {
        signal_all(roots, libc::SIGSTOP);
    }
    let mut found: Vec<i32> = Vec::new();
    loop {
        let table = process_table();
        let mut new = Vec::new();
        loop {
            let before = new.len();
            for &(pid, ppid) in &table {
                let parent_known =
                    roots.contains(&ppid) || found.contains(&ppid) || new.contains(&ppid);
                if parent_known
                    && !roots.contains(&pid)
                    && !found.contains(&pid)
                    && !new.contains(&pid)
                {
                    new.push(pid);
                }
            }
            if new.len() == before {
                break;
            }
        }
        if new.is_empty() {
            break;
        }
        signal_all(&new, libc::SIGSTOP);
        found.extend(new);
    }
    for &group in groups {
        // SAFETY: plain syscall.
        unsafe { libc::kill(-group, libc::SIGKILL) };
    }
    if kill_roots {
        signal_all(roots, libc::SIGKILL);
    }
    signal_all(&found, libc::SIGKILL);
}

/// Every process's (pid, parent pid), from /proc.
fn process_table() -> Vec<(i32, i32)> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let mut table = Vec::new();
    let mut stat = Vec::with_capacity(512);
    for entry in dir.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<i32>().ok())
        else {
            continue;
        };
        stat.clear();
        if File::open(format!("/proc/{pid}/stat"))
            .and_then(|mut f| f.read_to_end(&mut stat))
            .is_err()
        {
            continue;
        }
        // "pid (comm) state ppid …": comm may hold anything, so read after its last ')'.
        let Some(close) = stat.iter().rposition(|&b| b == b')') else {
            continue;
        };
        let ppid = std::str::from_utf8(&stat[close + 1..])
            .ok()
            .and_then(|rest| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<i32>().ok());
        if let Some(ppid) = ppid {
            table.push((pid, ppid));
        }
    }
    table
}

// ---------------------------------------------------------------------------- the spawner

/// What the spawner keeps for starting handlers.
struct Base {
    /// pipectl's environment (the guard's own), as `KEY=VALUE` with the key's length.
    env: Vec<(usize, CString)>,
    /// The signals pipectl left ignored: handlers start with them ignored, as before.
    ignored: libc::sigset_t,
}

/// A handler to start, as received.
struct Job {
    id: u64,
    path: CString,
    argv: Vec<CString>,
    env: Vec<(usize, CString)>,
    stdio: [OwnedFd; 3],
    status: OwnedFd,
}

/// A job done by a spawner thread: the handler's pid, or None when it did not start (the
/// thread has reported that already).
struct Done {
    id: u64,
    pid: Option<i32>,
    status: OwnedFd,
}

/// A handler the spawner is running.
struct Live {
    id: u64,
    pid: i32,
    status: OwnedFd,
}

/// Jobs waiting for a spawner thread, and how many threads wait for a job.
#[derive(Default)]
struct Queue {
    jobs: std::collections::VecDeque<Job>,
    idle: usize,
}

/// At most this many handlers are being started at once (pipectl runs at most 256).
const MAX_SPAWNERS: usize = 64;

fn spawner_main(sock: &OwnedFd, ignored: libc::sigset_t) -> io::Result<()> {
    use std::sync::{Arc, Condvar, Mutex, mpsc};

    // SIGCHLD stays blocked here and in every thread started from here, for the signalfd.
    // SAFETY: plain sigprocmask/signalfd calls on values owned here.
    let signals = unsafe {
        let mut chld: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut chld);
        libc::sigaddset(&mut chld, libc::SIGCHLD);
        libc::sigprocmask(libc::SIG_BLOCK, &chld, std::ptr::null_mut());
        let fd = libc::signalfd(-1, &chld, libc::SFD_CLOEXEC | libc::SFD_NONBLOCK);
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        OwnedFd::from_raw_fd(fd)
    };
    let base = Arc::new(Base {
        env: std::env::vars_os()
            .filter_map(|(k, v)| {
                let len = k.len();
                CString::new(entry(k.as_bytes(), v.as_bytes()))
                    .ok()
                    .map(|e| (len, e))
            })
            .collect(),
        ignored,
    });
    let (wake_read, wake_write) = spawn::pipe()?;
    set_nonblocking(&wake_read);
    let wake_write = Arc::new(wake_write);
    let (done_tx, done_rx) = mpsc::channel::<Done>();
    let queue = Arc::new((Mutex::new(Queue::default()), Condvar::new()));
    let mut threads = 0;

    let mut live: Vec<Live> = Vec::new();
    // Starting: ids sent to a spawner thread, and whether pipectl asked to kill them since.
    let mut starting: Vec<(u64, bool)> = Vec::new();
    // Handlers reaped before their spawner thread said it had started them.
    let mut early: Vec<(i32, i32)> = Vec::new();
    let mut buf = vec![0u8; MAX_REQUEST];
    loop {
        let mut fds =
            [sock.as_raw_fd(), signals.as_raw_fd(), wake_read.as_raw_fd()].map(|fd| libc::pollfd {
                fd,
                events: libc::POLLIN,
                revents: 0,
            });
        // SAFETY: poll on a valid array of three pollfd.
        if unsafe { libc::poll(fds.as_mut_ptr(), 3, -1) } < 0 {
            if io::Error::last_os_error().kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(io::Error::last_os_error());
        }
        if fds[2].revents != 0 {
            drain_signals(&wake_read);
            while let Ok(done) = done_rx.try_recv() {
                let kill = starting
                    .iter()
                    .position(|(id, _)| *id == done.id)
                    .is_some_and(|i| starting.swap_remove(i).1);
                let Some(pid) = done.pid else { continue };
                if let Some(i) = early.iter().position(|(p, _)| *p == pid) {
                    let (_, status) = early.swap_remove(i);
                    ended(pid, status, &done.status);
                    continue;
                }
                if kill {
                    kill_tree(&[pid], true, &[pid]);
                }
                live.push(Live {
                    id: done.id,
                    pid,
                    status: done.status,
                });
            }
        }
        if fds[1].revents != 0 {
            drain_signals(&signals);
            loop {
                let mut status = 0;
                // SAFETY: waitpid with a valid status pointer. Every child here is a handler.
                let pid = unsafe { libc::waitpid(-1, &mut status, libc::WNOHANG) };
                if pid <= 0 {
                    break;
                }
                match live.iter().position(|l| l.pid == pid) {
                    Some(i) => {
                        let handler = live.swap_remove(i);
                        ended(pid, status, &handler.status);
                    }
                    None => early.push((pid, status)),
                }
            }
        }
        if fds[0].revents == 0 {
            continue;
        }
        loop {
            let request = match receive(sock.as_raw_fd(), &mut buf) {
                Ok(Some(request)) => request,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                // pipectl is done or gone: the guard kills what is left.
                Ok(None) | Err(_) => return Ok(()),
            };
            let msg = &buf[..request.len];
            match msg.first() {
                Some(&SPAWN) => {
                    let Some(job) = job(msg, request) else {
                        continue;
                    };
                    starting.push((job.id, false));
                    let (lock, ready) = &*queue;
                    let Ok(mut q) = lock.lock() else {
                        return Err(io::Error::other("a spawner thread panicked"));
                    };
                    q.jobs.push_back(job);
                    if q.idle == 0 && threads < MAX_SPAWNERS {
                        let (queue, base, done_tx, wake) = (
                            queue.clone(),
                            base.clone(),
                            done_tx.clone(),
                            wake_write.clone(),
                        );
                        // A thread that cannot be started leaves the job to the others
                        // (there is one at least, or this fails and the job stays queued).
                        if std::thread::Builder::new()
                            .name("spawner".into())
                            .spawn(move || spawner_thread(&queue, &base, &done_tx, &wake))
                            .is_ok()
                        {
                            threads += 1;
                        } else if threads == 0 {
                            return Err(io::Error::other("cannot start a spawner thread"));
                        }
                    }
                    drop(q);
                    ready.notify_one();
                }
                Some(&KILL) => {
                    let Some(id) = msg.get(1..9).and_then(|b| b.try_into().ok()) else {
                        continue;
                    };
                    let id = u64::from_le_bytes(id);
                    if let Some(handler) = live.iter().find(|l| l.id == id) {
                        kill_tree(&[handler.pid], true, &[handler.pid]);
                    } else if let Some(s) = starting.iter_mut().find(|(i, _)| *i == id) {
                        s.1 = true;
                    }
                }
                _ => {}
            }
        }
    }
}

/// A handler has ended: whatever it left in its process group is killed (so its pipes
/// close), and pipectl is told how it ended.
fn ended(pid: i32, status: i32, report_to: &OwnedFd) {
    // SAFETY: plain syscall; a group that is already gone answers ESRCH. (Its pid cannot
    // have been reused as a group id while members of that group live.)
    unsafe { libc::kill(-pid, libc::SIGKILL) };
    report(report_to, EXITED, status);
}

/// A spawner thread: starts handlers, one at a time, for as long as the spawner runs. (It
/// never ends before: its handlers' death signal comes when the thread that started them
/// ends.)
fn spawner_thread(
    queue: &(std::sync::Mutex<Queue>, std::sync::Condvar),
    base: &Base,
    done: &std::sync::mpsc::Sender<Done>,
    wake: &OwnedFd,
) {
    let (lock, ready) = queue;
    loop {
        let job = {
            let Ok(mut q) = lock.lock() else {
                return park();
            };
            loop {
                if let Some(job) = q.jobs.pop_front() {
                    break job;
                }
                q.idle += 1;
                q = match ready.wait(q) {
                    Ok(q) => q,
                    Err(_) => return park(),
                };
                q.idle -= 1;
            }
        };
        let pid = match start_handler(&job, base) {
            Ok(pid) => Some(pid),
            Err(err) => {
                report(
                    &job.status,
                    NOT_STARTED,
                    err.raw_os_error().unwrap_or(libc::EIO),
                );
                None
            }
        };
        let Job { id, status, .. } = job;
        if done.send(Done { id, pid, status }).is_err() {
            return park();
        }
        // SAFETY: one byte to a pipe we own, to wake the spawner's poll.
        unsafe { libc::write(wake.as_raw_fd(), [1u8].as_ptr().cast(), 1) };
    }
}

/// A spawner thread with nothing left to do stays, so its handlers keep their death signal.
fn park() {
    loop {
        std::thread::park();
    }
}

fn job(msg: &[u8], request: Request) -> Option<Job> {
    let mut fds = request.fds.into_iter();
    // Without its status pipe the call cannot be answered; pipectl sees its end of the pipe
    // close (the kernel dropped the fds it could not pass).
    let (Some(stdin), Some(stdout), Some(stderr), Some(status)) =
        (fds.next(), fds.next(), fds.next(), fds.next())
    else {
        return None;
    };
    if request.truncated {
        report(&status, NOT_STARTED, libc::E2BIG);
        return None;
    }
    let Some((id, path, argv, env)) = parse_spawn(msg) else {
        report(&status, NOT_STARTED, libc::EINVAL);
        return None;
    };
    Some(Job {
        id,
        path,
        argv,
        env,
        stdio: [stdin, stdout, stderr],
        status,
    })
}

type SpawnRequest = (u64, CString, Vec<CString>, Vec<(usize, CString)>);

fn parse_spawn(msg: &[u8]) -> Option<SpawnRequest> {
    let id = u64::from_le_bytes(msg.get(1..9)?.try_into().ok()?);
    let nargs = u32::from_le_bytes(msg.get(9..13)?.try_into().ok()?) as usize;
    let nenv = u32::from_le_bytes(msg.get(13..17)?.try_into().ok()?) as usize;
    let mut strings = msg.get(17..)?.split(|&b| b == 0);
    let mut next = || strings.next().and_then(|s| CString::new(s).ok());
    let path = next()?;
    let argv = (0..nargs).map(|_| next()).collect::<Option<Vec<_>>>()?;
    let env = (0..nenv)
        .map(|_| {
            let e = next()?;
            let key = e.as_bytes().iter().position(|&b| b == b'=')?;
            Some((key, e))
        })
        .collect::<Option<Vec<_>>>()?;
    Some((id, path, argv, env))
}

fn start_handler(job: &Job, base: &Base) -> io::Result<i32> {
    let argv = spawn::null_terminated(&job.argv);
    let mut sh_argv: Vec<*const libc::c_char> = vec![c"/bin/sh".as_ptr(), job.path.as_ptr()];
    sh_argv.extend(job.argv.iter().skip(1).map(|a| a.as_ptr()));
    sh_argv.push(std::ptr::null());
    let same_key = |(a_len, a): &(usize, CString), (b_len, b): &(usize, CString)| {
        a_len == b_len && a.as_bytes()[..*a_len] == b.as_bytes()[..*b_len]
    };
    let mut envp: Vec<*const libc::c_char> = base
        .env
        .iter()
        .filter(|b| !job.env.iter().any(|e| same_key(b, e)))
        .map(|(_, e)| e.as_ptr())
        .collect();
    envp.extend(job.env.iter().map(|(_, e)| e.as_ptr()));
    envp.push(std::ptr::null());
    let program = spawn::Program {
        path: &job.path,
        argv: &argv,
        sh_argv: &sh_argv,
        envp: &envp,
        // The received fds are above 3: 0 to 3 are open here.
        fds: [
            job.stdio[0].as_raw_fd(),
            job.stdio[1].as_raw_fd(),
            job.stdio[2].as_raw_fd(),
            -1,
        ],
        // Should the spawner be killed, its handlers go with it.
        death_signal: libc::SIGKILL,
        ignored: base.ignored,
    };
    spawn::start(&program)
}

fn report(status: &OwnedFd, kind: u8, value: i32) {
    let mut record = [0u8; 8];
    record[0] = kind;
    record[4..].copy_from_slice(&value.to_le_bytes());
    // SAFETY: write of 8 bytes (atomic on a pipe) to a pipe we own; a reader that is gone
    // (EPIPE, with SIGPIPE ignored) is fine.
    unsafe { libc::write(status.as_raw_fd(), record.as_ptr().cast(), record.len()) };
}

fn set_nonblocking(fd: &OwnedFd) {
    // SAFETY: fcntl on a file descriptor we own.
    unsafe {
        let flags = libc::fcntl(fd.as_raw_fd(), libc::F_GETFL);
        libc::fcntl(fd.as_raw_fd(), libc::F_SETFL, flags | libc::O_NONBLOCK);
    }
}
