//! The command line on temporary archives: every command, every reference form, bad input.

// Test helpers unwrap: a failure there is a failed test, reported with its location.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Env, P1, P2, P3, P4, URL, article};

fn story() -> String {
    article("A story about the capital", &[P1, P2, P3, P4])
}

fn edited() -> String {
    article(
        "A story about the capital",
        &[P1, &P2.replace("background", "history"), P3, P4],
    )
}

/// Capture `text` as a file with the given time, returning the capture id.
fn snap(env: &Env, name: &str, text: &str, extra: &[&str]) -> String {
    let f = env.file(name, text);
    let mut args = vec!["snapshot", f.to_str().unwrap(), "--json"];
    args.extend_from_slice(extra);
    let out = env.prov(&args);
    let line: serde_json::Value = serde_json::from_str(out.ok().trim()).unwrap();
    line["capture"].as_str().unwrap().to_string()
}

#[test]
fn init_makes_an_archive_with_one_commit() {
    let env = Env::new();
    for f in [
        "prov.toml",
        ".gitattributes",
        "snapshots/.gitkeep",
        "reports/.gitkeep",
    ] {
        assert!(env.root.join(f).exists(), "{f}");
    }
    assert_eq!(
        std::fs::read_to_string(env.root.join(".gitattributes")).unwrap(),
        "snapshots/** -text\n"
    );
    assert_eq!(
        env.git(&["log", "--format=%an <%ae> %s"]).trim(),
        "prov <prov@localhost> Make this repository a prov archive"
    );
    assert_eq!(env.status(), "");
    let again = env.prov(&["init", env.root.to_str().unwrap()]);
    assert!(again.error().contains("already a prov archive"));
}

