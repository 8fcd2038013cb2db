//! Starting a handler process cheaply: `clone(CLONE_VM | CLONE_VFORK)` on a small stack of
//! its own, as `posix_spawn` does, instead of `fork`.
//!
//! Why not `std::process::Command`: a handler must die with pipectl (`PR_SET_PDEATHSIG`),
//! which needs code in the child before `exec`, and `Command::pre_exec` makes std `fork`
//! the whole process. `fork` copies pipectl's page tables (under its memory-map lock, which
//! every other worker thread then waits for) and makes both sides take copy-on-write faults
//! afterwards: with several workers that is most of what an exec handler call costs
//! pipectl. With `CLONE_VM | CLONE_VFORK` the child borrows pipectl's memory until `execve`
//! and only the calling thread pauses meanwhile.
//!
//! Between `clone` and `execve` the child runs on memory it shares with pipectl, so it only
//! makes plain system calls on values prepared beforehand: no allocation, no locks.

use std::ffi::{CString, OsStr, OsString};
use std::fs::File;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::ExitStatus;
use std::sync::atomic::{AtomicI32, Ordering};

/// A started handler: its pid (also its process group) and pipectl's ends of its stdio.
pub struct Spawned {
    pub pid: i32,
    pub stdin: File,
    pub stdout: File,
    pub stderr: File,
}

/// What the child needs, all of it prepared before `clone`.
struct ChildSetup {
    program: CString,
    argv: Vec<*const libc::c_char>,
    /// `/bin/sh PROGRAM ARGS…`, for a program the kernel cannot run itself (ENOEXEC: a
    /// script without `#!`), as `execvp` does.
    sh_argv: Vec<*const libc::c_char>,
    envp: Vec<*const libc::c_char>,
    /// The child's ends of the three pipes, all above 2, in stdin, stdout, stderr order.
    stdio: [RawFd; 3],
    /// pipectl's signal mask before all signals were blocked around `clone`, restored in
    /// pipectl afterwards. (The child starts the program with an empty mask, as std does.)
    mask: libc::sigset_t,
    /// errno of the step that failed in the child; 0 when `execve` succeeded.
    error: AtomicI32,
}

/// Starts `program` with `args`, pipectl's environment plus `env`, stdin/stdout/stderr on
/// pipes, in a new process group of its own, and killed (SIGKILL) when the thread that
/// started it — and so pipectl — goes away. `program` is looked up in PATH unless it
/// contains a slash, as `execvp` does.
pub fn spawn(program: &str, args: &[String], env: &[(&str, &OsStr)]) -> io::Result<Spawned> {
    let path = resolve(program)?;
    let path = cstring(path.into_os_string().into_vec())?;
    let arg_strings = std::iter::once(OsString::from(program))
        .chain(args.iter().map(OsString::from))
        .map(|a| cstring(a.into_vec()))
        .collect::<io::Result<Vec<CString>>>()?;
    let sh_strings: Vec<CString> = [c"/bin/sh".to_owned(), path.clone()]
        .into_iter()
        .chain(arg_strings[1..].iter().cloned())
        .collect();
    let env_strings = environment(env)?;

    let (stdin_child, stdin_parent) = pipe()?;
    let (stdout_parent, stdout_child) = pipe()?;
    let (stderr_parent, stderr_child) = pipe()?;

    let mut setup = ChildSetup {
        program: path,
        argv: null_terminated(&arg_strings),
        sh_argv: null_terminated(&sh_strings),
        envp: null_terminated(&env_strings),
        stdio: [
            stdin_child.as_raw_fd(),
            stdout_child.as_raw_fd(),
            stderr_child.as_raw_fd(),
        ],
        // SAFETY: a zeroed sigset_t is a valid (empty) set; it is overwritten below.
        mask: unsafe { std::mem::zeroed() },
        error: AtomicI32::new(0),
    };

    // The child's stack: it only makes a few system calls on it. CLONE_VFORK keeps this
    // thread (and so this buffer) waiting until the child has called execve or exited.
    let mut stack = vec![0u8; 64 * 1024];
    // SAFETY: one past the end of the buffer, which is where a downward-growing stack starts.
    let top = unsafe { stack.as_mut_ptr().add(stack.len()) };
    let top = (top as usize & !0xf) as *mut libc::c_void;

    // Block every signal so no handler of pipectl runs in the child while it still shares
    // pipectl's memory; the child resets handlers to the default and restores the mask.
    // SAFETY: plain libc calls on sigset_t values owned here.
    let pid = unsafe {
        let mut all: libc::sigset_t = std::mem::zeroed();
        libc::sigfillset(&mut all);
        libc::pthread_sigmask(libc::SIG_SETMASK, &all, &mut setup.mask);
        let pid = libc::clone(
            child_main,
            top,
            libc::CLONE_VM | libc::CLONE_VFORK | libc::SIGCHLD,
            (&mut setup as *mut ChildSetup).cast(),
        );
        let clone_error = io::Error::last_os_error();
        libc::pthread_sigmask(libc::SIG_SETMASK, &setup.mask, std::ptr::null_mut());
        if pid < 0 {
            return Err(clone_error);
        }
        pid
    };
    drop(stack);
    drop((stdin_child, stdout_child, stderr_child));

    let errno = setup.error.load(Ordering::SeqCst);
    if errno != 0 {
        // The child exited without running the program: reap it and say why.
        wait(pid).ok();
        return Err(io::Error::from_raw_os_error(errno));
    }
    Ok(Spawned {
        pid,
        stdin: File::from(stdin_parent),
        stdout: File::from(stdout_parent),
        stderr: File::from(stderr_parent),
    })
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
        let fail = |setup: &ChildSetup| -> libc::c_int {
            setup
                .error
                .store(*libc::__errno_location(), Ordering::SeqCst);
            libc::_exit(127)
        };
        if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 || libc::setpgid(0, 0) != 0 {
            return fail(setup);
        }
        for (target, fd) in setup.stdio.iter().enumerate() {
            if libc::dup2(*fd, target as RawFd) < 0 {
                return fail(setup);
            }
        }
        // Handlers pipectl installed must not run here; execve would reset them anyway.
        // SIGPIPE, which the Rust runtime ignores, goes back to the default as well.
        let mut action: libc::sigaction = std::mem::zeroed();
        for signal in 1..=libc::SIGRTMAX() {
            if libc::sigaction(signal, std::ptr::null(), &mut action) == 0
                && (action.sa_sigaction != libc::SIG_IGN || signal == libc::SIGPIPE)
                && action.sa_sigaction != libc::SIG_DFL
            {
                let mut default: libc::sigaction = std::mem::zeroed();
                default.sa_sigaction = libc::SIG_DFL;
                libc::sigaction(signal, &default, std::ptr::null_mut());
            }
        }
        let mut empty: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut empty);
        libc::pthread_sigmask(libc::SIG_SETMASK, &empty, std::ptr::null_mut());
        libc::execve(
            setup.program.as_ptr(),
            setup.argv.as_ptr(),
            setup.envp.as_ptr(),
        );
        if *libc::__errno_location() == libc::ENOEXEC {
            libc::execve(
                c"/bin/sh".as_ptr(),
                setup.sh_argv.as_ptr(),
                setup.envp.as_ptr(),
            );
            *libc::__errno_location() = libc::ENOEXEC;
        }
        fail(setup)
    }
}

