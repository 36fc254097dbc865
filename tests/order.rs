//! Captures of one time are ordered by the order of record (the order of the commits that
//! added them), never by their ids' hashes, and every clone with the same history agrees.

// Test helpers unwrap: a failure there is a failed test, reported with its location.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Env, P1, P2, P3, P4, article};

const AT: &str = "2024-03-01T12:00:00Z";

/// Capture `text` as `story` at the one time `AT`; returns the capture id and what snapshot
/// said of its change.
fn capture(env: &Env, name: &str, text: &str) -> (String, String) {
    let f = env.file(name, text);
    let out = env.prov(&[
        "snapshot",
        f.to_str().unwrap(),
        "--article",
        "story",
        "--copy",
        "local",
        "--at",
        AT,
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(out.ok().trim()).unwrap();
    (
        v["capture"].as_str().unwrap().to_string(),
        v["change"].as_str().unwrap().to_string(),
    )
}

/// (capture, change) of each capture as `prov log --json` lists them.
fn log(env: &Env) -> Vec<(String, String)> {
    let v: serde_json::Value = serde_json::from_str(env.prov(&["log", "--json"]).ok()).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["capture"].as_str().unwrap().to_string(),
                e["change"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn shown_id(env: &Env, reference: &str) -> String {
    let v: serde_json::Value =
        serde_json::from_str(env.prov(&["show", reference, "--meta"]).ok()).unwrap();
    v["capture"].as_str().unwrap().to_string()
}

/// The first text, then an edit that only moves a paragraph, then one that adds one: all
/// captured at one time. Recorded in both orders of the first two, so that in one of the
/// two archives the ids' hashes sort against the order of record.
#[test]
fn captures_of_one_time_are_listed_in_the_order_they_were_recorded() {
    let first = article("A story about the capital", &[P1, P2, P3]);
    let moved = article("A story about the capital", &[P1, P3, P2]);
    let longer = article("A story about the capital", &[P1, P3, P2, P4]);
    let mut against_hash = 0;
    for (a, b) in [(&first, &moved), (&moved, &first)] {
        let env = Env::new();
        let (id_a, said_a) = capture(&env, "a.txt", a);
        let (id_b, said_b) = capture(&env, "b.txt", b);
        let (id_c, said_c) = capture(&env, "c.txt", &longer);
        if id_b < id_a {
            against_hash += 1;
        }
        let listed = log(&env);
        let ids: Vec<&str> = listed.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(
            ids,
            [&id_a, &id_b, &id_c],
            "log lists in the order of record"
        );
        // Each change is credited to the capture that made it, as snapshot said then.
        assert_eq!(said_a, "first capture");
        assert_eq!(listed[0].1, said_a);
        assert_eq!(listed[1].1, said_b);
        assert_eq!(listed[2].1, said_c);
        assert!(said_b.contains("moved"), "{said_b}");
        assert!(
            said_b.starts_with("+0 -0 words"),
            "a move adds no words: {said_b}"
        );
        assert!(!said_c.starts_with("+0 "), "a paragraph added: {said_c}");
        // References follow the same order.
        assert_eq!(shown_id(&env, "story@1"), id_a);
        assert_eq!(shown_id(&env, "story@2"), id_b);
        assert_eq!(
            shown_id(&env, "story"),
            id_c,
            "the latest is the last recorded"
        );
        assert_eq!(shown_id(&env, "story/local@first"), id_a);
        // `diff ARTICLE` is the latest against the one before it.
        let diff = env.prov(&["diff", "story", "--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&diff.stdout).unwrap();
        assert_eq!(v["a"]["capture"], id_b.as_str(), "{}", diff.stdout);
        assert_eq!(v["b"]["capture"], id_c.as_str());
        // The full captures (reports, lineage) agree with the index.
        let blame = env.prov(&["blame", "story", "--json"]);
        assert_eq!(blame.code, 0, "{}", blame.stderr);
    }
    assert_eq!(
        against_hash, 1,
        "one of the two orders sorts against the ids"
    );
}

/// Two archivists capture the same copy at the same time on two clones and merge: every
/// clone of the merged history, and a fresh one, lists the captures alike.
#[test]
fn merged_clones_agree_on_the_order_of_record() {
    let env = Env::new();
    capture(
        &env,
        "base.txt",
        &article("A story about the capital", &[P1, P2]),
    );
    let other = env.tmp.path().join("other");
    env.git(&[
        "clone",
        "-q",
        env.root.to_str().unwrap(),
        other.to_str().unwrap(),
    ]);
    let mut there = Env::empty();
    there.root = other.clone();
    let ours = capture(
        &env,
        "ours.txt",
        &article("A story about the capital", &[P1, P2, P3]),
    );
    let theirs = capture(
        &there,
        "theirs.txt",
        &article("A story about the capital", &[P1, P2, P4]),
    );
    assert_ne!(ours.0, theirs.0);
    let user = ["-c", "user.name=U", "-c", "user.email=u@x"];
    let mut pull = user.to_vec();
    pull.extend(["pull", "-q", "--no-rebase", "--no-edit"]);
    pull.push(other.to_str().unwrap());
    env.git(&pull);
    let mut back = user.to_vec();
    back.extend(["pull", "-q", "--no-rebase", "--no-edit"]);
    back.push(env.root.to_str().unwrap());
    there.git(&back);
    assert_eq!(env.head(), there.head());
    let here = log(&env);
    assert_eq!(here, log(&there), "both clones list alike");
    let fresh = env.tmp.path().join("fresh");
    env.git(&[
        "clone",
        "-q",
        env.root.to_str().unwrap(),
        fresh.to_str().unwrap(),
    ]);
    let mut cloned = Env::empty();
    cloned.root = fresh;
    assert_eq!(here, log(&cloned), "a fresh clone lists alike");
    // Ours was on the merge's first parent: it was recorded first in this history.
    let ids: Vec<&str> = here.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(&ids[1..], [ours.0.as_str(), theirs.0.as_str()]);
    let verified = env.prov(&["verify"]);
    assert_eq!(verified.code, 0, "{}", verified.stdout);
}