#[test]
fn init_adopts_a_repository_and_leaves_the_users_changes_alone() {
    let env = Env::empty();
    std::fs::create_dir_all(&env.root).unwrap();
    env.git(&["init", "-q", "-b", "trunk"]);
    std::fs::write(env.root.join("notes.md"), "mine\n").unwrap();
    env.git(&["add", "notes.md"]);
    env.git(&[
        "-c",
        "user.name=A",
        "-c",
        "user.email=a@x",
        "commit",
        "-qm",
        "mine",
    ]);
    std::fs::write(env.root.join("staged.md"), "staged\n").unwrap();
    env.git(&["add", "staged.md"]);
    std::fs::write(env.root.join("notes.md"), "mine, edited\n").unwrap();
    assert!(env.prov(&["init"]).ok().contains("a prov archive"));
    assert_eq!(env.git(&["rev-list", "--count", "HEAD"]).trim(), "2");
    assert_eq!(env.git(&["branch", "--show-current"]).trim(), "trunk");
    // The commit holds prov's files alone; the user's staged and unstaged changes stay as they were.
    let files = env.git(&["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(
        files,
        ".gitattributes\nprov.toml\nreports/.gitkeep\nsnapshots/.gitkeep\n"
    );
    assert_eq!(env.status(), " M notes.md\nA  staged.md\n");
}

#[test]
fn snapshot_commits_one_capture_with_trailers_and_meta() {
    let env = Env::new();
    let id = snap(
        &env,
        "story.txt",
        &story(),
        &["--url", URL, "--at", "2018-05-04T10:12:00Z"],
    );
    assert!(id.starts_with("20180504T101200Z-"), "{id}");
    let dir = env.root.join(format!(
        "snapshots/a-story-about-the-capital/aljazeera.com/{id}"
    ));
    assert_eq!(
        std::fs::read_to_string(dir.join("raw.txt")).unwrap(),
        story()
    );
    let text = std::fs::read_to_string(dir.join("text.txt")).unwrap();
    assert!(
        text.starts_with("# A story about the capital\n\n"),
        "{text}"
    );
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("meta.json")).unwrap()).unwrap();
    assert_eq!(meta["url"], URL);
    assert_eq!(meta["captured_at"], "2018-05-04T10:12:00Z");
    assert_eq!(meta["captured_at_source"], "declared");
    assert_eq!(meta["archived_at"], "2026-01-01T00:00:00Z");
    assert_eq!(meta["filed_by"], "title");
    assert_eq!(meta["raw"]["size"], story().len());
    assert_eq!(meta["raw"]["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(meta["text"]["sha256"].as_str().unwrap().len(), 64);
    assert!(meta["normalizer"]["version"].as_u64().unwrap() >= 1);
    let msg = env.git(&["log", "-1", "--format=%B"]);
    assert!(msg.contains(&format!("Prov-Capture: {id}\n")), "{msg}");
    assert!(
        msg.contains("Prov-Article: a-story-about-the-capital\nProv-Copy: aljazeera.com\n"),
        "{msg}"
    );
    assert_eq!(
        env.git(&["log", "-1", "--format=%an <%ae>"]).trim(),
        "prov <prov@localhost>"
    );
    assert_eq!(env.status(), "");
    let fsck = env
        .command("git")
        .args(["fsck", "--strict"])
        .output()
        .unwrap();
    assert!(
        fsck.status.success() && fsck.stdout.is_empty() && fsck.stderr.is_empty(),
        "{fsck:?}"
    );
}

#[test]
fn same_bytes_record_nothing_and_a_known_url_joins_its_article() {
    let env = Env::new();
    snap(
        &env,
        "a.txt",
        &story(),
        &["--url", URL, "--article", "capital-story"],
    );
    let head = env.head();
    let f = env.file("a.txt", story());
    let out = env.prov(&["snapshot", f.to_str().unwrap(), "--url", URL]);
    assert!(
        out.ok().contains("unchanged, the same bytes"),
        "{}",
        out.stdout
    );
    assert_eq!(env.head(), head);
    let mut env = env;
    env.set_now("2026-01-02T00:00:00Z");
    let f = env.file("b.txt", edited());
    let out = env.prov(&["snapshot", f.to_str().unwrap(), "--url", URL, "--json"]);
    let line: serde_json::Value = serde_json::from_str(out.ok().trim()).unwrap();
    assert_eq!(line["article"], "capital-story");
    assert_eq!(line["copy"], "aljazeera.com");
    assert_eq!(line["new"], true);
    assert_eq!(line["change"], "+1 -1 words");
    for key in [
        "source",
        "capture",
        "commit",
        "raw_sha256",
        "text_sha256",
        "stripped",
    ] {
        assert!(line.get(key).is_some(), "{key}");
    }
}

#[test]
fn stdin_is_a_source() {
    let env = Env::new();
    let out = env.prov_stdin(&["snapshot", "-", "--copy", "pasted"], story().as_bytes());
    assert!(
        out.ok()
            .contains("captured a-story-about-the-capital/pasted "),
        "{}",
        out.stdout
    );
    let meta = env.prov(&["show", "--meta", "a-story-about-the-capital"]);
    assert!(meta.ok().contains("\"source\": \"-\""));
}

#[test]
fn commit_ids_are_reproducible_under_a_fixed_clock_and_identity() {
    let heads: Vec<String> = (0..2)
        .map(|_| {
            let env = Env::new();
            env.file("a.txt", story());
            // The source is named as given, so give it the same way in both archives.
            env.prov(&[
                "snapshot",
                "../in/a.txt",
                "--url",
                URL,
                "--at",
                "2018-05-04T10:12:00Z",
            ])
            .ok();
            env.head()
        })
        .collect();
    assert_eq!(heads[0], heads[1]);
}

#[test]
fn the_users_other_changes_are_left_alone() {
    let env = Env::new();
    std::fs::write(env.root.join("notes.md"), "staged\n").unwrap();
    env.git(&["add", "notes.md"]);
    std::fs::write(
        env.root.join("prov.toml"),
        format!(
            "{}\n# my edit\n",
            std::fs::read_to_string(env.root.join("prov.toml")).unwrap()
        ),
    )
    .unwrap();
    snap(&env, "a.txt", &story(), &[]);
    assert_eq!(env.status(), "A  notes.md\n M prov.toml\n");
    let files = env.git(&["show", "--name-only", "--format=", "HEAD"]);
    assert!(
        !files.contains("notes.md") && !files.contains("prov.toml"),
        "{files}"
    );
}

#[test]
fn unsafe_states_are_refused() {
    let env = Env::new();
    snap(&env, "a.txt", &story(), &[]);
    let f = env.file("b.txt", edited());
    let head = env.head();
    env.git(&["checkout", "-q", "--detach"]);
    assert!(
        env.prov(&["snapshot", f.to_str().unwrap()])
            .error()
            .contains("detached")
    );
    env.git(&["checkout", "-q", "-"]);
    std::fs::write(env.root.join(".git/MERGE_HEAD"), format!("{head}\n")).unwrap();
    assert!(
        env.prov(&["snapshot", f.to_str().unwrap()])
            .error()
            .contains("merge is in progress")
    );
    std::fs::remove_file(env.root.join(".git/MERGE_HEAD")).unwrap();
    std::fs::create_dir_all(env.root.join(".git/rebase-merge")).unwrap();
    assert!(
        env.prov(&["snapshot", f.to_str().unwrap()])
            .error()
            .contains("rebase is in progress")
    );
    std::fs::remove_dir_all(env.root.join(".git/rebase-merge")).unwrap();
    // A conflicted index: stage 1-3 entries for one path.
    let blob = env
        .git(&["hash-object", "-w", "prov.toml"])
        .trim()
        .to_string();
    let entries =
        format!("100644 {blob} 1\tx.txt\n100644 {blob} 2\tx.txt\n100644 {blob} 3\tx.txt\n");
    let mut child = env
        .command("git")
        .args(["update-index", "--index-info"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(entries.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
    assert!(
        env.prov(&["snapshot", f.to_str().unwrap()])
            .error()
            .contains("conflicts")
    );
    env.git(&["rm", "-q", "--cached", "x.txt"]);
    assert_eq!(env.head(), head);
    snap(&env, "b.txt", &edited(), &[]);
}

#[test]
fn bad_input_gets_one_sentence_and_leaves_the_archive_as_it_was() {
    let env = Env::new();
    let head = env.head();
    let cases: Vec<(std::path::PathBuf, &str)> = vec![
        (env.tmp.path().join("missing.html"), "no such file"),
        (env.tmp.path().to_path_buf(), "directory"),
    ];
    for (path, cause) in cases {
        let out = env.prov(&["snapshot", path.to_str().unwrap()]);
        let msg = out.error();
        assert!(
            msg.contains(path.file_name().unwrap().to_str().unwrap()),
            "names the source: {msg}"
        );
        assert!(
            msg.to_lowercase().contains(&cause.to_lowercase()),
            "{cause}: {msg}"
        );
        assert_eq!(env.head(), head);
        assert_eq!(env.status(), "");
    }
}

#[test]
fn good_sources_are_captured_when_others_fail() {
    let env = Env::new();
    let good = env.file("good.txt", story());
    let out = env.prov(&["snapshot", "/nonexistent/x.html", good.to_str().unwrap()]);
    assert_eq!(out.code, 2);
    assert!(out.stdout.contains("captured"), "{}", out.stdout);
    assert!(out.stderr.contains("/nonexistent/x.html"), "{}", out.stderr);
    assert_eq!(env.git(&["rev-list", "--count", "HEAD"]).trim(), "2");
}

/// A run over several sources ends with one line counting what they came to, and a failed
/// source's error comes after its progress line.
#[test]
fn a_run_over_many_sources_ends_with_a_summary_line() {
    let env = Env::new();
    let a = env.file("a.txt", story());
    let b = env.file("b.txt", edited());
    let missing = env.root.join("missing.txt");
    let run = env.prov(&[
        "snapshot",
        a.to_str().unwrap(),
        missing.to_str().unwrap(),
        b.to_str().unwrap(),
        a.to_str().unwrap(),
        "--article",
        "story",
    ]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    let lines: Vec<&str> = run.stderr.lines().collect();
    let progress = lines
        .iter()
        .position(|l| l.starts_with("prov: [2/4] ") && l.ends_with("missing.txt"))
        .unwrap_or_else(|| panic!("{}", run.stderr));
    assert!(
        lines[progress + 1].contains("missing.txt"),
        "{}",
        run.stderr
    );
    assert_eq!(
        lines.last().copied(),
        Some("prov: 4 sources: 2 captured, 1 unchanged, 1 failed"),
        "{}",
        run.stderr
    );
    // Not a terminal: the unchanged source has its line on stdout.
    assert!(
        run.stdout.contains(": unchanged, the same bytes as"),
        "{}",
        run.stdout
    );
    // One source: no summary.
    let one = env.prov(&["snapshot", a.to_str().unwrap()]);
    assert_eq!(one.stderr, "");
}

#[test]
fn hostile_names_are_refused() {
    let env = Env::new();
    let f = env.file("a.txt", story());
    for bad in ["../escape", "/abs", "a/b", "..", "UPPER", "nul"] {
        let out = env.prov(&["snapshot", f.to_str().unwrap(), "--article", bad]);
        assert!(out.error().contains("cannot be used"), "{bad}");
    }
    assert_eq!(env.status(), "");
}

/// An archive with two copies and three captures:
/// @1 local (story), @2 aljazeera.com (story), @3 local (edited).
fn three_captures() -> (Env, Vec<String>) {
    let mut env = Env::new();
    let a = snap(
        &env,
        "a.txt",
        &story(),
        &["--article", "story", "--at", "2018-05-04T10:00:00Z"],
    );
    env.set_now("2026-01-02T00:00:00Z");
    let b = snap(
        &env,
        "b.txt",
        &story(),
        &[
            "--article",
            "story",
            "--url",
            URL,
            "--at",
            "2018-05-05T10:00:00Z",
        ],
    );
    env.set_now("2026-01-03T00:00:00Z");
    let c = snap(
        &env,
        "c.txt",
        &edited(),
        &["--article", "story", "--at", "2018-05-06T10:00:00Z"],
    );
    (env, vec![a, b, c])
}

fn capture_of(env: &Env, reference: &str) -> String {
    let out = env.prov(&["show", "--meta", reference]);
    let meta: serde_json::Value = serde_json::from_str(out.ok()).unwrap();
    meta["capture"].as_str().unwrap().to_string()
}

#[test]
fn every_reference_form_resolves() {
    let (env, ids) = three_captures();
    let cases = [
        ("story", &ids[2]),
        ("story@1", &ids[0]),
        ("story@2", &ids[1]),
        ("story@first", &ids[0]),
        ("story@latest", &ids[2]),
        ("story/local", &ids[2]),
        ("story/local@1", &ids[0]),
        ("story/aljazeera.com", &ids[1]),
        ("story/local@latest", &ids[2]),
    ];
    for (reference, want) in cases {
        assert_eq!(&capture_of(&env, reference), want, "{reference}");
    }
    assert_eq!(capture_of(&env, &ids[1]), ids[1]);
    // A unique prefix of a capture id.
    assert_eq!(capture_of(&env, &ids[1][..18]), ids[1]);
    // A commit id, full or abbreviated.
    let commit = env
        .git(&["log", "-1", "--format=%H", "HEAD~1"])
        .trim()
        .to_string();
    assert_eq!(capture_of(&env, &commit), ids[1]);
    assert_eq!(capture_of(&env, &commit[..10]), ids[1]);
    // A file, cleaned on the fly.
    let f = env.file("x.txt", story());
    let shown = env.prov(&["show", f.to_str().unwrap()]);
    assert!(shown.ok().starts_with("# A story about the capital\n"));
    std::fs::write(env.root.join("local.txt"), story()).unwrap();
    assert!(
        env.prov(&["show", "./local.txt"])
            .ok()
            .starts_with("# A story")
    );
    std::fs::remove_file(env.root.join("local.txt")).unwrap();
}

#[test]
fn unknown_out_of_range_and_ambiguous_references_are_errors() {
    let (env, ids) = three_captures();
    assert!(
        env.prov(&["show", "nothing-here"])
            .error()
            .contains("names no capture")
    );
    assert!(
        env.prov(&["show", "story@9"])
            .error()
            .contains("has 3 capture")
    );
    // Captures made in the same year share a prefix.
    let shared = &ids[0][..4];
    assert!(env.prov(&["show", shared]).error().contains("ambiguous"));
    // A file named like an article is ambiguous unless written as ./story.
    std::fs::write(env.root.join("story"), story()).unwrap();
    let msg = env.prov(&["show", "story"]).error().to_string();
    assert!(
        msg.contains("ambiguous") && msg.contains("the file story"),
        "{msg}"
    );
    assert!(env.prov(&["show", "./story"]).ok().starts_with("# A story"));
    let root_commit = env
        .git(&["rev-list", "--max-parents=0", "HEAD"])
        .trim()
        .to_string();
    assert!(
        env.prov(&["show", &root_commit[..12]])
            .error()
            .contains("records no capture")
    );
}

#[test]
fn diff_shows_the_edit_and_exit_code_reports_it() {
    let (env, _) = three_captures();
    let out = env.prov(&["diff", "story@1", "story@3"]);
    let text = out.ok();
    assert!(text.contains("[-background-]{+history+}"), "{text}");
    assert_eq!(
        env.prov(&["diff", "--exit-code", "story@1", "story@3"])
            .code,
        1
    );
    assert_eq!(
        env.prov(&["diff", "--exit-code", "story@1", "story@2"])
            .code,
        0
    );
    // B omitted: against the previous capture of the same copy.
    let json = env.prov(&["diff", "story@3", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(json.ok()).unwrap();
    assert_eq!(v["identical"], false);
    assert_eq!(v["stats"]["words_inserted"], 1);
    assert_eq!(v["stats"]["words_deleted"], 1);
    assert_eq!(v["changes"][0]["kind"], "replace");
    assert_eq!(v["changes"][0]["a_para"], 2);
    assert_eq!(v["a"]["ref"], "story/local@1");
    // Format 2: each side's capture, copy, time and URL (a file has none of them).
    assert_eq!(v["format"], 2);
    assert_eq!(v["a"]["copy"], "local");
    assert_eq!(v["b"]["captured_at"], "2018-05-06T10:00:00Z");
    assert_eq!(v["a"]["url"], serde_json::Value::Null);
    let f = env.file("x.txt", edited());
    let json = env.prov(&["diff", "story@2", f.to_str().unwrap(), "--json"]);
    let v: serde_json::Value = serde_json::from_str(json.ok()).unwrap();
    assert_eq!(v["a"]["url"], URL);
    assert_eq!(v["a"]["copy"], "aljazeera.com");
    assert_eq!(v["b"]["capture"], serde_json::Value::Null);
    assert_eq!(v["b"]["captured_at"], serde_json::Value::Null);
    let first = env.prov(&["diff", "story@1"]);
    assert!(first.error().contains("first capture"));
}

#[test]
fn diff_of_two_files_needs_no_archive() {
    let env = Env::empty();
    let a = env.file("a.txt", story());
    let b = env.file("b.txt", edited());
    let out = env.prov(&["diff", a.to_str().unwrap(), b.to_str().unwrap(), "--stat"]);
    assert_eq!(out.ok(), "+1 -1 words, similarity 0.983\n");
}

/// Two files are read on two threads, after both are resolved: a missing one on either side
/// is named.
#[test]
fn diff_of_a_missing_file_names_it() {
    let env = Env::empty();
    let a = env.file("a.txt", story());
    let a = a.to_str().unwrap();
    for args in [[a, "missing.txt"], ["missing.txt", a]] {
        let out = env.prov(&["diff", args[0], args[1]]);
        assert!(out.error().contains("missing.txt"), "{}", out.error());
    }
}

#[test]
fn unified_diff_applies_with_patch_to_what_show_prints() {
    let (env, _) = three_captures();
    let a = env.prov(&["show", "story@1"]).ok().to_string();
    let b = env.prov(&["show", "story@3"]).ok().to_string();
    let patch = env
        .prov(&["diff", "--format", "unified", "story@1", "story@3"])
        .ok()
        .to_string();
    let file = env.tmp.path().join("a.txt");
    std::fs::write(&file, &a).unwrap();
    // .ci/run installs patch: its absence is a failure, not a skip.
    let mut child = std::process::Command::new("patch")
        .args(["-s", file.to_str().unwrap()])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(patch.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), b);
}

/// Files laid out as clean texts (saved from `prov show`) are compared as they are, not
/// cleaned again: the title stays `# title`, and a unified diff, `--raw` note and all,
/// applies with `patch` to the file itself.
#[test]
fn clean_text_files_are_compared_as_they_are() {
    let (env, _) = three_captures();
    let a = env.prov(&["show", "story@1"]).ok().to_string();
    let b = env.prov(&["show", "story@3"]).ok().to_string();
    let (fa, fb) = (env.file("a.txt", &a), env.file("b.txt", &b));
    let (fa, fb) = (fa.to_str().unwrap(), fb.to_str().unwrap());
    let json: serde_json::Value =
        serde_json::from_str(env.prov(&["diff", "--json", fa, fb]).ok()).unwrap();
    let title = a.lines().next().unwrap();
    assert!(title.starts_with("# ") && !title.starts_with("# # "));
    let recorded: serde_json::Value =
        serde_json::from_str(env.prov(&["diff", "--json", "story@1", "story@3"]).ok()).unwrap();
    assert_eq!(json["changes"], recorded["changes"]);
    assert_eq!(json["stats"], recorded["stats"]);
    let patch = env
        .prov(&["diff", "--raw", "--format", "unified", fa, fb])
        .ok()
        .to_string();
    assert!(patch.starts_with("prov diff: typography is compared as it is (--raw)"));
    let mut child = std::process::Command::new("patch")
        .args(["-s", fa])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(patch.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
    assert_eq!(std::fs::read_to_string(fa).unwrap(), b);
    // A paste (no `# ` title line) still goes through the normalizer, which makes the
    // same clean text of it.
    let paste = env.file("paste.txt", &a[2..]);
    let again = env.file("again.txt", &a);
    let out = env.prov(&[
        "diff",
        "--stat",
        paste.to_str().unwrap(),
        again.to_str().unwrap(),
    ]);
    assert!(out.ok().starts_with("identical"), "{}", out.stdout);
}

#[test]
fn log_lists_captures_oldest_first_with_their_change() {
    let (env, ids) = three_captures();
    let out = env.prov(&["log", "story"]);
    let lines: Vec<&str> = out.ok().lines().collect();
    assert_eq!(lines.len(), 3);
    // What changed comes before the URL (a file captured without --url has none: `-`).
    assert!(
        lines[0].starts_with(&ids[0])
            && lines[0].contains("story/local")
            && lines[0].ends_with("  first capture  -"),
        "{}",
        lines[0]
    );
    assert!(lines[1].ends_with(&format!("  first capture  {URL}")));
    assert!(lines[2].ends_with("  +1 -1 words    -"), "{}", lines[2]);
    let json: serde_json::Value = serde_json::from_str(env.prov(&["log", "--json"]).ok()).unwrap();
    let entries = json.as_array().unwrap();
    assert_eq!(entries.len(), 3);
    for key in [
        "article",
        "copy",
        "capture",
        "captured_at",
        "url",
        "commit",
        "raw_sha256",
        "text_sha256",
        "change",
    ] {
        assert!(entries[0].get(key).is_some(), "{key}");
    }
    assert_eq!(entries[2]["commit"].as_str().unwrap(), env.head());
    assert!(
        env.prov(&["log", "nope"])
            .error()
            .contains("no article named")
    );
}

#[test]
fn log_chooses_captures_by_count_time_and_copy() {
    let (env, ids) = three_captures();
    let listed = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["log"];
        all.extend_from_slice(args);
        env.prov(&all)
            .ok()
            .lines()
            .map(|l| l.split(' ').next().unwrap().to_string())
            .collect()
    };
    assert_eq!(listed(&["-n", "2"]), vec![ids[1].clone(), ids[2].clone()]);
    assert_eq!(listed(&["story", "-n", "1"]), vec![ids[2].clone()]);
    assert_eq!(
        listed(&["--since", "2018-05-05"]),
        vec![ids[1].clone(), ids[2].clone()]
    );
    // A date alone as --until takes in that whole day.
    assert_eq!(
        listed(&["--until", "2018-05-05"]),
        vec![ids[0].clone(), ids[1].clone()]
    );
    assert_eq!(
        listed(&[
            "--since",
            "2018-05-05T10:00:00Z",
            "--until",
            "2018-05-05T10:00:00Z"
        ]),
        vec![ids[1].clone()]
    );
    assert_eq!(
        listed(&["story/local"]),
        vec![ids[0].clone(), ids[2].clone()]
    );
    assert_eq!(
        listed(&["--copy", "local"]),
        vec![ids[0].clone(), ids[2].clone()]
    );
    assert_eq!(listed(&["sto/aljazeera.com"]), vec![ids[1].clone()]);
    // A change is still against the copy's previous capture when that one is not shown.
    let last = env.prov(&["log", "story/local", "-n", "1"]);
    assert!(last.ok().contains("  +1 -1 words  "), "{}", last.stdout);
    let e = env
        .prov(&["log", "story/nowhere.example"])
        .error()
        .to_string();
    assert!(
        e.contains("no copy named \"nowhere.example\" (its copies: aljazeera.com, local)"),
        "{e}"
    );
    assert!(
        env.prov(&["log", "--since", "yesterday"])
            .error()
            .contains("not a time")
    );
}

#[test]
fn article_names_take_unique_prefixes_and_a_miss_suggests_names() {
    let (env, ids) = three_captures();
    assert_eq!(capture_of(&env, "sto@1"), ids[0]);
    assert_eq!(capture_of(&env, "st/local@latest"), ids[2]);
    let e = env.prov(&["show", "stroy@1"]).error().to_string();
    assert_eq!(
        e,
        "prov: \"stroy@1\" names no capture, article, commit or file; did you mean story?\n"
    );
    // The article right and the copy wrong: its copies are suggested, not articles.
    let e = env.prov(&["show", "sto/locl@1"]).error().to_string();
    assert!(e.ends_with("; did you mean story/local?\n"), "{e}");
    let e = env.prov(&["show", "story/elsewhere"]).error().to_string();
    assert!(
        e.ends_with("; did you mean one of story/aljazeera.com, story/local?\n"),
        "{e}"
    );
    for cmd in [
        &["log", "stroy"][..],
        &["lineage", "stroy"],
        &["blame", "stroy"],
        &["export", "--prov-json", "stroy"],
        &["report", "stroy"],
    ] {
        let e = env.prov(cmd).error().to_string();
        assert!(
            e.contains("no article named \"stroy\"; did you mean story?"),
            "{cmd:?}: {e}"
        );
        let mut with_prefix = cmd.to_vec();
        *with_prefix.last_mut().unwrap() = "st";
        env.prov(&with_prefix).ok();
    }
    // A second article makes a shared prefix ambiguous.
    snap(
        &env,
        "d.txt",
        &edited(),
        &["--article", "stone", "--at", "2018-05-07T10:00:00Z"],
    );
    let e = env.prov(&["log", "sto"]).error().to_string();
    assert!(e.contains("several articles: stone, story"), "{e}");
    let e = env.prov(&["show", "sto@1"]).error().to_string();
    assert!(e.contains("several articles: stone, story"), "{e}");
}

/// Every command's --help ends with examples of it, and speaks to a user: no Rust type or
/// module names.
#[test]
fn every_commands_help_has_examples_and_no_type_names() {
    let env = Env::new();
    let top = env.prov(&["--help"]);
    let commands: Vec<String> = top
        .ok()
        .split("Commands:")
        .nth(1)
        .unwrap()
        .lines()
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(String::from)
        .collect();
    assert!(commands.len() >= 13, "{commands:?}");
    for c in &commands {
        let help = env.prov(&[c, "--help"]);
        let text = help.ok();
        assert!(
            text.contains(&format!("\nExamples:\n  prov {c}")),
            "prov {c} --help has no example:\n{text}"
        );
        for word in ["::", "provenance::", "Option<", "Vec<"] {
            assert!(!text.contains(word), "prov {c} --help says {word}:\n{text}");
        }
    }
}

#[test]
fn show_prints_text_raw_meta_and_stripped() {
    let (env, _) = three_captures();
    assert_eq!(
        env.prov(&["show", "--raw", "story@1"]).bytes,
        story().as_bytes()
    );
    let meta: serde_json::Value =
        serde_json::from_str(env.prov(&["show", "--meta", "story@1"]).ok()).unwrap();
    assert_eq!(meta["article"], "story");
    // --json alone would print the plain text: refused, exit 2, naming --stripped.
    let alone = env.prov(&["show", "--json", "story@1"]);
    assert_eq!(alone.code, 2, "{}", alone.stdout);
    assert!(alone.stderr.contains("--stripped"), "{}", alone.stderr);
    let stripped = env.prov(&["show", "--stripped", "--json", "story@1"]);
    assert!(
        serde_json::from_str::<serde_json::Value>(stripped.ok())
            .unwrap()
            .is_array()
    );
    assert!(
        env.prov(&["show", "story@1"])
            .ok()
            .starts_with("# A story about the capital\n")
    );
}

#[test]
fn normalize_cleans_files_without_an_archive() {
    let env = Env::empty();
    let a = env.file("a.txt", story());
    let out = env.prov(&["normalize", "--json", a.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_str(out.ok().trim()).unwrap();
    assert_eq!(v["title"], "A story about the capital");
    for key in ["source", "text", "metadata", "stripped"] {
        assert!(v.get(key).is_some(), "{key}");
    }
    let missing = env.prov(&["normalize", "nope.html"]);
    assert!(missing.error().contains("nope.html"));
}

/// Many files are cleaned on every core and printed in the order given, across batches,
/// a missing one reported in its place.
#[test]
fn normalize_prints_many_files_in_the_order_given() {
    let env = Env::empty();
    let mut args = vec!["normalize".to_string()];
    for k in 0..70 {
        let text = format!("Story number {k}\n\nThe first paragraph of story {k}, long enough.\n");
        let f = env.file(&format!("s{k}.txt"), &text);
        args.push(f.to_str().unwrap().to_string());
        if k == 40 {
            args.push("nope.html".to_string());
        }
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = env.prov(&args);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("nope.html"), "{}", run.stderr);
    let titles: Vec<&str> = run
        .stdout
        .lines()
        .filter_map(|l| l.strip_prefix("# Story number "))
        .collect();
    let want: Vec<String> = (0..70).map(|k| k.to_string()).collect();
    assert_eq!(titles, want);
}

#[test]
fn comparisons_use_one_normalizer_and_renormalize_lists_what_it_cleans_differently() {
    let mut env = Env::new();
    let url = "https://example.org/a";
    let with_counter = |n: u32| {
        article(
            "A story about the capital",
            &[P1, P2, &format!("Views: {n} readers so far"), P3, P4],
        )
    };
    snap(
        &env,
        "a.txt",
        &with_counter(10),
        &["--article", "story", "--url", url],
    );
    env.set_now("2026-01-02T00:00:00Z");
    snap(
        &env,
        "b.txt",
        &with_counter(99),
        &["--article", "story", "--url", url],
    );
    assert_eq!(
        env.prov(&["diff", "--exit-code", "story@1", "story@2"])
            .code,
        1
    );
    // A per-site rule added later drops the counter. Both captures are re-derived with
    // today's rules, so the counter no longer shows as an edit; as recorded, it still does.
    let toml = std::fs::read_to_string(env.root.join("prov.toml")).unwrap();
    let rule = "\n[[site]]\nhost = \"example.org\"\ndrop_text = [\"^Views: \"]\n";
    std::fs::write(env.root.join("prov.toml"), format!("{toml}{rule}")).unwrap();
    let same = env.prov(&["diff", "--exit-code", "story@1", "story@2"]);
    assert_eq!(same.code, 0, "{}", same.stdout);
    assert_eq!(
        env.prov(&["diff", "--exit-code", "--as-recorded", "story@1", "story@2"])
            .code,
        1
    );
    assert!(!env.prov(&["show", "story@1"]).ok().contains("Views:"));
    assert!(
        env.prov(&["show", "--as-recorded", "story@1"])
            .ok()
            .contains("Views: 10")
    );
    let re = env.prov(&["renormalize"]);
    assert!(re.ok().contains("2 captures re-derived"), "{}", re.stdout);
    assert!(re.stdout.contains("2 clean differently"), "{}", re.stdout);
    // Nothing committed changed.
    assert_eq!(env.status(), " M prov.toml\n");
}

#[test]
fn a_killed_capture_leaves_the_archive_as_it_was() {
    for (point, lands) in [
        ("after-pending", false),
        ("before-commit", false),
        ("after-commit", true),
        ("mid-worktree", true),
    ] {
        for next in ["verify", "log", "snapshot"] {
            let env = Env::new();
            let head = env.head();
            let f = env.file("a.txt", story());
            let out = env
                .prov_cmd()
                .env("PROV_TEST_CRASH", point)
                .args(["snapshot", f.to_str().unwrap()])
                .output()
                .unwrap();
            assert!(!out.status.success(), "{point}: the hook did not fire");
            // The next command, a reader or a writer, finishes or removes what was left.
            if next == "verify" {
                let v = env.prov(&["verify"]);
                assert_eq!(v.code, 0, "{point}: {}", v.stdout);
            } else if next == "log" {
                env.prov(&["log"]).ok();
                assert_eq!(env.prov(&["verify"]).code, 0, "{point}");
            } else {
                snap(&env, "b.txt", &edited(), &[]);
                assert_eq!(env.prov(&["verify"]).code, 0, "{point}");
            }
            assert_eq!(env.status(), "", "{point} then {next}");
            let commits = env.git(&["rev-list", "--count", &format!("{head}..HEAD")]);
            let want = usize::from(lands) + usize::from(next == "snapshot");
            assert_eq!(commits.trim(), want.to_string(), "{point} then {next}");
            let fsck = env
                .command("git")
                .args(["fsck", "--no-dangling"])
                .output()
                .unwrap();
            assert!(fsck.status.success(), "{point}: {fsck:?}");
        }
    }
}

#[test]
fn concurrent_captures_all_land() {
    let env = Env::new();
    let children: Vec<_> = (0..8)
        .map(|i| {
            let f = env.file(
                &format!("s{i}.txt"),
                article(&format!("Story number {i}"), &[P1, P2]),
            );
            env.prov_cmd()
                .args(["snapshot", f.to_str().unwrap()])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    assert_eq!(env.git(&["rev-list", "--count", "HEAD"]).trim(), "9");
    assert_eq!(env.prov(&["verify"]).code, 0);
    assert_eq!(env.status(), "");
}

#[test]
fn errors_outside_an_archive_say_how_to_make_one() {
    let env = Env::empty();
    assert!(env.prov(&["log"]).error().contains("prov init"));
}

#[test]
fn hostile_titles_and_hosts_stay_inside_the_archive() {
    let env = Env::new();
    let long_title = "word ".repeat(2_000);
    let cases: Vec<(String, Option<&str>)> = vec![
        ("../../../etc/passwd".into(), None),
        ("/absolute/title".into(), Some("https://../../evil/page")),
        ("con".into(), Some("https://www..:80/")),
        (
            "\u{1b}[31mred\u{7} title".into(),
            Some("https://user:pw@EVIL.example:8080/x"),
        ),
        (long_title, Some("https://a%2f..%2fb.example/x")),
    ];
    for (i, (title, url)) in cases.iter().enumerate() {
        let f = env.file(&format!("h{i}.txt"), article(title, &[P1, P2]));
        let mut args = vec!["snapshot", f.to_str().unwrap(), "--json"];
        if let Some(u) = url {
            args.extend(["--url", u]);
        }
        let out = env.prov(&args);
        let v: serde_json::Value = serde_json::from_str(out.ok().trim()).unwrap();
        for key in ["article", "copy"] {
            let name = v[key].as_str().unwrap();
            assert!(
                !name.is_empty() && name.chars().count() <= 80,
                "{key} {name:?}"
            );
            assert!(
                !name.contains('/') && !name.contains("..") && !name.starts_with('.'),
                "{key} {name:?}"
            );
            assert!(name.chars().all(|c| !c.is_control()), "{key} {name:?}");
        }
    }
    // Everything prov wrote is under snapshots/, and the archive verifies.
    let files = env.git(&["log", "--name-only", "--format="]);
    for f in files.lines().filter(|l| !l.is_empty()) {
        assert!(
            f.starts_with("snapshots/")
                || ["prov.toml", ".gitattributes", "reports/.gitkeep"].contains(&f),
            "{f}"
        );
    }
    assert_eq!(env.prov(&["verify"]).code, 0);
}

#[test]
fn init_inside_a_repository_but_not_at_its_top_is_refused() {
    let env = Env::empty();
    std::fs::create_dir_all(env.root.join("sub")).unwrap();
    env.git(&["init", "-q"]);
    let out = env.prov(&["init", "sub"]);
    assert!(out.error().contains("top folder"), "{}", out.stderr);
    assert!(!env.root.join("sub/.git").exists());
}

#[test]
fn a_backfilled_capture_is_compared_with_the_one_before_it_in_time() {
    let env = Env::new();
    snap(
        &env,
        "a.txt",
        &story(),
        &["--article", "story", "--at", "2018-05-01T00:00:00Z"],
    );
    snap(
        &env,
        "c.txt",
        &edited(),
        &["--article", "story", "--at", "2018-05-09T00:00:00Z"],
    );
    // Captured later, but of an earlier moment: its change is against 05-01, not 05-09,
    // and it has 05-01's bytes: unchanged, and not recorded, as a capture that follows the
    // latest with its bytes is not (the archive's one rule, `archive::repeats`).
    let f = env.file("b.txt", story());
    let out = env.prov(&[
        "snapshot",
        f.to_str().unwrap(),
        "--article",
        "story",
        "--at",
        "2018-05-05T00:00:00Z",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(out.ok().trim()).unwrap();
    assert_eq!(v["change"], "unchanged");
    let log = env.prov(&["log", "story"]);
    let changes: Vec<&str> = log
        .ok()
        .lines()
        .map(|l| {
            l.split("  ")
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .nth(4)
                .unwrap()
        })
        .collect();
    assert_eq!(changes, ["first capture", "+1 -1 words"]);
}

#[test]
fn the_same_text_again_joins_its_article_by_content() {
    let env = Env::new();
    snap(&env, "a.txt", &story(), &[]);
    // Other bytes (trailing white space), the same clean text, no URL: the same article.
    let f = env.file("b.txt", format!("{}\n\n\n", story()));
    let out = env.prov(&["snapshot", f.to_str().unwrap(), "--json"]);
    let v: serde_json::Value = serde_json::from_str(out.ok().trim()).unwrap();
    assert_eq!(v["article"], "a-story-about-the-capital");
    let meta = env.prov(&["show", "--meta", v["capture"].as_str().unwrap()]);
    assert!(
        meta.ok().contains("\"filed_by\": \"content\""),
        "{}",
        meta.stdout
    );
}

#[test]
fn re_derived_texts_are_cached_per_capture_not_per_bytes() {
    let env = Env::new();
    let page = article(
        "A story about the capital",
        &[P1, P2, "Views: 10 readers so far", P3],
    );
    snap(
        &env,
        "a.txt",
        &page,
        &["--article", "one", "--url", "https://example.org/a"],
    );
    snap(
        &env,
        "a.txt",
        &page,
        &["--article", "two", "--url", "https://other.org/b"],
    );
    let toml = std::fs::read_to_string(env.root.join("prov.toml")).unwrap();
    let rule = "\n[[site]]\nhost = \"example.org\"\ndrop_text = [\"^Views: \"]\n";
    std::fs::write(env.root.join("prov.toml"), format!("{toml}{rule}")).unwrap();
    // The same bytes, two URLs: the rule applies to one capture only, whatever the order.
    assert!(!env.prov(&["show", "one"]).ok().contains("Views:"));
    assert!(env.prov(&["show", "two"]).ok().contains("Views:"));
}
