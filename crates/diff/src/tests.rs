//! Tests of the differ as a whole: alignment cases, stats, summary and properties.

use proptest::prelude::*;

use super::*;

fn d(a: &str, b: &str) -> Diff {
    diff(a, b, &Options::default())
}

fn text(paras: &[&str]) -> String {
    paras.join("\n\n") + "\n"
}

const P1: &str = "The council met on Tuesday to discuss the new budget for the coming year.";
const P2: &str = "Residents raised concerns about rising rents and the closure of the library.";
const P3: &str = "The mayor promised a review of spending before the vote next month.";
const P4: &str = "Opposition members called the plan reckless and demanded a public hearing.";

fn base() -> Vec<&'static str> {
    vec!["# Council debates budget", P1, P2, P3, P4]
}

fn assert_applies(a: &str, b: &str, df: &Diff) {
    let got = apply(a, df).expect("diff fits A");
    let want: Vec<String> = b
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| fold(l).into_owned())
        .collect();
    let got: Vec<String> = got
        .split("\n\n")
        .filter(|l| !l.trim().is_empty())
        .map(|l| fold(l).into_owned())
        .collect();
    assert_eq!(got, want);
}

#[test]
fn identical_texts() {
    let a = text(&base());
    let r = d(&a, &a);
    assert!(r.identical && r.changes.is_empty());
    assert_eq!(r.similarity, 1.0);
    assert_eq!(r.summary(), "unchanged");
    assert!(d("", "").identical);
    assert_eq!(d("", "").similarity, 1.0);
}

#[test]
fn typography_only_is_identical() {
    let a = "# “Quoted” title\n\nIt’s a deal — he said… twice.\n";
    let b = "# \"Quoted\" title\n\nIt's a deal - he said... twice.\n\n\n";
    let r = d(a, b);
    assert!(r.identical, "{r:?}");
    assert!(r.changes.is_empty());
    assert!(
        !diff(
            a,
            b,
            &Options {
                raw: true,
                ..Options::default()
            }
        )
        .identical
    );
}

#[test]
fn edit_is_one_replace_with_inline() {
    let a = text(&base());
    let mut pb = base();
    let edited = P2.replace("rising rents", "soaring rents");
    pb[2] = &edited;
    let b = text(&pb);
    let r = d(&a, &b);
    assert_eq!(r.changes.len(), 1, "{r:?}");
    let Change::Replace {
        a_para: 2,
        b_para: 2,
        inline,
        ..
    } = &r.changes[0]
    else {
        panic!("{r:?}")
    };
    assert!(inline.contains(&Segment {
        op: Op::Delete,
        text: "rising".into()
    }));
    assert!(inline.contains(&Segment {
        op: Op::Insert,
        text: "soaring".into()
    }));
    assert_eq!(r.summary(), "+1 -1 words");
    assert_applies(&a, &b, &r);
}

#[test]
fn move_is_a_move() {
    let a = text(&base());
    let b = text(&["# Council debates budget", P2, P3, P1, P4]);
    let r = d(&a, &b);
    assert_eq!(r.changes.len(), 1, "{r:?}");
    assert!(
        matches!(
            r.changes[0],
            Change::Move {
                a_para: 1,
                b_para: 3,
                inline: None,
                ..
            }
        ),
        "{r:?}"
    );
    assert_eq!(r.summary(), "+0 -0 words, 1 moved");
    assert_applies(&a, &b, &r);
}

#[test]
fn edited_move_has_inline() {
    let a = text(&base());
    let moved = P4.replace("reckless", "dangerous");
    let b = text(&["# Council debates budget", &moved, P1, P2, P3]);
    let r = d(&a, &b);
    assert_eq!(r.changes.len(), 1, "{r:?}");
    let Change::Move {
        a_para: 4,
        b_para: 1,
        inline: Some(inline),
        ..
    } = &r.changes[0]
    else {
        panic!("{r:?}")
    };
    assert!(
        inline
            .iter()
            .any(|s| s.op == Op::Insert && s.text == "dangerous")
    );
    assert_eq!(r.summary(), "+1 -1 words, 1 moved");
    assert_applies(&a, &b, &r);
}

