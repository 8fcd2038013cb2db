//! Starting a process cheaply: `clone(CLONE_VM | CLONE_VFORK)` on a small stack of its own,
//! as `posix_spawn` does, instead of `fork`.
//!
//! Handlers are started by the handler guard (guard.rs), a small single-threaded process of
//! its own; pipectl itself starts only the guard, once per run, with this same code. Why not
//! `std::process::Command`: the child needs code before `exec` (its own process group, a
//! death signal, exactly the signal dispositions it should inherit), and
//! `Command::pre_exec` makes std `fork` the whole process. `fork` copies the parent's page
//! tables (under its memory-map lock, which every other thread then waits for) and makes
//! both sides take copy-on-write faults afterwards. With `CLONE_VM | CLONE_VFORK` the child
//! borrows its parent's memory until `execve` and only the calling thread pauses meanwhile.
//! Handler start-up is most of what an exec handler call costs, so it stays this cheap.
//!
//! Between `clone` and `execve` the child runs on memory it shares with its parent, which
//! may be multi-threaded (pipectl starting the guard), so it only makes plain system calls
//! on values prepared beforehand: no allocation, no locks.

use std::ffi::{CStr, CString};
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::ExitStatus;
use std::sync::atomic::{AtomicI32, Ordering};

/// What to start, all of it prepared before `clone`.
pub struct Program<'a> {
    /// The file to execute (already looked up in PATH: see [`resolve`]).
    pub path: &'a CStr,
    /// argv, NULL-terminated.
    pub argv: &'a [*const libc::c_char],
    /// `/bin/sh PATH ARGS…`, NULL-terminated, for a program the kernel cannot run itself
    /// (ENOEXEC: a script without `#!`), as `execvp` does.
    pub sh_argv: &'a [*const libc::c_char],
    /// The environment, `KEY=VALUE`, NULL-terminated.
    pub envp: &'a [*const libc::c_char],
    /// What becomes the child's fds 0, 1, 2 and 3 (-1: fd 3 is not set). All must be above
    /// 3, so no dup2 overwrites one still needed; they may be close-on-exec.
    pub fds: [RawFd; 4],
    /// Sent to the child when the thread that started it ends (0: none).
    pub death_signal: libc::c_int,
    /// The signals the program starts with ignored; every other one starts with its default
    /// action. (Its signal mask starts empty, as with std.)
    pub ignored: libc::sigset_t,
}

struct ChildSetup<'a> {
    program: &'a Program<'a>,
    /// errno of the step that failed in the child; 0 when `execve` succeeded.
    error: AtomicI32,
}

/// Starts `program` in a new process group of its own (its pid is the group's id) and
/// returns its pid once it runs the program, or why it could not.
pub fn start(program: &Program<'_>) -> io::Result<i32> {
    if [program.argv, program.sh_argv, program.envp]
        .iter()
        .any(|list| list.last() != Some(&std::ptr::null()))
    {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "argv and envp must end with a NULL pointer",
        ));
    }
    if program.fds.iter().any(|fd| (0..=3).contains(fd)) || program.fds[..3].contains(&-1) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the child's fds 0-2 must be given, all above 3",
        ));
    }
    let setup = ChildSetup {
        program,
        error: AtomicI32::new(0),
    };

    // The child's stack: it only makes a few system calls on it. CLONE_VFORK keeps this
    // thread (and so this buffer) waiting until the child has called execve or exited.
    let mut stack = vec![0u8; 64 * 1024];
    // SAFETY: one past the end of the buffer, which is where a downward-growing stack starts.
    let top = unsafe { stack.as_mut_ptr().add(stack.len()) };
    let top = (top as usize & !0xf) as *mut libc::c_void;

    // Block every signal so no signal handler of the parent runs in the child while it still
    // shares the parent's memory; the child sets every disposition and then the mask.
    // SAFETY: plain libc calls on sigset_t values owned here.
    let pid = unsafe {
        let mut all: libc::sigset_t = std::mem::zeroed();
        let mut old: libc::sigset_t = std::mem::zeroed();
        libc::sigfillset(&mut all);
        libc::pthread_sigmask(libc::SIG_SETMASK, &all, &mut old);
        let pid = libc::clone(
            child_main,
            top,
            libc::CLONE_VM | libc::CLONE_VFORK | libc::SIGCHLD,
            (&setup as *const ChildSetup).cast_mut().cast(),
        );
        let clone_error = io::Error::last_os_error();
        libc::pthread_sigmask(libc::SIG_SETMASK, &old, std::ptr::null_mut());
        if pid < 0 {
            return Err(clone_error);
        }
        pid
    };
    drop(stack);

    let errno = setup.error.load(Ordering::SeqCst);
    if errno != 0 {
        // The child exited without running the program: reap it and say why.
        wait(pid).ok();
        return Err(io::Error::from_raw_os_error(errno));
    }
    Ok(pid)
}

