//! `prov verify` finds every kind of change to what prov recorded.

// Test helpers unwrap: a failure there is a failed test, reported with its location.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Env, P1, P2, P3, article};

const GIT_AS_USER: [&str; 4] = ["-c", "user.name=U", "-c", "user.email=u@x"];

/// An archive with one capture; returns it and the capture's folder (relative).
fn archive() -> (Env, String) {
    let env = Env::new();
    let f = env.file("a.txt", article("A story about the capital", &[P1, P2, P3]));
    let out = env.prov(&["snapshot", f.to_str().unwrap(), "--json"]);
    let v: serde_json::Value = serde_json::from_str(out.ok().trim()).unwrap();
    let dir = format!(
        "snapshots/{}/{}/{}",
        v["article"].as_str().unwrap(),
        v["copy"].as_str().unwrap(),
        v["capture"].as_str().unwrap()
    );
    (env, dir)
}

fn verify(env: &Env) -> (i32, String) {
    let out = env.prov(&["verify"]);
    (out.code, out.stdout)
}

fn git_user(env: &Env, args: &[&str]) {
    let mut all: Vec<&str> = GIT_AS_USER.to_vec();
    all.extend_from_slice(args);
    env.git(&all);
}

#[test]
fn an_intact_archive_verifies_and_prints_its_head() {
    let (env, _) = archive();
    let (code, out) = verify(&env);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(&format!("verified HEAD {}", env.head())),
        "{out}"
    );
    assert!(out.trim_end().ends_with("intact"), "{out}");
    let json: serde_json::Value =
        serde_json::from_str(env.prov(&["verify", "--json"]).ok()).unwrap();
    assert_eq!(json["captures"], 1);
    assert_eq!(json["files"], 2);
    assert_eq!(json["problems"].as_array().unwrap().len(), 0);
}

#[test]
fn an_edited_work_tree_file_is_found() {
    let (env, dir) = archive();
    std::fs::write(env.root.join(&dir).join("text.txt"), "# forged\n").unwrap();
    let (code, out) = verify(&env);
    assert_eq!(code, 1);
    assert!(
        out.contains(&format!("{dir}/text.txt: the work tree's copy differs")),
        "{out}"
    );
}

#[test]
fn a_capture_edited_and_committed_is_found() {
    let (env, dir) = archive();
    std::fs::write(env.root.join(&dir).join("text.txt"), "# forged\n").unwrap();
    git_user(&env, &["commit", "-qam", "tidy"]);
    let (code, out) = verify(&env);
    assert_eq!(code, 1);
    assert!(
        out.contains("its sha256 or size differs from meta.json"),
        "{out}"
    );
    assert!(
        out.contains("changed after the commit that added it"),
        "{out}"
    );
}

