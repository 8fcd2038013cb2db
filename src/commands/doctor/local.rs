//! The local checks: each stage's handler can be started here, as `pipectl run` would.

use std::path::Path;

use super::{Check, Status, check};
use crate::config::{Handler, Stage};

/// The exec handler's program: found, a file, executable.
pub(super) fn handler(stage: &Stage) -> Vec<Check> {
    let name = format!("handler {}", stage.name);
    match &stage.handler {
        Handler::Manual => Vec::new(),
        Handler::Http(http) => {
            let missing: Vec<String> = http
                .headers
                .values()
                .flat_map(|v| env_refs(v))
                .filter(|var| std::env::var_os(var).is_none_or(|v| v.is_empty()))
                .collect();
            if missing.is_empty() {
                vec![check(name, Status::Ok, format!("POST {}", http.url))]
            } else {
                vec![
                    check(
                        name,
                        Status::Warn,
                        format!("headers use {} but it is not set here", missing.join(", ")),
                    )
                    .fix("export it in the environment `pipectl run` runs in (e.g. the crontab)"),
                ]
            }
        }
        Handler::Exec(argv) => vec![exec_check(name, argv)],
    }
}

/// The program found as `pipectl run` finds it (handler::spawn::resolve, execvp's rules,
/// from the current directory), then every argument that is a relative path (a script
/// given to an interpreter: `python3 ./handlers/build.py`).
fn exec_check(name: String, argv: &[String]) -> Check {
    let Some(program) = argv.first() else {
        return check(name, Status::Fail, "exec names no program");
    };
    let here = std::env::current_dir()
        .map(|d| d.display().to_string())
        .unwrap_or_default();
    let path = match crate::handler::spawn::resolve(program) {
        Ok(path) => path,
        Err(e) if e.raw_os_error() == Some(libc::EACCES) => {
            return check(
                name,
                Status::Fail,
                format!("{program} is on PATH, but not executable"),
            )
            .fix(format!(
                "chmod +x the {program} found on PATH, or write the full path of another in exec"
            ));
        }
        Err(_) => {
            let path = std::env::var("PATH")
                .unwrap_or_else(|_| "unset: /usr/local/bin:/usr/bin:/bin".into());
            return check(
                name,
                Status::Fail,
                format!("{program} is not on PATH ({path})"),
            )
            .fix("install it, write its full path in exec, or set PATH where pipectl runs (e.g. the crontab's PATH=)");
        }
    };
    let shown = path.display();
    let missing = |what: String| {
        check(name.clone(), Status::Fail, what).fix(format!(
            "create it, fix the path in exec, or run pipectl from the pipeline's directory (`cd DIR && pipectl …`): relative paths start from the directory pipectl runs in, here {here}"
        ))
    };
    match std::fs::metadata(&path) {
        Err(_) => return missing(format!("{shown} does not exist (from {here})")),
        Ok(meta) if !meta.is_file() => {
            return check(name, Status::Fail, format!("{shown} is not a file"))
                .fix("point exec at a program");
        }
        Ok(meta) if !is_executable(&path, &meta) => {
            return check(name, Status::Fail, format!("{shown} is not executable"))
                .fix(format!("chmod +x {shown}"));
        }
        Ok(_) => {}
    }
    for arg in &argv[1..] {
        if (arg.starts_with("./") || arg.starts_with("../")) && !Path::new(arg).exists() {
            return missing(format!(
                "{shown} is executable, but its argument {arg} does not exist (from {here})"
            ));
        }
    }
    check(name, Status::Ok, format!("{shown} is executable"))
}

#[cfg(unix)]
fn is_executable(_path: &Path, meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn is_executable(_path: &Path, _meta: &std::fs::Metadata) -> bool {
    true
}

/// The `${VAR}` names a header value refers to.
fn env_refs(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = value;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        out.push(after[..end].to_owned());
        rest = &after[end + 1..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_env_references() {
        assert_eq!(env_refs("Bearer ${A} ${B}x${"), ["A", "B"]);
    }

    #[test]
    fn programs_are_found_as_run_finds_them() {
        let ok = exec_check("h".into(), &["sh".into(), "-c".into(), "true".into()]);
        assert_eq!(ok.status, Status::Ok, "{}", ok.message);
        let gone = exec_check("h".into(), &["pipectl-no-such-program".into()]);
        assert_eq!(gone.status, Status::Fail);
        assert!(gone.message.contains("not on PATH"), "{}", gone.message);
        let script = exec_check("h".into(), &["sh".into(), "./no-such-script.sh".into()]);
        assert_eq!(script.status, Status::Fail);
        assert!(
            script.message.contains("./no-such-script.sh"),
            "{}",
            script.message
        );
    }
}