/// Waits for the process to end (retrying on EINTR) and returns how it ended.
pub fn wait(pid: i32) -> io::Result<ExitStatus> {
    loop {
        let mut status = 0;
        // SAFETY: waitpid on our own child with a valid status pointer.
        let r = unsafe { libc::waitpid(pid, &mut status, 0) };
        if r == pid {
            return Ok(ExitStatus::from_raw(status));
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
}

/// The child, between `clone` and `execve`: system calls only, on prepared values.
extern "C" fn child_main(arg: *mut libc::c_void) -> libc::c_int {
    // SAFETY: `arg` is the ChildSetup the parent keeps alive (and does not touch) until
    // this child has called execve or exited: CLONE_VFORK suspends the parent until then.
    unsafe {
        let setup = &*(arg as *const ChildSetup);
        let program = setup.program;
        let fail = |setup: &ChildSetup| -> libc::c_int {
            setup
                .error
                .store(*libc::__errno_location(), Ordering::SeqCst);
            libc::_exit(127)
        };
        if program.death_signal != 0
            && libc::prctl(libc::PR_SET_PDEATHSIG, program.death_signal) != 0
        {
            return fail(setup);
        }
        if libc::setpgid(0, 0) != 0 {
            return fail(setup);
        }
        for (target, fd) in program.fds.iter().enumerate() {
            if *fd >= 0 && libc::dup2(*fd, target as RawFd) < 0 {
                return fail(setup);
            }
        }
        // The parent's handlers must not run here (execve would reset them anyway); what
        // the parent ignores for itself but the program should not, goes back to default.
        let mut action: libc::sigaction = std::mem::zeroed();
        for signal in 1..=libc::SIGRTMAX() {
            if libc::sigaction(signal, std::ptr::null(), &mut action) != 0 {
                continue;
            }
            let want = if libc::sigismember(&program.ignored, signal) == 1 {
                libc::SIG_IGN
            } else {
                libc::SIG_DFL
            };
            if action.sa_sigaction != want {
                let mut new: libc::sigaction = std::mem::zeroed();
                new.sa_sigaction = want;
                libc::sigaction(signal, &new, std::ptr::null_mut());
            }
        }
        let mut empty: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut empty);
        libc::pthread_sigmask(libc::SIG_SETMASK, &empty, std::ptr::null_mut());
        libc::execve(
            program.path.as_ptr(),
            program.argv.as_ptr(),
            program.envp.as_ptr(),
        );
        if *libc::__errno_location() == libc::ENOEXEC {
            libc::execve(
                c"/bin/sh".as_ptr(),
                program.sh_argv.as_ptr(),
                program.envp.as_ptr(),
            );
            *libc::__errno_location() = libc::ENOEXEC;
        }
        fail(setup)
    }
}

/// The signals pipectl was started with ignored, except SIGPIPE (which the Rust runtime
/// ignores for itself; a program started from here gets its default, as std does). Read at
/// the first call, which `run` makes before it installs its SIGINT/SIGTERM handlers: read
/// after, a SIGINT ignored by whoever started pipectl (a non-interactive shell's `&`) would
/// look caught, and the handler would get it back at its default.
pub fn ignored_signals() -> libc::sigset_t {
    static AT_START: std::sync::OnceLock<libc::sigset_t> = std::sync::OnceLock::new();
    *AT_START.get_or_init(ignored_now)
}

fn ignored_now() -> libc::sigset_t {
    // SAFETY: plain libc calls on sigset_t / sigaction values owned here.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        let mut action: libc::sigaction = std::mem::zeroed();
        for signal in 1..=libc::SIGRTMAX() {
            if signal != libc::SIGPIPE
                && libc::sigaction(signal, std::ptr::null(), &mut action) == 0
                && action.sa_sigaction == libc::SIG_IGN
            {
                libc::sigaddset(&mut set, signal);
            }
        }
        set
    }
}

/// PATH lookup as `execvp` does it: a name with a slash is used as it is; otherwise the
/// first executable file of that name in a PATH directory.
pub fn resolve(program: &str) -> io::Result<PathBuf> {
    if program.is_empty() {
        return Err(io::Error::from_raw_os_error(libc::ENOENT));
    }
    if program.contains('/') {
        return Ok(PathBuf::from(program));
    }
    let path = std::env::var_os("PATH").unwrap_or_else(|| "/usr/local/bin:/usr/bin:/bin".into());
    let mut denied = false;
    for dir in std::env::split_paths(&path) {
        let dir = if dir.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            dir
        };
        let candidate = dir.join(program);
        if let Ok(meta) = std::fs::metadata(&candidate)
            && meta.is_file()
        {
            if executable(&candidate) {
                return Ok(candidate);
            }
            denied = true;
        }
    }
    Err(io::Error::from_raw_os_error(if denied {
        libc::EACCES
    } else {
        libc::ENOENT
    }))
}