#[test]
fn split_and_merge() {
    let joined = format!("{P2} {P3}");
    let a = text(&["# T", P1, &joined, P4]);
    let b = text(&["# T", P1, P2, P3, P4]);
    let r = d(&a, &b);
    assert_eq!(r.changes.len(), 1, "{r:?}");
    assert!(
        matches!(&r.changes[0], Change::Split { a_para: 2, b_paras, .. } if b_paras == &[2, 3]),
        "{r:?}"
    );
    assert_applies(&a, &b, &r);
    let r = d(&b, &a);
    assert_eq!(r.changes.len(), 1, "{r:?}");
    assert!(
        matches!(&r.changes[0], Change::Merge { a_paras, b_para: 2, .. } if a_paras == &[2, 3]),
        "{r:?}"
    );
    assert_applies(&b, &a, &r);
}

#[test]
fn insert_and_delete() {
    let a = text(&base());
    let b = text(&[
        "# Council debates budget",
        P1,
        P2,
        P3,
        P4,
        "A new closing paragraph here.",
    ]);
    let r = d(&a, &b);
    assert_eq!(
        r.changes,
        vec![Change::Insert {
            b_para: 5,
            new: "A new closing paragraph here.".into()
        }]
    );
    assert_eq!(r.stats.words_inserted, 5);
    let r = d(&b, &a);
    assert_eq!(
        r.changes,
        vec![Change::Delete {
            a_para: 5,
            old: "A new closing paragraph here.".into()
        }]
    );
    assert_eq!(r.summary(), "+0 -5 words");
    let b = text(&["# Council debates budget", P1, P3, P4]);
    let r = d(&a, &b);
    assert!(
        matches!(r.changes[..], [Change::Delete { a_para: 2, .. }]),
        "{r:?}"
    );
}

#[test]
fn rewritten_beyond_recognition_is_delete_and_insert() {
    let a = text(&base());
    let new = "Weather forecasters expect heavy snow across the northern valleys this weekend.";
    let b = text(&["# Council debates budget", P1, new, P3, P4]);
    let r = d(&a, &b);
    assert_eq!(r.changes.len(), 2, "{r:?}");
    assert!(
        matches!(r.changes[0], Change::Delete { a_para: 2, .. }),
        "{r:?}"
    );
    assert!(
        matches!(r.changes[1], Change::Insert { b_para: 2, .. }),
        "{r:?}"
    );
    assert_applies(&a, &b, &r);
}

#[test]
fn ignore_rules() {
    let opts = Options {
        ignore: vec![regex::Regex::new(r"Updated at \d\d:\d\d").expect("regex")],
        ..Options::default()
    };
    let a = text(&["# T", "Updated at 10:32", P1]);
    let b = text(&["# T", "Updated at 11:05", P1]);
    assert!(diff(&a, &b, &opts).identical);
    let b2 = text(&["# T", P1]);
    assert!(diff(&a, &b2, &opts).identical);
    assert!(!d(&a, &b).identical);
}

#[test]
fn similarity_counts_shared_words() {
    let r = d("# a b c d", "# a b c e");
    assert!((r.similarity - 0.75).abs() < 1e-9);
    let r = d("# a b", "# c d");
    assert_eq!(r.similarity, 0.0);
}

#[test]
fn changes_follow_b_order() {
    let a = text(&["# T", P1, P2, P3, P4]);
    let b = text(&[
        "# T",
        "Brand new opening lines.",
        P1,
        P3,
        &P4.replace("reckless", "bold"),
    ]);
    let r = d(&a, &b);
    let kinds: Vec<&str> = r
        .changes
        .iter()
        .map(|c| match c {
            Change::Insert { .. } => "insert",
            Change::Delete { .. } => "delete",
            Change::Replace { .. } => "replace",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["insert", "delete", "replace"], "{r:?}");
}

/// 5,000 distinct paragraphs against 5,000 others: would hang if every pair were compared.
#[test]
fn many_different_paragraphs_are_bounded() {
    let mk = |tag: &str| -> String {
        let mut s = String::from("# Title\n");
        for i in 0..5000 {
            s.push_str(&format!(
                "\n{tag} paragraph {i} with words w{i} x{} and y{}.\n",
                i * 7,
                i % 13
            ));
        }
        s
    };
    let r = d(&mk("alpha"), &mk("beta"));
    assert!(!r.identical);
    let same: String = std::iter::repeat_n("Same paragraph.\n\n", 3000).collect();
    let fewer: String = std::iter::repeat_n("Same paragraph.\n\n", 2000).collect();
    let r = d(&same, &fewer);
    assert_eq!(r.changes.len(), 1000);
}

fn para() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(P1.to_string()),
        Just(P2.to_string()),
        Just(P3.to_string()),
        Just(P4.to_string()),
        "[a-d]{1,3}( [a-d]{1,3}){0,8}[.]?",
    ]
}

