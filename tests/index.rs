//! The capture index and the change cache under `.git/prov/`: built, reused, updated, rebuilt,
//! never trusted when it does not describe HEAD; and sparse archives (raw files in git alone).

// Test helpers unwrap: a failure there is a failed test, reported with its location.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;

use common::{Env, P1, P2, P3, article};
use prov::archive::index::{self, Index};

const GIT_AS_USER: [&str; 4] = ["-c", "user.name=U", "-c", "user.email=u@x"];

fn git_user(env: &Env, args: &[&str]) -> String {
    let mut all: Vec<&str> = GIT_AS_USER.to_vec();
    all.extend_from_slice(args);
    env.git(&all)
}

fn index_path(env: &Env) -> std::path::PathBuf {
    env.root.join(".git/prov").join(index::FILE_NAME)
}

fn read_index(env: &Env) -> Index {
    Index::parse(std::fs::read(index_path(env)).unwrap()).expect("a valid index")
}

/// An archive with two captures of one article (and copy); returns their capture ids.
fn two_captures() -> (Env, Vec<String>) {
    let mut env = Env::new();
    let mut ids = vec![];
    for (i, paras) in [[P1, P2, P3], [P1, P3, P2]].iter().enumerate() {
        env.set_now(&format!("2026-01-0{}T00:00:00Z", i + 1));
        let f = env.file(&format!("{i}.txt"), article("The capital story", paras));
        let out = env.prov(&[
            "snapshot",
            f.to_str().unwrap(),
            "--article",
            "story",
            "--json",
        ]);
        let v: serde_json::Value = serde_json::from_str(out.ok().trim()).unwrap();
        ids.push(v["capture"].as_str().unwrap().to_string());
    }
    (env, ids)
}

/// The index on disk is the one a rebuild from HEAD alone makes, byte for byte: whatever
/// brought it forward kept nothing stale.
fn assert_index_as_rebuilt(env: &Env) {
    env.prov(&["log"]).ok();
    let forward = std::fs::read(index_path(env)).unwrap();
    std::fs::remove_file(index_path(env)).unwrap();
    env.prov(&["log"]).ok();
    let rebuilt = std::fs::read(index_path(env)).unwrap();
    assert!(
        forward == rebuilt,
        "the index brought forward differs from a rebuild"
    );
}

fn log_ids(env: &Env, args: &[&str]) -> Vec<String> {
    let mut all = vec!["log", "--json"];
    all.extend_from_slice(args);
    let v: serde_json::Value = serde_json::from_str(env.prov(&all).ok()).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|e| e["capture"].as_str().unwrap().to_string())
        .collect()
}

/// Rewrite the index for HEAD with every URL replaced: what a reader shows then came from it.
fn forge_urls(env: &Env, url: &str) {
    let old = read_index(env);
    let entries: Vec<_> = old
        .entries()
        .unwrap()
        .into_iter()
        .map(|mut e| {
            e.url = Some(url.to_string());
            e
        })
        .collect();
    let forged = Index::build(
        &old.head,
        &old.tree,
        old.commits,
        &entries,
        &BTreeMap::new(),
    );
    std::fs::write(index_path(env), forged.bytes()).unwrap();
}

