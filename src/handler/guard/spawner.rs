//! The spawner: the guard's child that starts handlers (its only children), reports how
//! each ended, and kills a handler's tree on request.

use super::*;

/// What the spawner keeps for starting handlers.
pub(super) struct Base {
    /// pipectl's environment (the guard's own), as `KEY=VALUE` with the key's length.
    env: Vec<(usize, CString)>,
    /// The signals pipectl left ignored: handlers start with them ignored, as before.
    ignored: libc::sigset_t,
}

/// A handler to start, as received.
pub(super) struct Job {
    id: u64,
    path: CString,
    argv: Vec<CString>,
    env: Vec<(usize, CString)>,
    stdio: [OwnedFd; 3],
    status: OwnedFd,
}

/// A job done by a spawner thread: the handler's pid, or None when it did not start (the
/// thread has reported that already).
pub(super) struct Done {
    id: u64,
    pid: Option<i32>,
    status: OwnedFd,
}

/// A handler the spawner is running.
pub(super) struct Live {
    id: u64,
    pid: i32,
    status: OwnedFd,
}

/// Jobs waiting for a spawner thread, and how many threads wait for a job.
#[derive(Default)]
pub(super) struct Queue {
    jobs: std::collections::VecDeque<Job>,
    idle: usize,
}

/// At most this many handlers are being started at once (pipectl runs at most 256).
pub(super) const MAX_SPAWNERS: usize = 64;

pub(super) fn spawner_main(sock: &OwnedFd, ignored: libc::sigset_t) -> io::Result<()> {
    use std::sync::{Arc, Condvar, Mutex, mpsc};

    // SIGCHLD stays blocked here and in every thread started from here, for the signalfd.
    let signals = child_signals()?;
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
pub(super) fn ended(pid: i32, status: i32, report_to: &OwnedFd) {
    // SAFETY: plain syscall; a group that is already gone answers ESRCH. (Its pid cannot
    // have been reused as a group id while members of that group live.)
    unsafe { libc::kill(-pid, libc::SIGKILL) };
    report(report_to, EXITED, status);
}

/// A spawner thread: starts handlers, one at a time, for as long as the spawner runs. (It
/// never ends before: its handlers' death signal comes when the thread that started them
/// ends.)
pub(super) fn spawner_thread(
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
pub(super) fn park() {
    loop {
        std::thread::park();
    }
}

pub(super) fn job(msg: &[u8], request: Request) -> Option<Job> {
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

pub(super) fn parse_spawn(msg: &[u8]) -> Option<SpawnRequest> {
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

pub(super) fn start_handler(job: &Job, base: &Base) -> io::Result<i32> {
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

pub(super) fn report(status: &OwnedFd, kind: u8, value: i32) {
    let mut record = [0u8; 8];
    record[0] = kind;
    record[4..].copy_from_slice(&value.to_le_bytes());
    // SAFETY: write of 8 bytes (atomic on a pipe) to a pipe we own; a reader that is gone
    // (EPIPE, with SIGPIPE ignored) is fine.
    unsafe { libc::write(status.as_raw_fd(), record.as_ptr().cast(), record.len()) };
}

pub(super) fn set_nonblocking(fd: &OwnedFd) {
    // SAFETY: fcntl on a file descriptor we own.
    unsafe {
        let flags = libc::fcntl(fd.as_raw_fd(), libc::F_GETFL);
        libc::fcntl(fd.as_raw_fd(), libc::F_SETFL, flags | libc::O_NONBLOCK);
    }
}