proptest! {
    #![proptest_config(crate::testing::proptest_config(256))]
    #[test]
    fn self_diff_is_empty(ps in proptest::collection::vec(para(), 0..12)) {
        let a = text(&ps.iter().map(String::as_str).collect::<Vec<_>>());
        let r = d(&a, &a);
        prop_assert!(r.identical);
        prop_assert!(r.changes.is_empty());
    }

    #[test]
    fn apply_rebuilds_b(pa in proptest::collection::vec(para(), 0..12),
                        pb in proptest::collection::vec(para(), 0..12)) {
        let a = text(&pa.iter().map(String::as_str).collect::<Vec<_>>());
        let b = text(&pb.iter().map(String::as_str).collect::<Vec<_>>());
        let r = d(&a, &b);
        prop_assert_eq!(r.identical, r.changes.is_empty());
        assert_applies(&a, &b, &r);
        // Each paragraph is named once on each side: never a move plus a delete/insert.
        let mut seen_a = std::collections::BTreeSet::new();
        let mut seen_b = std::collections::BTreeSet::new();
        for c in &r.changes {
            let (xs, ys): (Vec<usize>, Vec<usize>) = match c {
                Change::Replace { a_para, b_para, .. } | Change::Move { a_para, b_para, .. } => (vec![*a_para], vec![*b_para]),
                Change::Delete { a_para, .. } => (vec![*a_para], vec![]),
                Change::Insert { b_para, .. } => (vec![], vec![*b_para]),
                Change::Split { a_para, b_paras, .. } => (vec![*a_para], b_paras.clone()),
                Change::Merge { a_paras, b_para, .. } => (a_paras.clone(), vec![*b_para]),
            };
            for x in xs { prop_assert!(seen_a.insert(x)); }
            for y in ys { prop_assert!(seen_b.insert(y)); }
        }
        for c in &r.changes {
            if let Change::Move { inline: Some(s), old, new, .. }
                | Change::Replace { inline: s, old, new, .. } = c {
                prop_assert_eq!(fold(&side_text(s, Op::Delete)).replace(' ', ""), fold(old).replace(' ', ""));
                prop_assert_eq!(&side_text(s, Op::Insert), new);
            }
        }
    }

    #[test]
    fn no_panics_on_any_unicode(a in "\\PC*", b in "(\\PC|\n){0,200}") {
        let r = d(&a, &b);
        prop_assert!(r.similarity >= 0.0 && r.similarity <= 1.0);
        let _ = r.summary();
    }
}

/// Speed check for release builds (`cargo test --release --lib diff::tests::million -- --ignored
/// --nocapture`): about a million words with a few edits and a move; target under 45 ms.
#[test]
#[ignore = "timing; run in release"]
fn million_words() {
    let mut a = String::from("# A long text\n");
    let mut b = a.clone();
    for i in 0..50_000 {
        let p = format!(
            "\nParagraph {i} says that the council met and talked about item {} again.\n",
            i * 3
        );
        a.push_str(&p);
        if i % 5000 == 7 {
            b.push_str(&p.replace("talked", "argued"));
        } else if i != 20_000 {
            b.push_str(&p);
        }
        if i == 30_000 {
            b.push_str(&format!(
                "\nParagraph {} says that the council met and talked about item {} again.\n",
                20_000, 60_000
            ));
        }
    }
    let t = std::time::Instant::now();
    let r = d(&a, &b);
    eprintln!("{} changes, {:?}", r.changes.len(), t.elapsed());
    assert_eq!(r.stats.paragraphs_moved, 1);
}

fn with(g: Granularity) -> Options {
    Options {
        granularity: g,
        ..Options::default()
    }
}