#[test]
fn the_index_is_built_reused_and_updated_incrementally() {
    let (mut env, ids) = two_captures();
    assert_eq!(log_ids(&env, &[]), ids);
    let index = read_index(&env);
    assert_eq!(index.head, env.head(), "built for HEAD");
    assert_eq!(index.entries().unwrap().len(), 2);
    let commits = env.git(&["log", "--format=%H", "-2"]);
    let commits: Vec<&str> = commits.lines().rev().collect();
    let recorded: Vec<Option<String>> = index
        .entries()
        .unwrap()
        .into_iter()
        .map(|e| e.commit)
        .collect();
    assert_eq!(
        recorded,
        commits
            .iter()
            .map(|c| Some(c.to_string()))
            .collect::<Vec<_>>()
    );

    // Reused: an index for HEAD is believed as it is.
    forge_urls(&env, "https://forged.example/");
    let log = env.prov(&["log", "story"]);
    assert!(log.ok().contains("https://forged.example/"), "{}", log.ok());

    // Updated: a new capture elsewhere re-reads that article alone; the untouched entries
    // come from the old index.
    env.set_now("2026-01-05T00:00:00Z");
    let f = env.file("other.txt", article("Another story entirely", &[P2]));
    env.prov(&["snapshot", f.to_str().unwrap(), "--article", "other"])
        .ok();
    let log = env.prov(&["log"]);
    assert_eq!(
        log.ok().matches("https://forged.example/").count(),
        2,
        "{}",
        log.ok()
    );
    assert_eq!(log.ok().lines().count(), 3, "{}", log.ok());
    assert_eq!(read_index(&env).head, env.head());
    // Brought forward over captures of a changed and a new article, once the forgery is
    // gone: what a rebuild would make.
    std::fs::remove_file(index_path(&env)).unwrap();
    assert_eq!(log_ids(&env, &[]).len(), 3);
    env.set_now("2026-01-06T00:00:00Z");
    let f = env.file("third.txt", article("The capital story", &[P1, P2]));
    env.prov(&["snapshot", f.to_str().unwrap(), "--article", "story"])
        .ok();
    env.set_now("2026-01-07T00:00:00Z");
    let f = env.file("fourth.txt", article("A fourth story", &[P3]));
    env.prov(&["snapshot", f.to_str().unwrap(), "--article", "fourth"])
        .ok();
    assert_eq!(log_ids(&env, &[]).len(), 5);
    assert_index_as_rebuilt(&env);
}

#[test]
fn a_corrupt_index_is_rebuilt() {
    let (env, ids) = two_captures();
    assert_eq!(log_ids(&env, &[]), ids);
    // A bit flipped in an entry's line: found when the article's block is read.
    let mut bytes = std::fs::read(index_path(&env)).unwrap();
    let n = bytes.windows(6).position(|w| w == b"\tpage\t").unwrap() + 1;
    bytes[n] ^= 0x01;
    std::fs::write(index_path(&env), &bytes).unwrap();
    assert!(
        read_index(&env).entries().is_none(),
        "the block fails its check"
    );
    assert_eq!(log_ids(&env, &["story"]), ids);
    assert!(read_index(&env).entries().is_some(), "rebuilt");
    // A bit flipped in the block table: the file is refused when opened.
    let mut bytes = std::fs::read(index_path(&env)).unwrap();
    let n = bytes.windows(2).position(|w| w == b"\ne").unwrap() + 3;
    bytes[n] ^= 0x01;
    std::fs::write(index_path(&env), &bytes).unwrap();
    assert!(Index::parse(bytes).is_none());
    assert_eq!(log_ids(&env, &["story"]), ids);
    assert!(read_index(&env).entries().is_some(), "rebuilt");
    std::fs::write(index_path(&env), "prov capture index 999\n").unwrap();
    assert_eq!(log_ids(&env, &[]), ids);
    assert_eq!(read_index(&env).entries().unwrap().len(), 2);
}

