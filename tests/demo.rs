//! The demo archive at the repository root: read in place, rebuilt in a temporary archive, never written.

// Test helpers unwrap: a failure there is a failed test, reported with its location.
#![allow(clippy::unwrap_used)]

mod common;
#[path = "support/prov_json.rs"]
mod prov_json_check;

use std::path::{Path, PathBuf};

use common::{Env, repo_file};
use prov::normalize::{Input, NORMALIZER_VERSION, Rules, normalize};

/// Every capture folder of the repository's demo archive.
fn demo_captures() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let root = repo_file("snapshots");
    for article in read_dir(&root) {
        for copy in read_dir(&article) {
            out.extend(read_dir(&copy));
        }
    }
    out.sort();
    out
}

fn read_dir(p: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(p)
        .map(|it| {
            it.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn meta(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("meta.json")).unwrap()).unwrap()
}

#[test]
fn the_demo_archive_has_its_four_captures() {
    let caps = demo_captures();
    assert_eq!(caps.len(), 4, "{caps:?}");
}

/// The normalizer's version must be raised whenever its output on a recorded page changes.
#[test]
fn texts_made_by_this_normalizer_version_are_reproduced_exactly() {
    for dir in demo_captures() {
        let m = meta(&dir);
        if m["normalizer"]["version"].as_u64() != Some(u64::from(NORMALIZER_VERSION)) {
            continue;
        }
        let raw_file = m["raw"]["file"].as_str().unwrap();
        let raw = std::fs::read(dir.join(raw_file)).unwrap();
        let input = Input {
            bytes: &raw,
            url: m["url"].as_str(),
            file_name: Some(raw_file),
            content_type: None,
        };
        let text = normalize(&input, &Rules::default()).unwrap().text;
        let recorded = std::fs::read_to_string(dir.join("text.txt")).unwrap();
        assert_eq!(
            text,
            recorded,
            "{}: today's normalizer cleans this page differently; raise NORMALIZER_VERSION",
            dir.display()
        );
    }
}

fn rebuilt() -> Env {
    common::rebuilt_demo()
}

#[test]
fn the_demo_is_made_by_prov_and_rebuilds_byte_for_byte() {
    let env = rebuilt();
    let mut checked = 0;
    for dir in demo_captures() {
        let ours = meta(&dir);
        let rel = dir.strip_prefix(repo_file("")).unwrap();
        let raw = ours["raw"]["file"].as_str().unwrap();
        let read = |root: &Path, f: &str| std::fs::read(root.join(f)).unwrap_or_default();
        assert!(
            read(&env.root.join(rel), raw) == read(&dir, raw),
            "{}/{raw} differs",
            rel.display()
        );
        if ours["normalizer"]["version"].as_u64() == Some(u64::from(NORMALIZER_VERSION)) {
            for f in ["meta.json", "text.txt"] {
                assert!(
                    read(&env.root.join(rel), f) == read(&dir, f),
                    "{}/{f} differs when rebuilt",
                    rel.display()
                );
            }
        } else {
            // Recorded by an older normalizer: all but what the normalizer derived must agree.
            let mut theirs = meta(&env.root.join(rel));
            let mut ours = ours.clone();
            for m in [&mut theirs, &mut ours] {
                let o = m.as_object_mut().unwrap();
                for derived in [
                    "normalizer",
                    "text",
                    "stripped",
                    "page",
                    "charset",
                    "format",
                ] {
                    o.remove(derived);
                }
            }
            assert_eq!(
                theirs,
                ours,
                "{}/meta.json differs when rebuilt",
                rel.display()
            );
        }
        checked += 1;
    }
    assert_eq!(checked, 4);
}

#[test]
fn the_html_and_the_paste_and_the_reprint_have_one_text() {
    let env = rebuilt();
    for (a, b) in [
        ("lankov-cold-war-alliance@1", "lankov-cold-war-alliance@2"),
        ("lankov-cold-war-alliance@1", "lankov-cold-war-alliance@3"),
    ] {
        let out = env.prov(&["diff", "--exit-code", "--stat", a, b]);
        assert_eq!(out.code, 0, "{a} {b}: {}", out.stdout);
    }
}

#[test]
fn diff_formats_on_the_demo() {
    let env = rebuilt();
    let a = "lankov-cold-war-alliance@1";
    let b = "lankov-cold-war-alliance@latest";
    for format in ["text", "unified", "json", "markdown", "html"] {
        let out = env.prov(&["diff", "--format", format, a, b]);
        insta::assert_snapshot!(format!("demo_diff_{format}"), out.ok());
    }
    let log = env.prov(&["log"]);
    insta::assert_snapshot!("demo_log", log.ok());
}

/// `--raw` (typography not folded) is stated in the header of every format.
#[test]
fn diff_formats_say_raw() {
    let env = rebuilt();
    let a = "lankov-cold-war-alliance@1";
    let b = "lankov-cold-war-alliance@latest";
    for format in ["text", "unified", "json", "markdown", "html"] {
        let out = env.prov(&["diff", "--raw", "--format", format, a, b]);
        let text = out.ok();
        let head: String = text.lines().take(24).collect::<Vec<_>>().join("\n");
        assert!(
            head.contains("--raw") || head.contains("\"raw\": true"),
            "{format}: {head}"
        );
        insta::assert_snapshot!(format!("demo_diff_raw_{format}"), text);
    }
}

/// The edited page shows exactly the edits listed in tests/fixtures/demo/EDITS.md, and none of
/// the noise that changed around them (ads, related stories, dates).
#[test]
fn the_demo_diff_shows_exactly_the_real_edits() {
    let env = rebuilt();
    let out = env.prov(&[
        "diff",
        "--format",
        "json",
        "lankov-cold-war-alliance@2",
        "lankov-cold-war-alliance@latest",
    ]);
    let v: serde_json::Value = serde_json::from_str(out.ok()).unwrap();
    let changes = v["changes"].as_array().unwrap();
    let kinds: Vec<&str> = changes
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["replace", "move", "replace", "insert"],
        "{changes:#?}"
    );
    let inline_of = |c: &serde_json::Value, op: &str| -> String {
        c["inline"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["op"] == op)
            .map(|s| s["text"].as_str().unwrap())
            .collect::<Vec<_>>()
            .join("|")
    };
    let sentence = &changes[0];
    assert!(
        inline_of(sentence, "insert").contains("showed"),
        "{sentence:#?}"
    );
    assert!(
        inline_of(sentence, "delete").contains("demonstrated"),
        "{sentence:#?}"
    );
    assert!(
        changes[1]["old"]
            .as_str()
            .unwrap()
            .starts_with("A number of North Korean officials")
    );
    assert!(changes[1].get("inline").is_none_or(|i| i.is_null()));
    assert_eq!(inline_of(&changes[2], "delete"), "10");
    assert_eq!(inline_of(&changes[2], "insert"), "15");
    assert!(
        changes[3]["new"]
            .as_str()
            .unwrap()
            .starts_with("Correction, 9 May 2018:")
    );
    assert_eq!(v["stats"]["paragraphs_moved"], 1);
    let fields: Vec<&str> = v["metadata_changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["modified"]);
}

/// prov run on the repository's own demo archive, read only.
fn on_the_demo(args: &[&str]) -> String {
    let env = Env::new();
    let root = repo_file("");
    let mut all = vec!["--archive", root.to_str().unwrap()];
    all.extend_from_slice(args);
    env.prov(&all).ok().to_string()
}

const DEMO: &str = "lankov-cold-war-alliance";

#[test]
fn the_demo_lineage_finds_al_jazeera_first_and_the_reprint_faithful() {
    let v: serde_json::Value =
        serde_json::from_str(&on_the_demo(&["lineage", DEMO, "--json"])).unwrap();
    assert_eq!(v["original"], "aljazeera.com");
    // The paste has no metadata: the HTML capture 28 minutes later carries the published time.
    assert_eq!(v["copies"][0]["evidence"]["kind"], "published");
    assert_eq!(
        v["copies"][0]["evidence"]["capture"],
        "20180504T104000Z-b33f6ae2"
    );
    let reprint = &v["copies"][1];
    assert_eq!(reprint["copy"], "koreaobserver.example");
    assert_eq!(reprint["evidence"]["time"], "2018-05-06T06:00:00Z");
    assert_eq!(reprint["against_original"]["identical"], true);
    assert_eq!(
        reprint["against_original"]["from"],
        "20180504T101200Z-66841afb"
    );
    // Al Jazeera's own edits, counted against its first capture.
    let own = &v["copies"][0]["against_original"];
    assert_eq!(own["summary"], "+43 -8 words, 1 moved");
    assert_eq!(
        (
            own["paragraphs_added"].as_u64(),
            own["paragraphs_changed"].as_u64()
        ),
        (Some(1), Some(2))
    );
    assert_eq!(v["claims"][0]["copy"], "koreaobserver.example");
    assert_eq!(
        v["claims"][0]["text"],
        "This article was originally published by Al Jazeera."
    );
    assert_eq!(
        v["claims"][0]["names"],
        serde_json::json!(["aljazeera.com"])
    );
}

#[test]
fn the_demo_blame_gives_the_edits_to_the_later_capture_and_the_reprint_to_al_jazeera() {
    let b: serde_json::Value =
        serde_json::from_str(&on_the_demo(&["blame", DEMO, "--json"])).unwrap();
    assert_eq!(b["copy"], "aljazeera.com");
    let lines = b["paragraphs"].as_array().unwrap();
    assert_eq!(lines.len(), 20);
    // Paragraphs count from 1 after the title, which is named, as in `prov diff --json`.
    assert_eq!(lines[0]["para"], "title");
    assert_eq!(lines[1]["para"], 1);
    let edited: Vec<u64> = lines
        .iter()
        .filter(|l| l["capture"] == "20180509T162500Z-b95f7f65")
        .map(|l| l["para"].as_u64().unwrap())
        .collect();
    // The two edited paragraphs and the correction; the moved one keeps its origin.
    assert_eq!(edited, [4, 13, 18]);
    assert!(
        lines
            .iter()
            .filter(|l| l["para"].as_u64().is_none_or(|p| !edited.contains(&p)))
            .all(|l| l["capture"] == "20180504T101200Z-66841afb")
    );
    // The reprint on its own is its own; across copies, its every paragraph was in Al
    // Jazeera's paste, curly quotes aside.
    let reprint = format!("{DEMO}/koreaobserver.example");
    let blamed = |extra: &[&str]| -> Vec<String> {
        let mut args = vec!["blame", reprint.as_str(), "--json"];
        args.extend_from_slice(extra);
        let r: serde_json::Value = serde_json::from_str(&on_the_demo(&args)).unwrap();
        r["paragraphs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["capture"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(blamed(&[]), vec!["20180506T080000Z-3e40231a"; 19]);
    assert_eq!(
        blamed(&["--across-copies"]),
        vec!["20180504T101200Z-66841afb"; 19]
    );
}

#[test]
fn the_demo_exports_as_valid_prov_json() {
    let doc: serde_json::Value =
        serde_json::from_str(&on_the_demo(&["export", "--prov-json", DEMO])).unwrap();
    let problems = prov_json_check::check(&doc);
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(doc["entity"].as_object().unwrap().len(), 1 + 2 + 4 + 4);
    assert_eq!(
        doc["wasDerivedFrom"]["rel:revision-20180504T104000Z-b33f6ae2"]["pv:sameText"],
        true
    );
    assert_eq!(
        doc["wasDerivedFrom"]["rel:revision-20180509T162500Z-b95f7f65"]["pv:sameText"],
        false
    );
}