#[test]
fn granularities_rebuild_both_sides_and_count_words() {
    let a = text(&["# T", P1, P2]);
    let edited = P2.replace("rising rents", "risen rent");
    let b = text(&["# T", P1, &edited]);
    let word = diff(&a, &b, &Options::default());
    for g in [Granularity::Sentence, Granularity::Word, Granularity::Char] {
        let r = diff(&a, &b, &with(g));
        assert_eq!(r.stats, word.stats, "{g:?}");
        let [
            Change::Replace {
                old, new, inline, ..
            },
        ] = &r.changes[..]
        else {
            panic!("{r:?}")
        };
        assert_eq!(fold(&side_text(inline, Op::Delete)), fold(old));
        assert_eq!(&side_text(inline, Op::Insert), new);
    }
    let r = diff(&a, &b, &with(Granularity::Char));
    let Change::Replace { inline, .. } = &r.changes[0] else {
        panic!()
    };
    // "rising" -> "risen" is shown by characters, "rents" -> "rent" as one deleted "s".
    assert!(inline.contains(&Segment {
        op: Op::Delete,
        text: "s".into()
    }));
    let r = diff(&a, &b, &with(Granularity::Sentence));
    let Change::Replace { inline, .. } = &r.changes[0] else {
        panic!()
    };
    assert_eq!(inline.len(), 2, "{inline:?}");
}

/// Words reordered beyond recognition: paired by the bag of words, shown whole at every
/// granularity (one delete, one insert), never as confetti.
#[test]
fn rewrite_is_a_whole_replacement() {
    let rev: String = P1
        .trim_end_matches('.')
        .split(' ')
        .rev()
        .collect::<Vec<_>>()
        .join(" ");
    let a = text(&["# T", P1, P2, P3]);
    let b = text(&["# T", &rev, P2, P3]);
    for g in [Granularity::Sentence, Granularity::Word, Granularity::Char] {
        let r = diff(&a, &b, &with(g));
        let [Change::Replace { inline, .. }] = &r.changes[..] else {
            panic!("{r:?}")
        };
        assert_eq!(
            inline.iter().map(|s| s.op).collect::<Vec<_>>(),
            [Op::Delete, Op::Insert],
            "{g:?}"
        );
        assert_eq!(r.stats.words_deleted, 14);
    }
}

proptest! {
    #![proptest_config(crate::testing::proptest_config(256))]
    #[test]
    fn every_granularity_rebuilds_both_sides(a in "[a-c .’'!]{0,40}", b in "[a-c .’'!]{0,40}") {
        for g in [Granularity::Sentence, Granularity::Word, Granularity::Char] {
            let r = words::inline(&a, &b, false, g);
            prop_assert_eq!(fold(&side_text(&r.segments, Op::Delete)).replace(' ', ""), fold(&a).replace(' ', ""));
            prop_assert_eq!(side_text(&r.segments, Op::Insert), b.clone());
            for w in r.segments.windows(2) {
                prop_assert!(w[0].op != w[1].op);
            }
        }
    }
}

/// Adversarial inputs (see the bounds in `align.rs` and `lcs.rs`): the differ's work on each,
/// counted in its own steps ([`super::work`]), stays within `STEPS_PER_BYTE` steps per byte
/// compared: a few times what they take, far below what quadratic work takes on them
/// (BENCHMARKS.md, "Measuring the differ"), so a blow-up fails here whatever the load.
const STEPS_PER_BYTE: u64 = 40;

/// `f`, the diffs it makes between texts of `bytes` bytes in all, within the bound.
fn bounded<R>(bytes: usize, f: impl FnOnce() -> R) -> R {
    let (r, steps) = super::work::counted(f);
    let bound = STEPS_PER_BYTE * bytes as u64;
    eprintln!("{steps} steps for {bytes} bytes (bound {bound})");
    assert!(
        steps <= bound,
        "{steps} steps for {bytes} bytes: over {bound}"
    );
    r
}

#[test]
fn thousands_of_identical_paragraphs() {
    let a: String = std::iter::repeat_n(format!("{P1}\n\n{P1}\n\n{P2}\n\n"), 2000).collect();
    let b: String = std::iter::repeat_n(format!("{P2}\n\n{P1}\n\n"), 2500).collect();
    let r = bounded(a.len() + b.len(), || d(&a, &b));
    assert_applies(&a, &b, &r);
    let edited = P1.replace("Tuesday", "Monday");
    let c: String = std::iter::repeat_n(format!("{edited}\n\n"), 5000).collect();
    let r = bounded(a.len() + c.len(), || d(&a, &c));
    assert!(!r.identical);
}

