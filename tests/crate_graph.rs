//! The crate graph keeps the layers (ARCHITECTURE.md): no pure crate reaches git2, ureq, rustls, clap, indicatif or the terminal, even through another crate, and none of their sources names the file system, the network, processes or the environment. Read from Cargo.lock and the sources: offline, no cargo run.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What the edges bring in: no pure crate may depend on any of these, however indirectly.
const EDGES: &[&str] = &[
    "git2",
    "libgit2-sys",
    "ureq",
    "rustls",
    "clap",
    "indicatif",
    "console",
    "signal-hook",
];

/// Every crate under `crates/`, and what it may not reach besides: a pure crate none of
/// `EDGES`; the HTTP edge no git; the git edge no HTTP. A new crate fails the test until it
/// is named here.
fn classes() -> BTreeMap<&'static str, Vec<&'static str>> {
    let pure = [
        "prov-config",
        "prov-diff",
        "prov-matching",
        "prov-model",
        "prov-normalize",
        "prov-provenance",
        "prov-report",
        "prov-testing",
        "prov-text",
        "prov-watch",
    ];
    let mut out: BTreeMap<&str, Vec<&str>> = pure.iter().map(|c| (*c, EDGES.to_vec())).collect();
    let terminal = ["clap", "indicatif", "console", "signal-hook"];
    let mut fetch = vec!["git2", "libgit2-sys"];
    fetch.extend(terminal);
    out.insert("prov-fetch", fetch);
    let mut archive = vec!["ureq", "rustls"];
    archive.extend(terminal);
    out.insert("prov-archive", archive);
    out
}

/// Each package of Cargo.lock with the names of the packages it depends on (of any kind:
/// the lock does not say, so dev-dependencies count too, which is stricter).
fn lock_graph(lock: &str) -> BTreeMap<String, Vec<String>> {
    let mut graph = BTreeMap::new();
    for block in lock.split("[[package]]").skip(1) {
        let mut name = None;
        let mut deps = Vec::new();
        let mut in_deps = false;
        for line in block.lines() {
            let line = line.trim();
            if let Some(n) = line.strip_prefix("name = ") {
                name = Some(n.trim_matches('"').to_string());
            } else if line == "dependencies = [" {
                in_deps = true;
            } else if in_deps && line == "]" {
                in_deps = false;
            } else if in_deps {
                // ` "name",` or ` "name 1.2.3",` when two versions are locked.
                let d = line.trim_end_matches(',').trim_matches('"');
                deps.push(d.split(' ').next().unwrap_or(d).to_string());
            }
        }
        if let Some(n) = name {
            graph.entry(n).or_insert_with(Vec::new).extend(deps);
        }
    }
    graph
}

fn reached(graph: &BTreeMap<String, Vec<String>>, from: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![from.to_string()];
    while let Some(p) = todo.pop() {
        for d in graph.get(&p).into_iter().flatten() {
            if seen.insert(d.clone()) {
                todo.push(d.clone());
            }
        }
    }
    seen
}

#[test]
fn no_crate_reaches_what_its_layer_forbids() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).expect("Cargo.lock");
    let graph = lock_graph(&lock);
    assert!(graph.contains_key("git2"), "Cargo.lock was not read");
    let classes = classes();
    let mut members = BTreeSet::new();
    for entry in std::fs::read_dir(root.join("crates")).expect("crates/") {
        let manifest = entry.expect("entry").path().join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest).expect("a member's Cargo.toml");
        let name = text
            .lines()
            .find_map(|l| l.strip_prefix("name = "))
            .map(|n| n.trim_matches('"').to_string())
            .expect("a package name");
        members.insert(name);
    }
    let named: BTreeSet<String> = classes.keys().map(|c| c.to_string()).collect();
    assert_eq!(
        members, named,
        "every crate under crates/ is given its layer here"
    );
    let mut wrong = Vec::new();
    for (krate, forbidden) in &classes {
        assert!(graph.contains_key(*krate), "{krate} is not in Cargo.lock");
        let reach = reached(&graph, krate);
        for f in forbidden {
            if reach.contains(*f) {
                wrong.push(format!("{krate} reaches {f}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    // The test can fail: the root reaches every edge.
    let prov = reached(&graph, "prov");
    assert!(EDGES.iter().all(|e| prov.contains(*e)), "{prov:?}");
}

/// Sources of the pure crates, test modules aside, name no file system, network, process or
/// environment: I/O is the edges'.
#[test]
fn pure_sources_touch_no_io() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let pure: Vec<&str> = classes()
        .into_iter()
        .filter(|(_, f)| f.len() == EDGES.len())
        .map(|(c, _)| c)
        // The property tests' seed reads PROPTEST_CASES: test support, not a stage.
        .filter(|c| *c != "prov-testing")
        .collect();
    let mut wrong = Vec::new();
    let mut files = 0;
    for krate in pure {
        let dir = root.join("crates").join(krate.trim_start_matches("prov-"));
        let mut todo = vec![dir.join("src")];
        while let Some(d) = todo.pop() {
            for entry in std::fs::read_dir(&d).expect("a source folder") {
                let p = entry.expect("entry").path();
                if p.is_dir() {
                    todo.push(p);
                    continue;
                }
                if p.extension().is_none_or(|e| e != "rs") || p.ends_with("tests.rs") {
                    continue;
                }
                files += 1;
                let text = std::fs::read_to_string(&p).expect("a source file");
                let code = crate_code(&text);
                for io in [
                    "std::fs",
                    "fs::",
                    "std::net",
                    "std::process",
                    "std::env",
                    "File::",
                    "SystemTime::now",
                    "Instant::now",
                    "stdin()",
                    "stdout()",
                ] {
                    if code.contains(io) {
                        wrong.push(format!("{} names {io}", p.display()));
                    }
                }
            }
        }
    }
    assert!(files > 50, "only {files} source files read");
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// A file's code without what only its tests compile: a `#[cfg(test)]` item ending on its
/// own line (`mod tests;`, a `use`) is left out, and an inline test module (`mod tests {`,
/// at a file's end by this codebase's rule) ends the crate's code.
fn crate_code(text: &str) -> String {
    let mut code = String::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line.trim() != "#[cfg(test)]" {
            code.push_str(line);
            code.push('\n');
            continue;
        }
        match lines.next() {
            Some(item) if item.trim_end().ends_with(';') => {}
            _ => break,
        }
    }
    code
}

#[test]
fn a_test_module_declared_at_the_top_hides_no_code() {
    let text = "use a;\n#[cfg(test)]\nmod tests;\nfn f() { std::fs::read(\"x\"); }\n\
                #[cfg(test)]\nmod inline {\n fn g() { std::fs::read(\"y\"); }\n}\n";
    let code = crate_code(text);
    assert!(code.contains("std::fs::read(\"x\")"), "{code}");
    assert!(!code.contains("\"y\""), "{code}");
}
