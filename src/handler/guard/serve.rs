//! The guard process itself: serve pipectl's requests through the spawner, and when the
//! socket hangs up, stop and kill every descendant, reap them and exit.

use super::*;

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

pub(super) fn serve_inner() -> io::Result<()> {
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
    // SAFETY: plain prctl/fcntl/signal calls on values owned here.
    unsafe {
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
    }
    let signals = child_signals()?;
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

pub(super) fn drain_signals(signals: &OwnedFd) {
    let mut info = [0u8; 128];
    // SAFETY: reads whole signalfd_siginfo records into a buffer of that size.
    while unsafe { libc::read(signals.as_raw_fd(), info.as_mut_ptr().cast(), info.len()) } > 0 {}
}

/// Reaps every child that has ended; returns their pids.
pub(super) fn reap_any() -> Vec<i32> {
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
pub(super) fn sweep(me: i32) {
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
pub(super) fn kill_tree(roots: &[i32], kill_roots: bool, groups: &[i32]) {
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
pub(super) fn process_table() -> Vec<(i32, i32)> {
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
