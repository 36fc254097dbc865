//! The model built from captures in memory, and what its renderers make of hostile text.

// Test helpers unwrap: a failure there is a failed test, reported with its location.
#![allow(clippy::unwrap_used)]

use prov_model::fixity::{Problem, Report as Check};
use prov_model::{Capture, Meta};

use super::{
    CaptureData, Input, REPORT_VERSION, Report, build, build_index, html, markdown, write_json,
};

const HOSTILE: &str = "<script>alert(1)</script> <img src=x onerror=alert(2)>";

fn capture(copy: &str, id: &str, at: &str, title: &str, stripped: &str) -> Capture {
    let json = serde_json::json!({
        "meta_version": 1, "article": "story", "copy": copy, "capture": id, "kind": "page",
        "filed_by": "option", "source": "x.txt", "url": format!("https://{copy}/story"),
        "final_url": null, "captured_at": at, "captured_at_source": "declared",
        "archived_at": at, "http": null, "format": "text", "charset": null,
        "raw": {"file": "raw.txt", "sha256": "aa", "size": 1},
        "text": {"file": "text.txt", "sha256": "bb", "size": 1},
        "normalizer": {"version": 1, "rules_sha256": "cc", "rules": ""},
        "page": {"title": title, "description": null, "authors": [HOSTILE], "published": null,
                 "modified": null, "canonical_url": "javascript:alert(3)", "publisher": null,
                 "language": null, "attribution": HOSTILE},
        "stripped": [{"rule": "caption", "text": stripped}],
    });
    let meta = Meta::from_json(json.to_string().as_bytes()).unwrap();
    Capture {
        dir: format!("snapshots/story/{copy}/{id}"),
        meta,
        refiled: None,
    }
}

fn check(problems: Vec<Problem>) -> Check {
    Check {
        head: None,
        last_verified: None,
        commits: 3,
        captures: 3,
        files: 6,
        bytes: 0,
        problems,
        renormalized_differently: vec![],
    }
}

const P1: &str = "The first paragraph tells what happened on Monday in the capital city.";
const P2: &str = "A second paragraph gives the background readers need to follow the events.";
const P3: &str = "The third paragraph quotes an official who declined to give her name.";

/// Three captures: `a.example` twice (edited, a paragraph moved, hostile text inserted), and a
/// reprint on `b.example`.
fn story(problems: Vec<Problem>) -> Report {
    let caps = [
        capture(
            "a.example",
            "20200101T000000Z-00000001",
            "2020-01-01T00:00:00Z",
            "Story",
            HOSTILE,
        ),
        capture(
            "b.example",
            "20200102T000000Z-00000002",
            "2020-01-02T00:00:00Z",
            "Story",
            "x",
        ),
        capture(
            "a.example",
            "20200105T000000Z-00000003",
            "2020-01-05T00:00:00Z",
            "Story",
            "y",
        ),
    ];
    let texts = [
        format!("# Story\n\n{P1}\n\n{P2}\n\n{P3}\n"),
        format!("# Story\n\n{P1}\n\n{P2}\n\n{P3}\n"),
        format!("# Story\n\n{P2}\n\n{P1}\n\n{P3} {HOSTILE}\n\nA new paragraph {HOSTILE}\n"),
    ];
    let check = check(problems);
    let opts = prov_diff::Options::default();
    build(&Input {
        article: "story",
        captures: caps
            .iter()
            .zip(texts)
            .enumerate()
            .map(|(i, (c, t))| CaptureData {
                capture: c,
                text: Some(t),
                commit: Some(format!("{i}{}", "0".repeat(39))),
            })
            .collect(),
        check: &check,
        opts: &opts,
    })
}

fn rendered(r: &Report) -> (String, String, String) {
    let mut h = Vec::new();
    html::write(r, &mut h).unwrap();
    let mut m = Vec::new();
    markdown::write(r, &mut m).unwrap();
    let mut j = Vec::new();
    write_json(r, &mut j).unwrap();
    let s = |v: Vec<u8>| String::from_utf8(v).unwrap();
    (s(h), s(m), s(j))
}