#[test]
fn a_stale_index_is_not_trusted_after_plain_git_commits_and_resets() {
    let (env, ids) = two_captures();
    assert_eq!(log_ids(&env, &[]), ids);
    let before = env.head();

    // A capture folder committed by hand with plain git: a copy of the first capture under
    // another id, meta.json saying so.
    let dir = format!("snapshots/story/local/{}", ids[0]);
    let new_id = "20260103T000000Z-0000beef";
    let new_dir = format!("snapshots/story/local/{new_id}");
    std::fs::create_dir_all(env.root.join(&new_dir)).unwrap();
    for f in ["raw.txt", "text.txt"] {
        std::fs::copy(env.root.join(&dir).join(f), env.root.join(&new_dir).join(f)).unwrap();
    }
    let meta = std::fs::read_to_string(env.root.join(&dir).join("meta.json"))
        .unwrap()
        .replace(&ids[0], new_id)
        .replace("2026-01-01T00:00:00Z", "2026-01-03T00:00:00Z");
    std::fs::write(env.root.join(&new_dir).join("meta.json"), meta).unwrap();
    git_user(&env, &["add", &new_dir]);
    git_user(
        &env,
        &[
            "commit",
            "-q",
            "-m",
            "By hand\n\nProv-Capture: 20260103T000000Z-0000beef",
        ],
    );
    let mut want = ids.clone();
    want.push(new_id.to_string());
    assert_eq!(log_ids(&env, &["story"]), want);
    let out = env.prov(&["show", "--meta", new_id]);
    assert!(out.ok().contains(new_id), "{}", out.ok());
    let json: serde_json::Value = serde_json::from_str(env.prov(&["log", "--json"]).ok()).unwrap();
    assert_eq!(json[2]["commit"].as_str(), Some(env.head().as_str()));
    assert_index_as_rebuilt(&env);

    // The first capture's folder removed by hand: its trailer is an orphan now.
    let after_hand = env.head();
    git_user(&env, &["rm", "-q", "-r", &dir]);
    git_user(&env, &["commit", "-q", "-m", "Removed by hand"]);
    assert_eq!(log_ids(&env, &["story"]), want[1..].to_vec());
    assert_eq!(read_index(&env).orphans().unwrap().len(), 1);
    assert_index_as_rebuilt(&env);
    env.git(&["reset", "-q", "--hard", &after_hand]);
    assert_eq!(log_ids(&env, &["story"]), want);

    // Back to the older commit: the hand-made capture is gone from every command.
    env.git(&["reset", "-q", "--hard", &before]);
    assert_eq!(log_ids(&env, &[]), ids);
    assert_eq!(read_index(&env).head, before);
    let out = env.prov(&["show", new_id]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    let out = env.prov(&["show", "story@3"]);
    assert_eq!(out.code, 2, "{}", out.stdout);
}

#[test]
fn show_and_diff_resolve_through_the_index() {
    let (env, ids) = two_captures();
    let latest = env.prov(&["show", "story"]);
    let by_id = env.prov(&["show", &ids[1]]);
    assert_eq!(latest.ok(), by_id.ok());
    let prefix = &ids[0][..4];
    let out = env.prov(&["show", prefix]);
    assert_eq!(out.code, 2, "both ids share the prefix: {}", out.stdout);
    assert!(out.stderr.contains("ambiguous"), "{}", out.stderr);
    let diff = env.prov(&["diff", "story@1", "story@2", "--stat"]);
    let default = env.prov(&["diff", "story", "--stat"]);
    assert_eq!(diff.ok(), default.ok());
}

#[test]
fn the_change_cache_is_used_and_keyed_by_normalizer_and_options() {
    let (env, _) = two_captures();
    let log = env.prov(&["log", "story"]);
    let real = log.ok().lines().nth(1).unwrap().to_string();
    let shards = env.root.join(".git/prov/changes");
    let files: Vec<_> = std::fs::read_dir(&shards).unwrap().collect();
    assert_eq!(files.len(), 1, "one summary cached");
    let shard = files[0].as_ref().unwrap().path();
    let text = std::fs::read_to_string(&shard).unwrap();
    let key = text.split('\t').next().unwrap().to_string();
    std::fs::write(&shard, format!("{key}\tFORGED SUMMARY\n")).unwrap();
    let log = env.prov(&["log", "story"]);
    assert!(
        log.ok().contains("FORGED SUMMARY"),
        "the cache is read: {}",
        log.ok()
    );

    // Other diff options: another key.
    let config = env.root.join("prov.toml");
    let original = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        original.replace("ignore = []", "ignore = ['^zzz']"),
    )
    .unwrap();
    let log = env.prov(&["log", "story"]);
    assert!(!log.ok().contains("FORGED"), "{}", log.ok());
    assert_eq!(log.ok().lines().nth(1).unwrap(), real);

    // Another normalizer (site rules): another key.
    std::fs::write(
        &config,
        format!("{original}\n[[site]]\nhost = \"example.com\"\ndrop = [\".ad\"]\n"),
    )
    .unwrap();
    let log = env.prov(&["log", "story"]);
    assert!(!log.ok().contains("FORGED"), "{}", log.ok());
    std::fs::write(&config, &original).unwrap();
    let log = env.prov(&["log", "story"]);
    assert!(log.ok().contains("FORGED"), "{}", log.ok());
}

