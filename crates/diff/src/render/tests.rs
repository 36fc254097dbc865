//! Renderer tests: each format on a small diff, escaping, and unified output applied to A.

use super::*;
use crate::{Options, diff};

fn side(r: &str, text: &str) -> Side {
    Side {
        reference: r.into(),
        capture: Some(format!("c-{r}")),
        text_sha256: "00".into(),
        text: text.into(),
        ..Side::default()
    }
}

fn out(a: &str, b: &str, f: Format) -> String {
    let d = diff(a, b, &Options::default());
    let (sa, sb) = (side("art@1", a), side("art@2", b));
    let meta = [MetadataChange {
        field: "byline".into(),
        old: Some("Ann".into()),
        new: Some("Bob".into()),
    }];
    let view = DiffView {
        a: &sa,
        b: &sb,
        diff: &d,
        metadata_changes: &meta,
        raw: false,
        formatting: false,
    };
    let mut buf = Vec::new();
    render(&view, f, &mut buf).expect("write to a Vec");
    String::from_utf8(buf).expect("utf-8")
}

const A: &str = "# Title\n\nThe toll rose to 10 people on Monday.\n\nSecond paragraph stays the same here.\n\nThird one moves to the end of the text.\n\nFourth paragraph is the last one now.\n";
const B: &str = "# Title\n\nThe toll rose to 15 people on Monday.\n\nSecond paragraph stays the same here.\n\nFourth paragraph is the last one now.\n\nThird one moves to the end of the text.\n";

#[test]
fn raw_is_said_in_every_format() {
    let d = diff(A, B, &Options::default());
    let (sa, sb) = (side("art@1", A), side("art@2", B));
    for raw in [false, true] {
        let view = DiffView {
            a: &sa,
            b: &sb,
            diff: &d,
            metadata_changes: &[],
            raw,
            formatting: false,
        };
        for f in [
            Format::Text { color: false },
            Format::Unified,
            Format::Json,
            Format::Markdown,
            Format::Html,
        ] {
            let mut buf = Vec::new();
            render(&view, f, &mut buf).expect("write to a Vec");
            let t = String::from_utf8(buf).expect("utf-8");
            let said = t.contains("--raw") || t.contains("\"raw\": true");
            assert_eq!(said, raw, "{f:?}: {t}");
        }
        let mut buf = Vec::new();
        render(&view, Format::Unified, &mut buf).expect("write to a Vec");
        let t = String::from_utf8(buf).expect("utf-8");
        // The note comes before the diff proper, where `patch` skips it.
        assert_eq!(t.lines().nth(usize::from(raw)), Some("--- a/art@1"), "{t}");
    }
}

#[test]
fn text_plain_and_colour() {
    let t = out(A, B, Format::Text { color: false });
    assert!(t.contains("--- a: art@1 (capture c-art@1)"), "{t}");
    assert!(
        t.contains("@@ paragraph 1 @@\nThe toll rose to [-10-]{+15+} people on Monday."),
        "{t}"
    );
    assert!(t.contains("@@ moved from paragraph 4 to 3 @@"), "{t}");
    assert!(t.contains("+1 -1 words, 1 moved, similarity 0.9"), "{t}");
    assert!(t.contains("metadata byline: Ann -> Bob"), "{t}");
    assert!(!t.contains('\x1b'));
    let c = out(A, B, Format::Text { color: true });
    assert!(c.contains("\x1b[31m10\x1b[0m\x1b[32m15\x1b[0m"), "{c}");
    let same = out(A, A, Format::Text { color: false });
    assert_eq!(
        same.lines().next(),
        Some("art@1 (capture c-art@1) and art@2 (capture c-art@2) are identical")
    );
    // Escape sequences in page text never reach the terminal.
    let evil = out(
        "# T\n\nok",
        "# T\n\nok \x1b[2J now",
        Format::Text { color: false },
    );
    assert!(!evil.contains('\x1b'), "{evil:?}");
}