#[test]
fn the_model_has_copies_timeline_changes_and_comparisons_with_the_earliest() {
    let r = story(vec![]);
    assert_eq!(r.title, "Story");
    let copies: Vec<(&str, usize)> = r
        .copies
        .iter()
        .map(|c| (c.copy.as_str(), c.captures))
        .collect();
    assert_eq!(copies, [("a.example", 2), ("b.example", 1)]);
    let changes: Vec<&str> = r.captures.iter().map(|c| c.change.as_str()).collect();
    assert_eq!(changes[0], "first capture");
    assert_eq!(changes[1], "first capture");
    assert!(changes[2].ends_with("1 moved"), "{changes:?}");
    let edit = r.captures[2].since_previous.as_ref().unwrap();
    assert_eq!((edit.from_n, edit.to_n), (1, 3));
    let kinds: Vec<&str> = edit.changes.iter().map(|c| c.label.as_str()).collect();
    assert!(
        kinds.iter().any(|k| k.starts_with("moved from")),
        "{kinds:?}"
    );
    // The reprint is the same text as the earliest capture; the edited original is not.
    assert!(r.copies[1].against_earliest.as_ref().unwrap().identical);
    assert!(!r.copies[0].against_earliest.as_ref().unwrap().identical);
    assert!(r.fixity.intact);
    assert_eq!(r.as_of.as_deref(), Some("2020-01-05T00:00:00Z"));
    // The stealth edit is the largest mark; first captures are rings of one size. One row
    // per capture in its copy's lane, the date on the first row of a day, a gap line where
    // days passed.
    let rows = &r.chart.rows;
    assert_eq!(r.chart.lanes, ["a.example", "b.example"]);
    assert_eq!(rows[2].state, "changed");
    assert!(rows[2].size > rows[0].size);
    let lanes: Vec<usize> = rows.iter().map(|m| m.lane).collect();
    assert_eq!(lanes, [0, 1, 0]);
    assert_eq!(rows[0].date.as_deref(), Some("2020-01-01"));
    assert_eq!(rows[0].gap, None);
    assert_eq!(rows[2].gap.as_deref(), Some("3 days later"));
    let index = build_index(std::slice::from_ref(&r));
    assert_eq!(index.articles[0].edits, 1);
    let last = index.articles[0].last_change.as_ref().unwrap();
    assert_eq!((last.n, last.copy.as_str()), (3, "a.example"));
    assert_eq!(index.edited, 1);
}

#[test]
fn only_problems_of_this_article_count() {
    let theirs = Problem {
        capture: Some("20990101T000000Z-ffffffff".into()),
        path: "snapshots/other/x/20990101T000000Z-ffffffff/raw.txt".into(),
        problem: "its sha256 or size differs from meta.json".into(),
    };
    assert!(story(vec![theirs]).fixity.intact);
    let ours = Problem {
        capture: Some("20200102T000000Z-00000002".into()),
        path: "snapshots/story/b.example/20200102T000000Z-00000002/raw.txt".into(),
        problem: "its sha256 or size differs from meta.json".into(),
    };
    let r = story(vec![ours]);
    assert!(!r.fixity.intact);
    assert!(!r.captures[1].verified && r.captures[0].verified);
    let (h, m, _) = rendered(&r);
    assert!(h.contains("1 fixity problem"), "{h}");
    assert!(m.contains("**Fixity: 1 problem**"), "{m}");
}

#[test]
fn hostile_page_text_is_escaped_in_html_and_markdown() {
    let (h, m, j) = rendered(&story(vec![]));
    let lower = h.to_lowercase();
    assert!(!lower.contains("<script"), "a script tag got through");
    assert!(!lower.contains("<img"), "an img tag got through");
    assert!(
        h.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"),
        "{h}"
    );
    assert!(h.contains("onerror=alert(2)"));
    assert!(
        !h.contains("href=\"javascript:"),
        "a javascript: URL became a link"
    );
    for tag in ["<script", "<img"] {
        for (at, _) in m.match_indices(tag) {
            assert!(m[..at].ends_with('\\'), "an unescaped {tag} in:\n{m}");
        }
    }
    assert!(m.contains(r"\<script\>alert(1)\</script\>"), "{m}");
    // The JSON is the model: the text as it is, escaped only as JSON strings are.
    assert!(j.contains("<script>alert(1)</script>"));
}

#[test]
fn rendering_is_deterministic_and_json_is_the_model() {
    let a = rendered(&story(vec![]));
    let b = rendered(&story(vec![]));
    assert_eq!(a, b);
    let v: serde_json::Value = serde_json::from_str(&a.2).unwrap();
    assert_eq!(v["report_version"], REPORT_VERSION);
    assert_eq!(
        v["captures"][2]["since_previous"]["from"],
        "20200101T000000Z-00000001"
    );
    let kinds: Vec<&str> = v["captures"][2]["since_previous"]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"move"), "{kinds:?}");
}