/// PATH lookup as `execvp` does it: a name with a slash is used as it is; otherwise the
/// first executable file of that name in a PATH directory.
fn resolve(program: &str) -> io::Result<PathBuf> {
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

/// pipectl's environment with `env` set on top, as `KEY=VALUE` C strings.
fn environment(env: &[(&str, &OsStr)]) -> io::Result<Vec<CString>> {
    let mut out = Vec::new();
    for (key, value) in std::env::vars_os() {
        if env.iter().any(|(k, _)| OsStr::new(k) == key) {
            continue;
        }
        let mut entry = key.into_vec();
        entry.push(b'=');
        entry.extend_from_slice(value.as_bytes());
        out.push(cstring(entry)?);
    }
    for (key, value) in env {
        let mut entry = key.as_bytes().to_vec();
        entry.push(b'=');
        entry.extend_from_slice(value.as_bytes());
        out.push(cstring(entry)?);
    }
    Ok(out)
}

fn cstring(bytes: Vec<u8>) -> io::Result<CString> {
    CString::new(bytes).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            "an argument or environment value contains a NUL byte",
        )
    })
}

fn null_terminated(strings: &[CString]) -> Vec<*const libc::c_char> {
    strings
        .iter()
        .map(|s| s.as_ptr())
        .chain(std::iter::once(std::ptr::null()))
        .collect()
}

/// A close-on-exec pipe (read end, write end), both file descriptors above 2 so the child's
/// dup2 onto 0, 1 and 2 never overwrites one it still needs.
fn pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0 as RawFd; 2];
    // SAFETY: pipe2 fills two file descriptors, which we then own.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: both were just opened and are owned by no one else.
    let (read, write) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    Ok((above_stdio(read)?, above_stdio(write)?))
}

fn above_stdio(fd: OwnedFd) -> io::Result<OwnedFd> {
    if fd.as_raw_fd() > 2 {
        return Ok(fd);
    }
    // SAFETY: F_DUPFD_CLOEXEC returns a new descriptor, which we then own.
    let new = unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_DUPFD_CLOEXEC, 3) };
    if new < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: just opened, owned by no one else.
    Ok(unsafe { OwnedFd::from_raw_fd(new) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    #[test]
    fn runs_a_program_with_stdio_env_and_its_own_process_group() {
        let args = vec![
            "-c".to_owned(),
            "cat; echo \"$FOO\" >&2; ps -o pgid= -p $$ | tr -d ' ' >&2; exit 3".to_owned(),
        ];
        let mut child = spawn("sh", &args, &[("FOO", OsStr::new("bar"))]).unwrap();
        child.stdin.write_all(b"hello").unwrap();
        drop(child.stdin);
        let mut out = String::new();
        child.stdout.read_to_string(&mut out).unwrap();
        let mut err = String::new();
        child.stderr.read_to_string(&mut err).unwrap();
        let status = wait(child.pid).unwrap();
        assert_eq!(out, "hello");
        let mut lines = err.lines();
        assert_eq!(lines.next(), Some("bar"));
        if let Some(pgid) = lines.next().filter(|l| !l.is_empty()) {
            assert_eq!(pgid, child.pid.to_string());
        }
        assert_eq!(status.code(), Some(3));
    }

    #[test]
    fn a_missing_program_is_an_error_not_a_child() {
        let err = spawn("pipectl-no-such-handler", &[], &[]).err().unwrap();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
        let err = spawn("/nonexistent/handler", &[], &[]).err().unwrap();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
    }
}