#[test]
fn a_sparse_archive_keeps_raw_files_in_git_alone() {
    let mut env = Env::empty();
    let out = env.prov(&["init", "--sparse", env.root.to_str().unwrap()]);
    assert!(out.ok().contains("sparse"), "{}", out.ok());
    let mut dirs = vec![];
    for (i, paras) in [[P1, P2, P3], [P3, P2, P1]].iter().enumerate() {
        env.set_now(&format!("2026-01-0{}T00:00:00Z", i + 1));
        let f = env.file(&format!("{i}.html"), format!("<html><head><title>Sparse story</title></head><body><article><h1>Sparse story</h1><p>{}</p><p>{}</p><p>{}</p></article></body></html>", paras[0], paras[1], paras[2]));
        let out = env.prov(&[
            "snapshot",
            f.to_str().unwrap(),
            "--article",
            "sparse",
            "--json",
        ]);
        let v: serde_json::Value = serde_json::from_str(out.ok().trim()).unwrap();
        dirs.push(format!(
            "snapshots/sparse/local/{}",
            v["capture"].as_str().unwrap()
        ));
    }
    for d in &dirs {
        assert!(
            !env.root.join(d).join("raw.html").exists(),
            "{d}: raw left out"
        );
        assert!(env.root.join(d).join("text.txt").exists());
        assert!(env.root.join(d).join("meta.json").exists());
    }
    assert_eq!(env.status(), "", "plain git sees a clean work tree");
    let listed = env.git(&["ls-files", "-v", &format!("{}/raw.html", dirs[0])]);
    assert!(listed.starts_with("S "), "skip-worktree: {listed}");
    let raw = env.prov(&["show", "--raw", "sparse@1"]);
    assert!(raw.ok().contains("<title>Sparse story</title>"));
    let verify = env.prov(&["verify"]);
    assert_eq!(verify.code, 0, "{}", verify.stdout);
    assert!(
        verify.stdout.trim_end().ends_with("intact"),
        "{}",
        verify.stdout
    );
    // Plain git honours the pattern too, and brings a raw file back on demand.
    env.git(&["read-tree", "-mu", "HEAD"]);
    assert!(!env.root.join(&dirs[1]).join("raw.html").exists());
    assert_eq!(env.status(), "");
    // A raw file in the work tree that differs from the history is still found.
    std::fs::write(env.root.join(&dirs[0]).join("raw.html"), "forged").unwrap();
    let verify = env.prov(&["verify"]);
    assert_eq!(verify.code, 1, "{}", verify.stdout);
    assert!(verify.stdout.contains("differs"), "{}", verify.stdout);
}

#[test]
fn git_own_sparse_setting_on_an_existing_archive_is_honoured() {
    let (env, ids) = two_captures();
    let dir = format!("snapshots/story/local/{}", ids[0]);
    assert!(env.root.join(&dir).join("raw.txt").exists());
    env.git(&["config", "core.sparseCheckout", "true"]);
    std::fs::create_dir_all(env.root.join(".git/info")).unwrap();
    std::fs::write(
        env.root.join(".git/info/sparse-checkout"),
        format!("/*\n{}\n", prov::archive::git::SPARSE_RAW),
    )
    .unwrap();
    env.git(&["read-tree", "-mu", "HEAD"]);
    assert!(!env.root.join(&dir).join("raw.txt").exists());
    assert_eq!(env.status(), "");
    let verify = env.prov(&["verify"]);
    assert_eq!(verify.code, 0, "{}", verify.stdout);
    let f = env.file("third.txt", article("The capital story", &[P2, P1]));
    env.prov(&["snapshot", f.to_str().unwrap(), "--article", "story"])
        .ok();
    assert_eq!(env.status(), "", "prov's own write skipped the raw file");
}

