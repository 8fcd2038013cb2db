//! completions/ and man/ are generated from the clap definitions and committed; this test
//! regenerates them into a temp dir and fails while the committed files differ.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::support::*;

use pipectl::commands::generate::REGENERATE;

/// Every file under `dir/sub`, by its path relative to `dir`.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    for sub in ["completions", "man", "docs/schema"] {
        let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_file() {
                let rel = path.strip_prefix(dir).unwrap().to_owned();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

#[test]
fn committed_completions_and_man_pages_are_up_to_date() {
    let tmp = tempfile::tempdir().unwrap();
    let out = pipectl_in(tmp.path())
        .args(["generate", "--out-dir"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert_code(&out, 0);

    let fresh = files(tmp.path());
    let committed = files(Path::new(env!("CARGO_MANIFEST_DIR")));
    assert!(
        fresh.len() > 5,
        "generate wrote too little: {:?}",
        fresh.keys()
    );

    let mut problems = Vec::new();
    for (path, bytes) in &fresh {
        match committed.get(path) {
            None => problems.push(format!("missing: {}", path.display())),
            Some(old) if old != bytes => problems.push(format!("differs: {}", path.display())),
            Some(_) => {}
        }
    }
    for path in committed.keys() {
        if !fresh.contains_key(path) {
            problems.push(format!("no longer generated: {}", path.display()));
        }
    }
    assert!(
        problems.is_empty(),
        "the committed completions/ and man/ are out of date with the command-line definitions:\n  {}\nrun `{REGENERATE}` and commit the result",
        problems.join("\n  ")
    );
}

#[test]
fn generate_replaces_stale_man_pages() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("man")).unwrap();
    write_file(&tmp.path().join("man"), "pipectl-gone.1", "old");
    write_file(&tmp.path().join("man"), "other-tool.1", "keep");
    let out = pipectl_in(tmp.path())
        .args(["generate", "--out-dir", "."])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert!(!tmp.path().join("man/pipectl-gone.1").exists());
    assert!(tmp.path().join("man/other-tool.1").exists());
    assert!(tmp.path().join("man/pipectl-dead-retry.1").exists());
    assert!(tmp.path().join("completions/pipectl.bash").exists());
}