/// A text changed by hand is tampering, not the normalizer's doing: on the demo (captures of
/// normalizer v1, so today's is another), verify names the changed file and no notice says
/// that today's normalizer cleans the capture differently.
#[test]
fn a_text_changed_by_hand_is_not_blamed_on_the_normalizer() {
    let env = Env::new();
    let demo = env.root.join("demo");
    let (repo, demo_s) = (common::repo_file(""), demo.to_str().unwrap());
    env.git(&["clone", "-q", repo.to_str().unwrap(), demo_s]);
    let text =
        "snapshots/lankov-cold-war-alliance/aljazeera.com/20180504T101200Z-66841afb/text.txt";
    let mut bytes = std::fs::read(demo.join(text)).unwrap();
    bytes.extend_from_slice(b"\nA sentence nobody published.\n");
    std::fs::write(demo.join(text), bytes).unwrap();
    let mut commit = vec!["-C", demo_s];
    commit.extend_from_slice(&GIT_AS_USER);
    commit.extend_from_slice(&["commit", "-qam", "tidy"]);
    env.git(&commit);
    let out = env.prov(&["--archive", demo_s, "verify"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stdout.contains(&format!(
            "{text}: its sha256 or size differs from meta.json"
        )),
        "{}",
        out.stdout
    );
    // Other captures may get the notice as the normalizer moves on; this one must not.
    assert!(
        !out.stdout
            .contains("notice: capture 20180504T101200Z-66841afb"),
        "{}",
        out.stdout
    );
}

#[test]
fn missing_and_stray_files_are_found() {
    let (env, dir) = archive();
    std::fs::remove_file(env.root.join(&dir).join("raw.txt")).unwrap();
    std::fs::write(env.root.join("snapshots/stray.txt"), "x").unwrap();
    let (code, out) = verify(&env);
    assert_eq!(code, 1);
    assert!(
        out.contains(&format!("{dir}/raw.txt: missing from the work tree")),
        "{out}"
    );
    assert!(
        out.contains("snapshots/stray.txt: a stray file in the work tree"),
        "{out}"
    );
    std::fs::write(env.root.join(&dir).join("extra.bin"), "x").unwrap();
    git_user(&env, &["add", "-A", "snapshots"]);
    git_user(&env, &["commit", "-qm", "extra"]);
    let (_, out) = verify(&env);
    assert!(
        out.contains("extra.bin: a stray file in a capture folder"),
        "{out}"
    );
}

#[test]
fn a_corrupt_meta_json_is_found() {
    let (env, dir) = archive();
    std::fs::write(env.root.join(&dir).join("meta.json"), "{ not json").unwrap();
    git_user(&env, &["commit", "-qam", "oops"]);
    let (code, out) = verify(&env);
    assert_eq!(code, 1);
    assert!(out.contains(&format!("{dir}/meta.json: corrupt")), "{out}");
    // Other commands name the file too.
    assert!(env.prov(&["log"]).error().contains("meta.json is corrupt"));
}

#[test]
fn a_rewritten_history_is_found() {
    let (env, _) = archive();
    assert_eq!(verify(&env).0, 0);
    git_user(&env, &["commit", "-q", "--amend", "-m", "rewritten"]);
    let (code, out) = verify(&env);
    assert_eq!(code, 1);
    assert!(
        out.contains("has left the history (history rewritten)"),
        "{out}"
    );
}

/// The loose git object of the capture's raw.txt, made writable for a test to damage.
fn writable_raw_object(env: &Env, dir: &str) -> std::path::PathBuf {
    let blob = env
        .git(&["rev-parse", &format!("HEAD:{dir}/raw.txt")])
        .trim()
        .to_string();
    let object = env
        .root
        .join(".git/objects")
        .join(&blob[..2])
        .join(&blob[2..]);
    let mut perms = std::fs::metadata(&object).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&object, perms).unwrap();
    object
}

#[test]
fn a_corrupt_git_object_is_found() {
    let (env, dir) = archive();
    let object = writable_raw_object(&env, &dir);
    std::fs::write(&object, b"garbage").unwrap();
    let (code, out) = verify(&env);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!("{dir}/raw.txt: cannot be read from git")),
        "{out}"
    );
}

#[test]
fn a_git_object_rewritten_with_other_bytes_is_found() {
    // A well-formed object whose bytes are not those its name promises: git's own check is
    // spared for raw files (see `Git::unchecked_reads`), so the SHA-256 in meta.json must
    // find it.
    let (env, dir) = archive();
    let object = writable_raw_object(&env, &dir);
    let other = b"Not the page that was captured.\n";
    let mut loose = format!("blob {}\0", other.len()).into_bytes();
    loose.extend_from_slice(other);
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut z, &loose).unwrap();
    std::fs::write(&object, z.finish().unwrap()).unwrap();
    let (code, out) = verify(&env);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!(
            "{dir}/raw.txt: its sha256 or size differs from meta.json"
        )),
        "{out}"
    );
}

#[test]
fn a_removed_capture_and_a_staged_deletion_are_found() {
    let (env, dir) = archive();
    env.git(&["rm", "-q", "--cached", &format!("{dir}/text.txt")]);
    let (code, out) = verify(&env);
    assert_eq!(code, 1);
    assert!(
        out.contains(&format!("{dir}/text.txt: staged for change or deletion")),
        "{out}"
    );
    env.git(&["reset", "-q"]);
    git_user(&env, &["rm", "-q", "-r", &dir]);
    git_user(&env, &["commit", "-qm", "remove"]);
    let (code, out) = verify(&env);
    assert_eq!(code, 1);
    assert!(
        out.contains("removed from the branch after the commit that added it"),
        "{out}"
    );
}