#[test]
fn json_shape() {
    let j: serde_json::Value = serde_json::from_str(&out(A, B, Format::Json)).expect("json");
    let keys: Vec<&str> = j
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "format",
            "a",
            "b",
            "identical",
            "similarity",
            "changes",
            "metadata_changes",
            "stats"
        ]
    );
    assert_eq!(j["a"]["ref"], "art@1");
    assert_eq!(j["changes"][0]["kind"], "replace");
    assert_eq!(
        j["changes"][0]["inline"][1],
        serde_json::json!({"op": "delete", "text": "10"})
    );
    assert_eq!(j["changes"][1]["kind"], "move");
    assert!(j["changes"][1].get("inline").is_none());
    assert_eq!(
        j["stats"],
        serde_json::json!({"words_inserted": 1, "words_deleted": 1, "paragraphs_moved": 1})
    );
    let s = j["similarity"].as_f64().expect("number");
    assert_eq!(s, (s * 10_000.0).round() / 10_000.0);
}

#[test]
fn markdown_marks_and_escapes() {
    let m = out(A, B, Format::Markdown);
    assert!(m.starts_with("# Changes from art@1 to art@2\n"), "{m}");
    assert!(
        m.contains("> The toll rose to ~~10~~ people on Monday."),
        "{m}"
    );
    assert!(
        m.contains("> The toll rose to **15** people on Monday."),
        "{m}"
    );
    let m = out(
        "# T\n\nplain",
        "# T\n\nplain *not bold* <b>x</b> [link](http://e)",
        Format::Markdown,
    );
    assert!(m.contains("\\*not"), "{m}");
    assert!(m.contains("\\<b\\>"), "{m}");
    assert!(m.contains("\\[link\\](http://e)"), "{m}");
    // Block syntax is escaped where a line can start with it.
    assert_eq!(super::markdown::esc("# not a heading"), "\\# not a heading");
    assert_eq!(super::markdown::esc("1. not a list"), "1\\. not a list");
    assert_eq!(
        super::markdown::esc("- not an item, 2.5 - 1"),
        "\\- not an item, 2.5 - 1"
    );
}

/// The "Old" quote is the old paragraph as written: a stretch equal after folding is drawn
/// in the newer typography only where the two sides are merged into one line.
#[test]
fn markdown_old_quote_keeps_the_old_typography() {
    let a = "# T\n\n\u{201c}We should go on,\u{201d} she said, especially now, in Russia\u{2019}s view.\n";
    let b = "# T\n\n\"We should go on,\" she said, above all now, in Russia's view.\n";
    let m = out(a, b, Format::Markdown);
    assert!(
        m.contains("> \u{201c}We should go on,\u{201d} she said, ~~especially~~ now, in Russia\u{2019}s view."),
        "{m}"
    );
    assert!(
        m.contains("> \"We should go on,\" she said, **above all** now, in Russia's view."),
        "{m}"
    );
    let t = out(a, b, Format::Text { color: false });
    assert!(
        t.contains("\"We should go on,\" she said, [-especially-]"),
        "{t}"
    );
}

/// A long paragraph edited throughout is quoted as written too: thousands of segments are
/// placed in one pass (no recursion to run out of stack).
#[test]
fn old_side_of_a_long_paragraph_edited_throughout() {
    let words: Vec<String> = (0..6_000).map(|i| format!("w{i}")).collect();
    let old = words.join(" ").replace("w1 ", "\u{201c}w1\u{201d} ");
    let new: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if i % 4 == 3 {
                format!("x{i}")
            } else {
                w.clone()
            }
        })
        .collect();
    let new = new.join(" ").replace("w1 ", "\"w1\" ");
    let d = diff(
        &format!("# T\n\n{old}\n"),
        &format!("# T\n\n{new}\n"),
        &Options::default(),
    );
    let c = &d.changes[0];
    let quoted: String = old_side(c).iter().map(|s| s.text.as_str()).collect();
    assert_eq!(quoted, old);
    assert!(old_side(c).len() > 2_000);
}