#[test]
fn ten_thousand_wholly_different_paragraphs() {
    let mk = |tag: char| -> String {
        (0..10_000)
            .map(|i| format!("{tag}{i} {tag}x{} {tag}y{}.\n\n", i * 7, i % 97))
            .collect()
    };
    let (a, b) = (mk('p'), mk('q'));
    let r = bounded(a.len() + b.len(), || d(&a, &b));
    assert_eq!(r.similarity, 0.0);
    assert_eq!(r.changes.len(), 20_000);
}

#[test]
fn one_paragraph_of_200k_words_against_an_edited_copy() {
    let words: Vec<String> = (0..200_000).map(|i| format!("w{}", i % 5003)).collect();
    let a = words.join(" ");
    let mut e = words.clone();
    for k in (0..e.len()).step_by(20_011) {
        e[k] = "changed".into();
    }
    let b = e.join(" ");
    let r = bounded(a.len() + b.len(), || d(&a, &b));
    let [
        Change::Replace {
            old, new, inline, ..
        },
    ] = &r.changes[..]
    else {
        panic!("{} changes", r.changes.len())
    };
    assert_eq!(fold(&side_text(inline, Op::Delete)), fold(old));
    assert_eq!(&side_text(inline, Op::Insert), new);
}

#[test]
fn one_long_paragraph_with_every_other_word_rewritten() {
    // Paired (half its words kept), with an edit every two words: the word alignment of a
    // paragraph this long goes to the capped alignment (`lcs`), not to `similar`, whose
    // histogram diff is quadratic here (20 s at 60,000 words where `lcs` takes 0.1 s).
    let words: Vec<String> = (0..20_000)
        .map(|i| format!("w{}", i * 7919 % 49_999))
        .collect();
    let a = words.join(" ");
    let b = words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if i % 2 == 0 {
                format!("x{i}")
            } else {
                w.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    let r = bounded(a.len() + b.len(), || d(&a, &b));
    assert_eq!(r.stats.words_inserted, 10_000);
    assert_eq!(r.stats.words_deleted, 10_000);
}

#[test]
fn kept_from_pairs_equal_and_moved_paragraphs_only() {
    let a = "# T\n\nOne paragraph that stays where it is.\n\nA second paragraph that will move to the end.\n\nA third paragraph with a word that changes.\n";
    let b = "# T\n\nOne paragraph that stays where it is.\n\nA third paragraph with a word that changed.\n\nA new paragraph.\n\nA second paragraph that will move to the end.\n";
    let kept = super::kept_from(a, b, &Options::default());
    assert_eq!(kept, vec![Some(0), Some(1), None, None, Some(2)]);
    // Typography alone keeps the wording.
    let quoted = "# T\n\n\u{201c}Quoted\u{201d} text here.\n";
    assert_eq!(
        super::kept_from(
            "# T\n\n\"Quoted\" text here.\n",
            quoted,
            &Options::default()
        ),
        vec![Some(0), Some(1)]
    );
}

#[test]
fn folding_on_threads_gives_what_one_thread_gives() {
    let lines: Vec<String> = (0..2_000)
        .map(|i| format!("Paragraph {i} \u{2014} \u{201c}quoted\u{201d}, Größe, Москва,  spaced  out; 日本 {}", i % 7))
        .collect();
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let opts = Options {
        ignore: vec![regex::Regex::new(r"Paragraph \d+").expect("a valid regex")],
        ..Options::default()
    };
    let hasher = foldhash::fast::RandomState::default();
    let one = super::fold_and_count_on(&lines, &opts, &hasher, 1);
    assert_eq!(one.len(), lines.len());
    assert_eq!(
        one[3].text,
        // The dash left at the start reads as a bullet: formatting, not text.
        "\"quoted\", Größe, Москва, spaced out; 日本 3"
    );
    assert_eq!(one[3].words, 8);
    // Chunks of work are handed out in turn: more lines than one chunk per thread.
    assert!(lines.len() > 8 * super::CHUNK_LINES);
    for threads in [2, 3, 8] {
        assert_eq!(
            super::fold_and_count_on(&lines, &opts, &hasher, threads),
            one,
            "{threads} threads"
        );
    }
}

#[test]
fn par_map_keeps_the_items_order_whatever_the_threads_and_chunks() {
    for n in [0, 1, 5, 63, 64, 65, 1_001] {
        let items: Vec<usize> = (0..n).collect();
        let want: Vec<usize> = items.iter().map(|x| x * 3 + 1).collect();
        for threads in [1, 2, 3, 8] {
            for chunk in [0, 1, 4, 64] {
                let got = super::par_map(&items, threads, chunk, |x| x * 3 + 1);
                assert_eq!(got, want, "{n} items, {threads} threads, chunks of {chunk}");
            }
        }
    }
}

#[test]
fn edited_paragraphs_worked_on_threads_diff_as_on_one() {
    // Past `PARALLEL_EDIT_BYTES` of edited paragraphs, their word-level changes are made on
    // every core: the same diff as a text whose edits stay below it, paragraph for paragraph.
    let para = |i: usize, word: &str| {
        format!("Paragraph {i} tells the {word} of a long day in the city, and then some more.")
    };
    let a: Vec<String> = (0..800).map(|i| para(i, "story")).collect();
    let b: Vec<String> = (0..800)
        .map(|i| para(i, if i % 2 == 0 { "tale" } else { "story" }))
        .collect();
    let (ta, tb) = (text_of(&a), text_of(&b));
    let r = d(&ta, &tb);
    let edited: usize = r
        .changes
        .iter()
        .map(|c| match c {
            Change::Replace { old, new, .. } => old.len() + new.len(),
            _ => 0,
        })
        .sum();
    assert!(edited > super::PARALLEL_EDIT_BYTES, "{edited}");
    assert_eq!(r.stats.words_inserted, 400);
    assert_eq!(r.stats.words_deleted, 400);
    // Each edited paragraph as a short text of its own gives the same inline changes.
    for (k, c) in r.changes.iter().enumerate() {
        let Change::Replace {
            inline, old, new, ..
        } = c
        else {
            panic!("{c:?}");
        };
        let alone = d(&format!("# T\n\n{old}\n"), &format!("# T\n\n{new}\n"));
        match &alone.changes[..] {
            [Change::Replace { inline: one, .. }] => assert_eq!(one, inline, "change {k}"),
            other => panic!("{other:?}"),
        }
    }
    assert_applies(&ta, &tb, &r);
}

#[test]
fn long_texts_folded_on_threads_diff_right() {
    // Past the threshold, new lines are folded on every core: one edit, one move, found
    // and applied as in a short text.
    let para = |i: usize| {
        format!("Paragraph {i} tells \u{201c}the story\u{201d} once more, with its own words {i}.")
    };
    let a: Vec<String> = (0..6_000).map(para).collect();
    let mut b = a.clone();
    b[10] = b[10].replace("story", "tale");
    let moved = b.remove(20);
    b.insert(5_000, moved);
    let (ta, tb) = (text_of(&a), text_of(&b));
    assert!(ta.len() > super::PARALLEL_BYTES);
    let r = d(&ta, &tb);
    assert_eq!(r.stats.words_inserted, 1);
    assert_eq!(r.stats.words_deleted, 1);
    assert_eq!(r.stats.paragraphs_moved, 1);
    assert_applies(&ta, &tb, &r);
}

fn text_of(paras: &[String]) -> String {
    let refs: Vec<&str> = paras.iter().map(String::as_str).collect();
    text(&refs)
}

#[test]
fn texts_sharing_a_hash_keep_their_own_keys() {
    let mut keys = super::Keys::default();
    let by_hash = &mut foldhash::HashMap::default();
    let folded = |text: &'static str, hash| super::Folded {
        text: text.into(),
        words: 1,
        hash,
    };
    let a = keys.key(by_hash, folded("alpha", 7));
    let b = keys.key(by_hash, folded("beta", 7));
    let c = keys.key(by_hash, folded("gamma", 7));
    assert_ne!(a, b);
    assert_ne!(b, c);
    assert_eq!(keys.key(by_hash, folded("beta", 7)), b);
    assert_eq!(keys.key(by_hash, folded("alpha", 7)), a);
    assert_eq!(keys.key(by_hash, folded("", 0)), None);
}
