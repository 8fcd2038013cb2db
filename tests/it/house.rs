//! The shape of the code, checked: no import cycle between the modules of `src/` (each
//! top-level module, a file or a folder, is a node; `crate::x` anywhere in it is an edge), and
//! no source file too long to read at once.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Files longer than this are split by what they do.
const MAX_LINES: usize = 500;

fn sources() -> Vec<PathBuf> {
    let mut todo = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    let mut files = Vec::new();
    while let Some(path) = todo.pop() {
        if path.is_dir() {
            todo.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// The top-level module a file belongs to (`store` for src/store/lease.rs), `None` for the
/// crate root.
fn module_of(path: &Path) -> Option<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let rel = path.strip_prefix(&src).ok()?;
    let first = rel
        .components()
        .next()?
        .as_os_str()
        .to_string_lossy()
        .into_owned();
    let name = first.trim_end_matches(".rs").to_owned();
    (!matches!(name.as_str(), "lib" | "main")).then_some(name)
}

/// Module → the other top-level modules it names (`crate::x`).
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for path in sources() {
        let Some(from) = module_of(&path) else {
            continue;
        };
        let text = std::fs::read_to_string(&path).unwrap();
        let deps = edges.entry(from.clone()).or_default();
        for (i, _) in text.match_indices("crate::") {
            let name: String = text[i + 7..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() && name != from {
                deps.insert(name);
            }
        }
    }
    edges
}

/// Every cycle's modules (strongly connected components of more than one module).
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    // Reachability by repeated search: the graph has a few dozen nodes.
    let reach = |from: &str| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_owned()];
        while let Some(n) = todo.pop() {
            for m in edges.get(&n).into_iter().flatten() {
                if seen.insert(m.clone()) {
                    todo.push(m.clone());
                }
            }
        }
        seen
    };
    let reachable: BTreeMap<&String, BTreeSet<String>> =
        edges.keys().map(|k| (k, reach(k))).collect();
    let mut found: Vec<Vec<String>> = Vec::new();
    for (a, from_a) in &reachable {
        let mut component: Vec<String> = from_a
            .iter()
            .filter(|b| *b != *a && reachable.get(b).is_some_and(|r| r.contains(*a)))
            .cloned()
            .collect();
        if component.is_empty() {
            continue;
        }
        component.push((*a).clone());
        component.sort();
        if !found.contains(&component) {
            found.push(component);
        }
    }
    found
}

#[test]
fn no_import_cycle_between_the_modules_of_src() {
    let edges = graph();
    assert!(edges.len() > 10, "{edges:?}");
    let found = cycles(&edges);
    let explain: Vec<String> = found
        .iter()
        .map(|c| {
            let inner: Vec<String> = c
                .iter()
                .map(|m| {
                    let deps: Vec<&String> = edges[m].iter().filter(|d| c.contains(d)).collect();
                    format!("{m} -> {deps:?}")
                })
                .collect();
            inner.join("; ")
        })
        .collect();
    assert!(
        found.is_empty(),
        "import cycles in src/:\n  {}",
        explain.join("\n  ")
    );
}

#[test]
fn no_source_file_is_too_long_to_read_at_once() {
    let long: Vec<String> = sources()
        .iter()
        .filter_map(|p| {
            let n = std::fs::read_to_string(p).unwrap().lines().count();
            (n > MAX_LINES).then(|| format!("{} ({n} lines)", p.display()))
        })
        .collect();
    assert!(
        long.is_empty(),
        "source files over {MAX_LINES} lines:\n  {}",
        long.join("\n  ")
    );
}
