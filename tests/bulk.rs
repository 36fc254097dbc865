//! Bulk capture (`prov snapshot --from`): per-source output and errors, commits identical to
//! one-by-one capture, and a killed bulk run leaving the archive consistent.

// Test helpers unwrap: a failure there is a failed test, reported with its location.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Env, P1, P2, P3, P4, article};

/// Pages for a list: two copies of one story (by URL), an edited version, an unrelated
/// story, and the first file again (unchanged).
fn files(env: &Env) -> Vec<String> {
    let edited = [P1, &P2.replace("background", "history"), P3, P4];
    let pages = [
        (
            "a.txt",
            article("A story about the capital", &[P1, P2, P3, P4]),
        ),
        ("b.txt", article("A story about the capital", &edited)),
        ("c.txt", article("Another story entirely", &[P3, P1])),
        ("d.txt", article("A story about the capital", &[P2, P1, P3])),
    ];
    let mut out = Vec::new();
    // Named relative to the archive (where prov runs), so that two archives record the
    // same sources.
    for (name, text) in pages {
        env.file(name, text);
        out.push(format!("../in/{name}"));
    }
    out
}

/// The list: `path<TAB>url<TAB>time` lines and plain paths, with a comment and a blank line.
fn list(f: &[String]) -> String {
    format!(
        "# saved pages\n{a}\thttps://news.example/story\t2024-05-01T10:00:00Z\n\
         {b}\thttps://news.example/story\t2024-05-02T10:00:00Z\n\n\
         {c}\n{d}\thttps://other.example/story\t2024-05-03T10:00:00Z\n{a}\thttps://news.example/story\t2024-05-01T10:00:00Z\n",
        a = f[0],
        b = f[1],
        c = f[2],
        d = f[3]
    )
}

#[test]
fn a_list_gives_the_same_commits_and_output_as_one_by_one() {
    let bulk = Env::new();
    let one = Env::new();
    let f = files(&bulk);
    let listed = bulk.file("list.txt", list(&f));
    let run = bulk.prov(&["snapshot", "--from", listed.to_str().unwrap()]);
    let out = run.ok();
    assert!(
        out.contains("captured the-story-about-the-capital")
            || out.contains("captured a-story-about-the-capital"),
        "{out}"
    );
    assert!(out.contains("unchanged, the same bytes as"), "{out}");
    assert_eq!(out.matches(": captured ").count(), 4, "{out}");

    // The same captures, one command each, in the same order, under the same clock.
    let g = files(&one);
    let steps: [&[&str]; 5] = [
        &[
            &g[0],
            "--url",
            "https://news.example/story",
            "--at",
            "2024-05-01T10:00:00Z",
        ],
        &[
            &g[1],
            "--url",
            "https://news.example/story",
            "--at",
            "2024-05-02T10:00:00Z",
        ],
        &[&g[2]],
        &[
            &g[3],
            "--url",
            "https://other.example/story",
            "--at",
            "2024-05-03T10:00:00Z",
        ],
        &[
            &g[0],
            "--url",
            "https://news.example/story",
            "--at",
            "2024-05-01T10:00:00Z",
        ],
    ];
    let mut lines = String::new();
    for s in steps {
        let mut args = vec!["snapshot"];
        args.extend_from_slice(s);
        lines.push_str(one.prov(&args).ok());
    }
    assert_eq!(bulk.head(), one.head(), "the commits differ");
    assert_eq!(out, lines);
    assert_eq!(bulk.status(), "");
    assert_eq!(bulk.prov(&["verify"]).code, 0);
    let fsck = bulk
        .command("git")
        .args(["fsck", "--strict"])
        .output()
        .unwrap();
    assert!(fsck.status.success(), "{fsck:?}");
    // One commit per capture, each with its trailers.
    assert_eq!(bulk.git(&["rev-list", "--count", "HEAD"]).trim(), "5");
    assert_eq!(
        bulk.git(&["log", "--format=%(trailers:key=Prov-Copy,valueonly)", "-1"])
            .trim(),
        "other.example"
    );
}

#[test]
fn the_same_list_twice_under_the_same_clock_gives_the_same_commits() {
    let heads: Vec<String> = (0..2)
        .map(|_| {
            let env = Env::new();
            let f = files(&env);
            let listed = env.file("list.txt", list(&f));
            let run = env.prov(&[
                "snapshot",
                "--from",
                listed.to_str().unwrap(),
                "--jobs",
                "2",
            ]);
            run.ok();
            env.head()
        })
        .collect();
    assert_eq!(heads[0], heads[1]);
}

#[test]
fn a_missing_file_is_named_and_the_others_are_still_captured() {
    let env = Env::new();
    let f = files(&env);
    let missing = env.tmp.path().join("in").join("gone.txt");
    let listed = env.file(
        "list.txt",
        format!("{}\n{}\n{}\n", f[0], missing.display(), f[2]),
    );
    let run = env.prov(&["snapshot", "--from", listed.to_str().unwrap()]);
    // As with several sources on the command line: the good ones are captured, the run
    // says which one failed and why, and exits 2.
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("gone.txt"), "{}", run.stderr);
    assert_eq!(
        run.stdout.matches(": captured ").count(),
        2,
        "{}{}{}",
        run.stdout,
        run.stderr,
        env.git(&["log", "--stat"])
    );
    assert_eq!(env.git(&["rev-list", "--count", "HEAD"]).trim(), "3");
    assert_eq!(env.status(), "");
}