#[test]
fn html_escapes_page_text() {
    let h = out(
        "# T\n\nSafe text.",
        "# T\n\nSafe text. <script>alert(1)</script> <img src=x onerror=alert(2)>",
        Format::Html,
    );
    assert!(h.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{h}");
    assert!(!h.contains("<script"), "{h}");
    assert!(!h.contains("<img"), "{h}");
    assert!(h.contains("<ins>"), "{h}");
    let h = out(A, B, Format::Html);
    assert!(h.contains("<del>10</del><ins>15</ins>"), "{h}");
    assert!(h.contains("class=\"moved\""), "{h}");
    assert!(
        !h.contains("http://") && !h.contains("https://"),
        "no external request"
    );
}

/// A minimal `patch`: applies unified hunks to a text, checking every context line.
fn apply_unified(a: &str, patch: &str) -> Option<String> {
    let lines: Vec<&str> = a.split_inclusive('\n').collect();
    let mut out = String::new();
    let mut next = 0; // next line of `a` not yet copied
    let mut plines = patch.split_inclusive('\n').peekable();
    let mut last_pushed_is_old = None;
    while let Some(l) = plines.next() {
        if l.starts_with("--- ") || l.starts_with("+++ ") {
            continue;
        }
        if let Some(h) = l.strip_prefix("@@ -") {
            let from: usize = h.split([',', ' ']).next()?.parse().ok()?;
            let count: usize = h.split(' ').next()?.split(',').nth(1)?.parse().ok()?;
            let start = if count == 0 { from } else { from - 1 };
            while next < start {
                out.push_str(lines.get(next)?);
                next += 1;
            }
            continue;
        }
        if l.starts_with('\\') {
            // The previous line had no newline at end of file.
            if last_pushed_is_old == Some(false) && out.ends_with('\n') {
                out.pop();
            }
            continue;
        }
        let (mark, body) = l.split_at(1);
        let body_nl = if plines.peek().is_some_and(|n| n.starts_with('\\')) {
            body.strip_suffix('\n').unwrap_or(body)
        } else {
            body
        };
        match mark {
            " " => {
                if *lines.get(next)? != body_nl {
                    return None;
                }
                out.push_str(body_nl);
                next += 1;
                last_pushed_is_old = Some(true);
            }
            "-" => {
                if *lines.get(next)? != body_nl {
                    return None;
                }
                next += 1;
            }
            "+" => {
                out.push_str(body_nl);
                last_pushed_is_old = Some(false);
            }
            _ => return None,
        }
    }
    while next < lines.len() {
        out.push_str(lines[next]);
        next += 1;
    }
    Some(out)
}

#[test]
fn unified_applies_to_a() {
    let u = out(A, B, Format::Unified);
    assert!(u.starts_with("--- a/art@1\n+++ b/art@2\n@@ -1,"), "{u}");
    assert_eq!(apply_unified(A, &u).as_deref(), Some(B));
    // Typography-only: nothing.
    assert_eq!(out("# “T”\n", "# \"T\"\n", Format::Unified), "");
    // No final newline on either side.
    let (a, b) = ("# T\n\nx", "# T\n\ny");
    let u = out(a, b, Format::Unified);
    assert!(u.contains("\\ No newline at end of file"), "{u}");
    assert_eq!(apply_unified(a, &u).as_deref(), Some(b));
}

#[test]
fn unified_applies_to_a_on_long_texts() {
    let mut a = String::from("# T\n");
    let mut b = String::from("# T\n");
    for i in 0..200 {
        a.push_str(&format!("\nParagraph {i} text.\n"));
        if i % 37 == 5 {
            b.push_str(&format!("\nParagraph {i} changed.\n"));
        } else if i % 53 != 7 {
            b.push_str(&format!("\nParagraph {i} text.\n"));
        }
    }
    let u = out(&a, &b, Format::Unified);
    assert!(u.matches("@@ -").count() > 3, "{u}");
    assert_eq!(apply_unified(&a, &u), Some(b));
}

proptest::proptest! {
    #![proptest_config(crate::testing::proptest_config(256))]
    #[test]
    fn unified_always_applies(a in "(([abc] ?){0,3}\n){0,12}[abc]?", b in "(([abc] ?){0,3}\n){0,12}[abc]?") {
        let u = out(&a, &b, Format::Unified);
        if !u.is_empty() {
            proptest::prop_assert_eq!(apply_unified(&a, &u), Some(b));
        }
    }
}

/// Marked spans of each format: (deleted, inserted), as the page shows them.
fn marked(f: Format, t: &str) -> (Vec<String>, Vec<String>) {
    let between = |s: &str, open: &str, close: &str| -> Vec<String> {
        let mut out = Vec::new();
        let mut rest = s;
        while let Some(i) = rest.find(open) {
            let after = &rest[i + open.len()..];
            let Some(j) = after.find(close) else { break };
            out.push(after[..j].to_string());
            rest = &after[j + close.len()..];
        }
        out
    };
    let unescape_html = |s: String| {
        s.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    };
    match f {
        Format::Text { .. } => (between(t, "[-", "-]"), between(t, "{+", "+}")),
        Format::Html => (
            between(t, "<del>", "</del>")
                .into_iter()
                .map(unescape_html)
                .collect(),
            between(t, "<ins>", "</ins>")
                .into_iter()
                .map(unescape_html)
                .collect(),
        ),
        Format::Markdown => {
            let quoted: String = t
                .lines()
                .filter_map(|l| l.strip_prefix("> "))
                .collect::<Vec<_>>()
                .join("\n");
            let unescape = |s: String| s.replace('\\', "");
            (
                between(&quoted, "~~", "~~")
                    .into_iter()
                    .map(unescape)
                    .collect(),
                between(&quoted, "**", "**")
                    .into_iter()
                    .map(unescape)
                    .collect(),
            )
        }
        Format::Json => {
            let v: serde_json::Value = serde_json::from_str(t).expect("json");
            let (mut del, mut ins) = (Vec::new(), Vec::new());
            for c in v["changes"].as_array().into_iter().flatten() {
                match c["kind"].as_str() {
                    Some("delete") => del.push(c["old"].as_str().unwrap_or("").to_string()),
                    Some("insert") => ins.push(c["new"].as_str().unwrap_or("").to_string()),
                    _ => {
                        for s in c["inline"].as_array().into_iter().flatten() {
                            let text = s["text"].as_str().unwrap_or("").to_string();
                            match s["op"].as_str() {
                                Some("delete") => del.push(text),
                                Some("insert") => ins.push(text),
                                _ => {}
                            }
                        }
                    }
                }
            }
            (del, ins)
        }
        Format::Unified => (Vec::new(), Vec::new()),
    }
}

/// A paragraph of words with the typography, spacing and marks that vary between captures.
fn article_para() -> impl proptest::strategy::Strategy<Value = Vec<String>> {
    let word = proptest::sample::select(vec![
        "council",
        "Putin",
        "said",
        "budget",
        "Romney’s",
        "rents",
        "“rose”",
        "the",
        "people",
        "Monday,",
        "vote",
        "10",
        "15",
        "library.",
        "it’s",
        "well-known",
        "Na",
        "—",
    ]);
    proptest::collection::vec(word.prop_map(str::to_string), 3..10)
}

/// A paragraph as another capture may write it without an editor touching it: straight
/// quotes, spaces before punctuation and inside apostrophes, a heading mark, a drop cap.
fn retemplated(words: &[String], how: u8) -> String {
    let text = words.join(" ");
    match how % 5 {
        0 => text,
        1 => text.replace(['“', '”'], "\"").replace('’', "'"),
        2 => text
            .replace(',', " ,")
            .replace('.', " .")
            .replace('’', " ’"),
        3 => format!("## {text}"),
        _ if text.starts_with("Na ") => text.replacen("Na", "N a", 1),
        _ => text,
    }
}

use proptest::prelude::*;

proptest! {
    #![proptest_config(crate::testing::proptest_config(128))]
    /// What is drawn is what is counted: in every format, the words of the marked spans are
    /// the counted ones, no marked deletion and insertion side by side are equal once
    /// folded, and texts that differ only as a new template writes them are identical.
    #[test]
    fn every_format_marks_exactly_what_is_counted(
        paras in proptest::collection::vec(article_para(), 1..6),
        hows in proptest::collection::vec(0u8..5, 6),
        edits in proptest::collection::vec((0usize..6, 0usize..10, article_para()), 0..4),
    ) {
        let a: Vec<String> = paras.iter().enumerate().map(|(i, p)| retemplated(p, hows[i] / 2)).collect();
        let mut edited = paras.clone();
        for (p, w, new) in &edits {
            let n = edited.len();
            let para = &mut edited[p % n];
            let at = w % para.len();
            para[at] = new[0].clone();
        }
        let b: Vec<String> = edited.iter().enumerate().map(|(i, p)| retemplated(p, hows[i])).collect();
        let (ta, tb) = (format!("# T\n\n{}\n", a.join("\n\n")), format!("# T\n\n{}\n", b.join("\n\n")));
        let d = diff(&ta, &tb, &Options::default());
        let words_changed = paras.iter().zip(&edited).any(|(x, y)| {
            x.iter().zip(y).any(|(u, v)| crate::fold(u) != crate::fold(v))
        });
        prop_assert_eq!(d.identical, !words_changed, "{:?}", d);
        prop_assert_eq!(d.identical, d.changes.is_empty());
        let (sa, sb) = (side("art@1", &ta), side("art@2", &tb));
        let view = DiffView { a: &sa, b: &sb, diff: &d, metadata_changes: &[], raw: false, formatting: false };
        let count = |spans: &[String]| -> usize {
            spans.iter().map(|s| crate::words::count_words(&crate::fold(s))).sum()
        };
        for f in [Format::Text { color: false }, Format::Json, Format::Markdown, Format::Html] {
            let mut buf = Vec::new();
            render(&view, f, &mut buf).expect("write to a Vec");
            let t = String::from_utf8(buf).expect("utf-8");
            let (del, ins) = marked(f, &t);
            prop_assert_eq!(count(&del), d.stats.words_deleted, "{:?} deletions {:?}\n{}", f, del, t);
            prop_assert_eq!(count(&ins), d.stats.words_inserted, "{:?} insertions {:?}\n{}", f, ins, t);
            if d.identical {
                prop_assert!(del.is_empty() && ins.is_empty(), "{:?}: {}", f, t);
            }
        }
        for c in &d.changes {
            // The old side of a change quotes the old paragraph as written, to the byte.
            let old_text = match c {
                Change::Replace { old, .. } | Change::Split { old, .. } | Change::Merge { old, .. }
                | Change::Move { old, inline: Some(_), .. } | Change::Delete { old, .. } => Some(old),
                _ => None,
            };
            if let Some(old) = old_text {
                let quoted: String = old_side(c).iter().map(|s| s.text.as_str()).collect();
                prop_assert_eq!(&quoted, old, "{:?}", c);
            }
            let segs = body(c);
            for w in segs.windows(2) {
                if w[0].op == Op::Delete && w[1].op == Op::Insert {
                    prop_assert_ne!(
                        crate::fold(&w[0].text).replace(' ', ""),
                        crate::fold(&w[1].text).replace(' ', ""),
                        "{:?}", c
                    );
                }
            }
        }
    }
}

#[test]
fn formatting_is_listed_only_on_request() {
    let a = "# T\n\n## Political living fossil\n\nThe council met on Monday.\n";
    let b = "# T\n\nPolitical living fossil\n\nThe council met on Monday.\n";
    let d = diff(a, b, &Options::default());
    assert!(d.identical && d.changes.is_empty(), "{d:?}");
    assert_eq!(d.similarity, 1.0);
    assert_eq!(d.formatting.len(), 1);
    assert_eq!(
        (d.formatting[0].was.as_str(), d.formatting[0].now.as_str()),
        ("heading", "paragraph")
    );
    let (sa, sb) = (side("art@1", a), side("art@2", b));
    for shown in [false, true] {
        let view = DiffView {
            a: &sa,
            b: &sb,
            diff: &d,
            metadata_changes: &[],
            raw: false,
            formatting: shown,
        };
        for f in [
            Format::Text { color: false },
            Format::Json,
            Format::Markdown,
            Format::Html,
        ] {
            let mut buf = Vec::new();
            render(&view, f, &mut buf).expect("write to a Vec");
            let t = String::from_utf8(buf).expect("utf-8");
            assert_eq!(
                t.contains("heading → paragraph") || t.contains("\"was\": \"heading\""),
                shown,
                "{f:?}: {t}"
            );
            if f != Format::Json {
                assert_eq!(t.contains("--formatting lists them"), !shown, "{f:?}: {t}");
            }
            assert!(!t.contains("[-##") && !t.contains("<del>"), "{f:?}: {t}");
        }
    }
}

/// The title is called the title in every format; paragraphs count from 1 after it, and the
/// JSON says `"title"` where format 1 said 0.
#[test]
fn the_title_is_called_the_title() {
    let a = "# Old title\n\nThe toll rose to 10 people on Monday.\n";
    let b = "# New title\n\nThe toll rose to 15 people on Monday.\n";
    for f in [
        Format::Text { color: false },
        Format::Markdown,
        Format::Html,
    ] {
        let t = out(a, b, f).to_lowercase();
        assert!(t.contains("the title"), "{t}");
        assert!(!t.contains("paragraph 0"), "{t}");
        assert!(t.contains("paragraph 1"), "{t}");
    }
    let j: serde_json::Value = serde_json::from_str(&out(a, b, Format::Json)).unwrap();
    assert_eq!(j["format"], JSON_FORMAT);
    let paras: Vec<&serde_json::Value> = j["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["b_para"])
        .collect();
    assert_eq!(paras, [&serde_json::json!("title"), &serde_json::json!(1)]);
    assert_eq!(j["a"]["capture"], "c-art@1");
}