fn executable(path: &Path) -> bool {
    let Ok(c) = CString::new(path.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: access() on a valid C string.
    unsafe { libc::access(c.as_ptr(), libc::X_OK) == 0 }
}

pub fn cstring(bytes: Vec<u8>) -> io::Result<CString> {
    CString::new(bytes).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            "an argument or environment value contains a NUL byte",
        )
    })
}

pub fn null_terminated(strings: &[CString]) -> Vec<*const libc::c_char> {
    strings
        .iter()
        .map(|s| s.as_ptr())
        .chain(std::iter::once(std::ptr::null()))
        .collect()
}

/// A close-on-exec pipe (read end, write end), both file descriptors above 3 so a child's
/// dup2 onto 0 to 3 never overwrites one it still needs.
pub fn pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0 as RawFd; 2];
    // SAFETY: pipe2 fills two file descriptors, which we then own.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: both were just opened and are owned by no one else.
    let (read, write) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    Ok((above_stdio(read)?, above_stdio(write)?))
}

/// `fd`, or a close-on-exec copy of it above 3 (see [`Program::fds`]).
pub fn above_stdio(fd: OwnedFd) -> io::Result<OwnedFd> {
    if fd.as_raw_fd() > 3 {
        return Ok(fd);
    }
    // SAFETY: F_DUPFD_CLOEXEC returns a new descriptor, which we then own.
    let new = unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_DUPFD_CLOEXEC, 4) };
    if new < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: just opened, owned by no one else.
    Ok(unsafe { OwnedFd::from_raw_fd(new) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs::File;
    use std::io::{Read, Write};

    #[test]
    fn starts_a_program_with_stdio_env_fd3_and_its_own_process_group() {
        let path = cstring(resolve("sh").unwrap().into_os_string().into_encoded_bytes()).unwrap();
        let args: Vec<CString> = [
            "sh",
            "-c",
            "cat; echo \"$FOO\" >&2; ps -o pgid= -p $$ | tr -d ' ' >&2; echo three >&3; exit 3",
        ]
        .iter()
        .map(|a| CString::new(*a).unwrap())
        .collect();
        let env = [CString::new("FOO=bar").unwrap()];
        let argv = null_terminated(&args);
        let envp = null_terminated(&env);
        let (stdin_child, stdin) = pipe().unwrap();
        let (stdout, stdout_child) = pipe().unwrap();
        let (stderr, stderr_child) = pipe().unwrap();
        let (three, three_child) = pipe().unwrap();
        let program = Program {
            path: &path,
            argv: &argv,
            sh_argv: &argv,
            envp: &envp,
            fds: [
                stdin_child.as_raw_fd(),
                stdout_child.as_raw_fd(),
                stderr_child.as_raw_fd(),
                three_child.as_raw_fd(),
            ],
            death_signal: libc::SIGKILL,
            ignored: ignored_signals(),
        };
        let pid = start(&program).unwrap();
        drop((stdin_child, stdout_child, stderr_child, three_child));
        File::from(stdin).write_all(b"hello").unwrap();
        let mut out = String::new();
        File::from(stdout).read_to_string(&mut out).unwrap();
        let mut err = String::new();
        File::from(stderr).read_to_string(&mut err).unwrap();
        let mut fd3 = String::new();
        File::from(three).read_to_string(&mut fd3).unwrap();
        let status = wait(pid).unwrap();
        assert_eq!(out, "hello");
        assert_eq!(fd3, "three\n");
        let mut lines = err.lines();
        assert_eq!(lines.next(), Some("bar"));
        if let Some(pgid) = lines.next().filter(|l| !l.is_empty()) {
            assert_eq!(pgid, pid.to_string());
        }
        assert_eq!(status.code(), Some(3));
    }

    #[test]
    fn a_missing_program_is_an_error_not_a_child() {
        let err = resolve("pipectl-no-such-handler").err().unwrap();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
        let path = c"/nonexistent/handler";
        let argv = [path.as_ptr(), std::ptr::null()];
        let envp = [std::ptr::null()];
        let (a, b) = pipe().unwrap();
        let program = Program {
            path,
            argv: &argv,
            sh_argv: &argv,
            envp: &envp,
            fds: [a.as_raw_fd(), b.as_raw_fd(), b.as_raw_fd(), -1],
            death_signal: 0,
            ignored: ignored_signals(),
        };
        let err = start(&program).err().unwrap();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
    }
}