#[test]
fn a_malformed_line_refuses_the_run_before_anything_is_captured() {
    let env = Env::new();
    let f = files(&env);
    let head = env.head();
    let listed = env.file(
        "list.txt",
        format!("{}\n{}\thttps://x.example/\tnot a time\n", f[0], f[1]),
    );
    let run = env.prov(&["snapshot", "--from", listed.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("line 2"), "{}", run.stderr);
    assert_eq!(env.head(), head);
}

#[test]
fn a_killed_bulk_run_leaves_whole_captures_or_none() {
    for (point, lands) in [
        ("after-pending", false),
        ("before-commit", false),
        ("after-commit", true),
    ] {
        for next in ["verify", "snapshot"] {
            let env = Env::new();
            let head = env.head();
            let f = files(&env);
            let listed = env.file("list.txt", list(&f));
            let out = env
                .prov_cmd()
                .env("PROV_TEST_CRASH", point)
                .args(["snapshot", "--from", listed.to_str().unwrap()])
                .output()
                .unwrap();
            assert!(!out.status.success(), "{point}: the hook did not fire");
            if next == "verify" {
                let v = env.prov(&["verify"]);
                assert_eq!(v.code, 0, "{point}: {}", v.stdout);
            } else {
                // The next bulk run recovers first, then captures what is missing.
                env.prov(&["snapshot", "--from", listed.to_str().unwrap()])
                    .ok();
                assert_eq!(env.prov(&["verify"]).code, 0, "{point}");
            }
            assert_eq!(env.status(), "", "{point} then {next}");
            let commits = env.git(&["rev-list", "--count", &format!("{head}..HEAD")]);
            // A chunk lands whole (four captures) or not at all.
            let want = if lands || next == "snapshot" { 4 } else { 0 };
            assert_eq!(commits.trim(), want.to_string(), "{point} then {next}");
            let fsck = env
                .command("git")
                .args(["fsck", "--strict", "--no-dangling"])
                .output()
                .unwrap();
            assert!(fsck.status.success(), "{point}: {fsck:?}");
        }
    }
}

#[test]
fn a_sparse_archive_takes_a_list_with_raw_files_in_git_alone() {
    let full = Env::new();
    let sparse = Env::empty();
    sparse.prov(&["init", "--sparse", sparse.root.to_str().unwrap()]);
    let mut heads = vec![];
    for env in [&full, &sparse] {
        let f = files(env);
        let listed = env.file("list.txt", list(&f));
        env.prov(&["snapshot", "--from", listed.to_str().unwrap()])
            .ok();
        heads.push(env.head());
    }
    assert_eq!(heads[0], heads[1], "sparse or not, the same commits");
    let raws: Vec<String> = sparse
        .git(&["ls-files", "-v", "snapshots"])
        .lines()
        .filter(|l| l.contains("/raw."))
        .map(String::from)
        .collect();
    assert_eq!(raws.len(), 4, "{raws:?}");
    for line in &raws {
        assert!(line.starts_with("S "), "skip-worktree: {line}");
        let path = &line[2..];
        assert!(!sparse.root.join(path).exists(), "{path} left out");
        assert!(full.root.join(path).exists(), "{path} kept when not sparse");
    }
    assert_eq!(sparse.status(), "", "plain git sees a clean work tree");
    let first = sparse.git(&["log", "--reverse", "--format=%s"]);
    let capture = first
        .lines()
        .find(|l| l.starts_with("Capture "))
        .and_then(|l| l.rsplit(' ').next())
        .unwrap()
        .to_string();
    let raw = sparse.prov(&["show", "--raw", &capture]);
    assert!(
        raw.ok().contains("A story about the capital"),
        "{}",
        raw.ok()
    );
    let verify = sparse.prov(&["verify"]);
    assert_eq!(verify.code, 0, "{}", verify.stdout);
}

/// A bulk run remembers each capture's folder as its commit has it, so that a first
/// `verify` need not read every adding commit's trees: the very facts `verify` would learn.
#[test]
fn a_bulk_run_records_the_folder_facts_verify_would_learn() {
    let env = Env::new();
    let f = files(&env);
    let listed = env.file("list.txt", list(&f));
    env.prov(&["snapshot", "--from", listed.to_str().unwrap()])
        .ok();
    let facts = env.root.join(".git/prov/folder-facts");
    let sorted = |text: &str| {
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        lines.sort();
        lines
    };
    let recorded = std::fs::read_to_string(&facts).unwrap();
    assert_eq!(recorded.lines().count(), 4, "one per capture: {recorded}");
    assert_eq!(env.prov(&["verify"]).code, 0);
    assert_eq!(
        std::fs::read_to_string(&facts).unwrap(),
        recorded,
        "verify learned nothing new"
    );
    std::fs::remove_file(&facts).unwrap();
    assert_eq!(env.prov(&["verify"]).code, 0);
    let learned = std::fs::read_to_string(&facts).unwrap();
    assert_eq!(sorted(&learned), sorted(&recorded));
}