#[test]
fn verify_remembers_adding_commits_folders_and_asks_git_when_they_disagree() {
    let (env, ids) = two_captures();
    assert_eq!(env.prov(&["verify"]).code, 0);
    let facts = env.root.join(".git/prov/folder-facts");
    let text = std::fs::read_to_string(&facts).unwrap();
    assert_eq!(text.lines().count(), 2, "{text}");
    assert_eq!(env.prov(&["verify"]).code, 0);
    assert_eq!(
        std::fs::read_to_string(&facts).unwrap(),
        text,
        "nothing new learned"
    );

    // A wrong fact is not believed: git is asked again, and the archive is intact.
    let oid = text.lines().next().unwrap().rsplit(' ').next().unwrap();
    std::fs::write(&facts, text.replace(oid, &"0".repeat(40))).unwrap();
    let out = env.prov(&["verify"]);
    assert_eq!(out.code, 0, "{}", out.stdout);

    // A folder changed by a later commit is found although a fact agreed with its old state.
    std::fs::write(&facts, &text).unwrap();
    let dir = format!("snapshots/story/local/{}", ids[0]);
    std::fs::write(env.root.join(&dir).join("text.txt"), "# forged\n").unwrap();
    git_user(&env, &["commit", "-qam", "edit"]);
    let out = env.prov(&["verify"]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stdout
            .contains("changed after the commit that added it"),
        "{}",
        out.stdout
    );
}

/// A capture id held by two folders (one copied by hand into another article): the adding
/// commit goes to the first folder, and back to the other when that one is removed; the
/// index brought forward over each step is what a rebuild makes.
#[test]
fn a_capture_id_in_two_folders_keeps_its_commit_through_forward_updates() {
    let (env, ids) = two_captures();
    assert_eq!(log_ids(&env, &[]), ids);
    let dir = format!("snapshots/story/local/{}", ids[0]);
    let copy = format!("snapshots/a-copy/local/{}", ids[0]);
    std::fs::create_dir_all(env.root.join(&copy)).unwrap();
    for f in ["raw.txt", "text.txt", "meta.json"] {
        let bytes = std::fs::read_to_string(env.root.join(&dir).join(f)).unwrap();
        let bytes = bytes.replace("\"article\": \"story\"", "\"article\": \"a-copy\"");
        std::fs::write(env.root.join(&copy).join(f), bytes).unwrap();
    }
    git_user(&env, &["add", &copy]);
    git_user(&env, &["commit", "-q", "-m", "A copy by hand"]);
    let commit_of = |env: &Env, article: &str| {
        let v: serde_json::Value =
            serde_json::from_str(env.prov(&["log", article, "--json"]).ok()).unwrap();
        v[0]["commit"].as_str().map(str::to_string)
    };
    assert_eq!(log_ids(&env, &["a-copy"]), vec![ids[0].clone()]);
    let adding = commit_of(&env, "a-copy");
    assert!(adding.is_some(), "the first folder takes the adding commit");
    assert_eq!(commit_of(&env, "story"), None);
    assert_index_as_rebuilt(&env);
    git_user(&env, &["rm", "-q", "-r", &copy]);
    git_user(&env, &["commit", "-q", "-m", "The copy removed"]);
    assert_eq!(log_ids(&env, &["story"]), ids);
    assert_eq!(commit_of(&env, "story"), adding, "back to the other folder");
    assert!(read_index(&env).orphans().unwrap().is_empty());
    assert_index_as_rebuilt(&env);
}