/// Issue 26: report.json numbers paragraphs as `prov diff --format json` does, from 1 after
/// the title, which is called `"title"`, never paragraph 0.
#[test]
fn report_json_names_the_title_as_diff_json_does() {
    let at = |n: u32| {
        capture(
            "a.example",
            &format!("2020010{n}T000000Z-0000000{n}"),
            &format!("2020-01-0{n}T00:00:00Z"),
            "Story",
            "x",
        )
    };
    let (first, second) = (at(1), at(2));
    let check = check(vec![]);
    let opts = prov_diff::Options::default();
    let data = |c, t: &str| CaptureData {
        capture: c,
        text: Some(t.to_string()),
        commit: None,
    };
    let r = build(&Input {
        article: "story",
        captures: vec![
            data(&first, &format!("# Story\n\n{P1}\n\n{P2}\n")),
            data(&second, &format!("# A story retold\n\n{P1}\n\n{P3}\n")),
        ],
        check: &check,
        opts: &opts,
    });
    let (.., j) = rendered(&r);
    let v: serde_json::Value = serde_json::from_str(&j).unwrap();
    let changes = v["captures"][1]["since_previous"]["changes"]
        .as_array()
        .unwrap();
    // Each change's paragraphs, as written: the title and paragraph 2 replaced anew.
    let paras: Vec<String> = changes
        .iter()
        .flat_map(|c| [&c["a_para"], &c["b_para"]])
        .filter(|p| !p.is_null())
        .map(|p| p.to_string())
        .collect();
    assert_eq!(paras, [r#""title""#, r#""title""#, "2", "2"], "{changes:?}");
    assert!(!j.contains("_para\": 0"), "{j}");
}

#[test]
fn a_gone_capture_is_a_finding_on_the_timeline_and_renders() {
    let page = capture(
        "a.example",
        "20200101T000000Z-00000001",
        "2020-01-01T00:00:00Z",
        "Story",
        "x",
    );
    let mut gone = capture(
        "a.example",
        "20200103T000000Z-00000004",
        "2020-01-03T00:00:00Z",
        "Story",
        "x",
    );
    gone.meta.kind = prov_model::Kind::Gone;
    gone.meta.http = Some(prov_model::facts::HttpFacts {
        status: 410,
        ..Default::default()
    });
    gone.meta.text = None;
    gone.meta.stripped.clear();
    let check = check(vec![]);
    let opts = prov_diff::Options::default();
    let r = build(&Input {
        article: "story",
        captures: vec![
            CaptureData {
                capture: &page,
                text: Some(format!("# Story\n\n{P1}\n")),
                commit: None,
            },
            CaptureData {
                capture: &gone,
                text: None,
                commit: None,
            },
        ],
        check: &check,
        opts: &opts,
    });
    assert_eq!(r.captures[1].change, "gone (410)");
    assert!(r.captures[1].since_previous.is_none());
    assert_eq!(r.chart.rows[1].state, "gone");
    assert!(r.copies[0].against_earliest.is_none());
    let (h, m, _) = rendered(&r);
    assert!(h.contains("The URL is gone: it answered 410."), "{h}");
    assert!(h.contains("the URL is gone or moved"), "{h}");
    assert!(m.contains("The URL is gone: it answered 410."), "{m}");
    assert!(h.contains("not committed"));
}

/// Issue 21: a page captured without text is shown as such ("no text: <reason>") in its
/// section and on the timeline, not as an emptied text; the next capture is compared with
/// the last text before it.
#[test]
fn a_capture_without_text_says_so_and_is_compared_with_nothing() {
    let at = |n: u32| {
        capture(
            "a.example",
            &format!("2020010{n}T000000Z-0000000{n}"),
            &format!("2020-01-0{n}T00:00:00Z"),
            "Story",
            "x",
        )
    };
    let (first, mut empty, last) = (at(1), at(2), at(3));
    empty.meta.no_text = Some(prov_model::page::NoText::NoBody);
    if let Some(t) = empty.meta.text.as_mut() {
        t.size = 0;
    }
    let check = check(vec![]);
    let opts = prov_diff::Options::default();
    let text = |paragraphs: &[&str]| Some(format!("# Story\n\n{}\n", paragraphs.join("\n\n")));
    let r = build(&Input {
        article: "story",
        captures: vec![
            CaptureData {
                capture: &first,
                text: text(&[P1]),
                commit: None,
            },
            CaptureData {
                capture: &empty,
                text: Some(String::new()),
                commit: None,
            },
            CaptureData {
                capture: &last,
                text: text(&[P1, P2]),
                commit: None,
            },
        ],
        check: &check,
        opts: &opts,
    });
    let said = "no text: no article text was found in it";
    assert_eq!(r.captures[1].change, said);
    assert!(r.captures[1].since_previous.is_none());
    assert!(r.captures[1].clean_text.is_none());
    assert_eq!(r.chart.rows[1].state, "notext");
    assert_eq!(r.chart.rows[1].label, said);
    let since = r.captures[2].since_previous.as_ref().unwrap();
    assert_eq!(since.from_n, 1);
    assert_eq!(since.stats.words_deleted, 0);
    let (h, m, j) = rendered(&r);
    for out in [&h, &m] {
        assert!(
            out.contains("No text: no article text was found in it."),
            "{out}"
        );
    }
    assert!(h.contains("captured without text"), "{h}");
    assert!(
        j.contains("\"no_text\": \"no article text was found in it\""),
        "{j}"
    );
}

#[test]
fn a_moved_capture_names_its_status_and_target() {
    let page = capture(
        "a.example",
        "20200101T000000Z-00000001",
        "2020-01-01T00:00:00Z",
        "Story - The Outlet",
        "x",
    );
    let mut moved = capture(
        "a.example",
        "20260103T000000Z-00000004",
        "2026-01-03T00:00:00Z",
        "Story",
        "x",
    );
    moved.meta.kind = prov_model::Kind::Moved;
    moved.meta.text = None;
    moved.meta.final_url = Some("https://a.example/elsewhere".into());
    moved.meta.http = Some(prov_model::facts::HttpFacts {
        status: 200,
        redirects: vec![prov_model::facts::Redirect {
            url: "https://a.example/story".into(),
            status: 301,
            location: "/elsewhere".into(),
        }],
        ..Default::default()
    });
    let check = check(vec![]);
    let opts = prov_diff::Options::default();
    let r = build(&Input {
        article: "story",
        captures: vec![
            CaptureData {
                capture: &page,
                text: Some(format!("# Story\n\n{P1}\n\n## Then\n\n{P2}\n")),
                commit: None,
            },
            CaptureData {
                capture: &moved,
                text: None,
                commit: None,
            },
        ],
        check: &check,
        opts: &opts,
    });
    // The heading is the clean title, not the page's <title> with the outlet's name.
    assert_eq!(r.title, "Story");
    assert_eq!(
        r.captures[1].change,
        "moved (301) to https://a.example/elsewhere"
    );
    assert_eq!(r.chart.rows[1].gap.as_deref(), Some("6 years later"));
    assert_eq!(r.chart.rows[1].date.as_deref(), Some("2026-01-03"));
    let (h, m, j) = rendered(&r);
    assert!(
        h.contains("The URL has moved: it redirected (301) to <a href=\"https:&#x2f;&#x2f;a.example&#x2f;elsewhere\""),
        "{h}"
    );
    assert!(
        m.contains("The URL has moved: it redirected (301) to "),
        "{m}"
    );
    // The captured text is in the report, collapsed, as title, headings and paragraphs.
    assert!(h.contains("<details class=\"text\">"), "{h}");
    assert!(
        h.contains("<h5>Then</h5>") && h.contains(&format!("<p>{P1}</p>")),
        "{h}"
    );
    assert!(m.contains("<summary>Captured text</summary>"), "{m}");
    let v: serde_json::Value = serde_json::from_str(&j).unwrap();
    assert_eq!(v["captures"][1]["finding"]["status"], 301);
    assert_eq!(
        v["captures"][1]["finding"]["target"],
        "https://a.example/elsewhere"
    );
    assert!(
        v["captures"][0]["clean_text"]
            .as_str()
            .unwrap()
            .starts_with("# Story")
    );
}

#[test]
fn the_index_puts_the_latest_change_first() {
    let mut early = story(vec![]);
    early.article = "early".into();
    let mut late = story(vec![]);
    late.article = "late".into();
    for c in &mut late.captures {
        c.captured_at = c.captured_at.replace("2020", "2024");
    }
    let mut quiet = story(vec![]);
    quiet.article = "a-quiet-one".into();
    quiet.captures.truncate(1);
    let index = build_index(&[early, quiet, late]);
    let order: Vec<&str> = index.articles.iter().map(|a| a.article.as_str()).collect();
    assert_eq!(order, ["late", "early", "a-quiet-one"]);
    let mut h = Vec::new();
    html::write_index(&index, &mut h).unwrap();
    let h = String::from_utf8(h).unwrap();
    assert!(h.contains("<tr class=\"article edited\">"), "{h}");
    assert!(h.contains("Edited (2)"), "{h}");
}
