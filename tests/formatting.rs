//! Only real edits count: formatting, typography, spacing and drop caps that a new template
//! or a paste brings are neither counted nor drawn (`prov diff`, `--exit-code`), and
//! formatting is listed on request (`--formatting`).

// Test helpers unwrap: a failure there is a failed test, reported with its location.
#![allow(clippy::unwrap_used)]

mod common;

use common::Env;

const OLD: &str = "# Rebirth of a Cold War alliance\n\n## Political living fossil\n\nN a endlich, said Romney’s aide , “it is done”.\n\nThe talks went on for 10 days.\n";
const SAME: &str = "# Rebirth of a Cold War alliance\n\nPolitical living fossil\n\nNa endlich, said Romney ’s aide, \"it is done\".\n\nThe talks went on for 10 days.\n";
const EDITED: &str = "# Rebirth of a Cold War alliance\n\nPolitical living fossil\n\nNa endlich, said Romney ’s aide, \"it is done\".\n\nThe talks went on for 12 days.\n";

#[test]
fn formatting_typography_and_spacing_are_no_change() {
    let env = Env::empty();
    let a = env.file("a.txt", OLD);
    let b = env.file("b.txt", SAME);
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    let run = env.prov(&["diff", "--exit-code", a, b]);
    assert_eq!(run.code, 0, "{}", run.ok());
    assert!(run.ok().contains("are identical"), "{}", run.ok());
    assert!(
        run.ok()
            .contains("1 change of formatting alone, not counted"),
        "{}",
        run.ok()
    );
    assert_eq!(
        env.prov(&["diff", "--stat", a, b]).ok(),
        "identical, similarity 1.000\n"
    );
    let listed = env.prov(&["diff", "--formatting", a, b]);
    assert!(
        listed
            .ok()
            .contains("paragraph 1: heading → paragraph: Political living fossil"),
        "{}",
        listed.ok()
    );
    let json = env.prov(&["diff", "--json", "--formatting", a, b]);
    let v: serde_json::Value = serde_json::from_str(json.ok()).unwrap();
    assert_eq!(v["identical"], true);
    assert_eq!(v["formatting_changes"][0]["was"], "heading");
    // Without --formatting the JSON keeps the spec's shape.
    let json = env.prov(&["diff", "--json", a, b]);
    let v: serde_json::Value = serde_json::from_str(json.ok()).unwrap();
    assert!(v.get("formatting_changes").is_none(), "{v}");
}

#[test]
fn a_real_edit_is_drawn_alone_in_the_newer_form() {
    let env = Env::empty();
    let a = env.file("a.txt", OLD);
    let b = env.file("b.txt", EDITED);
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    assert_eq!(env.prov(&["diff", "--exit-code", a, b]).code, 1);
    let text = env.prov(&["diff", a, b]);
    assert!(
        text.ok()
            .contains("The talks went on for [-10-]{+12+} days."),
        "{}",
        text.ok()
    );
    assert!(!text.ok().contains("##"), "{}", text.ok());
    assert!(text.ok().contains("+1 -1 words"), "{}", text.ok());
    // A changed paragraph draws its typography in B's form, unmarked (the space A had
    // before the comma goes with A's word).
    let c = env.file("c.txt", EDITED.replace("aide,", "spokesman,"));
    let text = env.prov(&["diff", a, c.to_str().unwrap()]);
    assert!(text.ok().contains("+2 -2 words"), "{}", text.ok());
    assert!(
        text.ok()
            .contains("Na endlich, said Romney ’s [-aide -]{+spokesman+}, \"it is done\"."),
        "{}",
        text.ok()
    );
}

fn page(title: &str, body: &str, head: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>{title}</title>{head}</head><body><article><h1>{title}</h1>\n{body}</article></body></html>\n"
    )
}

fn snap(env: &Env, name: &str, html: &str, url: &str, at: &str) {
    let f = env.file(name, html);
    let f = f.to_str().unwrap();
    env.prov(&["snapshot", f, "--article", "oped", "--url", url, "--at", at])
        .ok();
}

/// The issue's first case: a republished copy sets the subheadings as bold paragraphs and
/// writes its quotes straight. Lineage finds it unchanged, and blame credits the original.
#[test]
fn a_republisher_s_formatting_is_no_change_in_lineage_or_blame() {
    let env = Env::new();
    let p1 = "The alliance between the two states was declared dead many times over the years.";
    let p2 = "Yet it survived every crisis, and Russia’s diplomats say it is “stronger than ever”.";
    let p3 = "Analysts in Seoul remain sceptical about how long this can last in practice.";
    let original = format!("<p>{p1}</p><h2>Political living fossil</h2><p>{p2}</p><p>{p3}</p>");
    let reprint = format!(
        "<p>{p1}</p><p><strong>Political living fossil</strong></p><p>{}</p><p>{p3}</p>",
        p2.replace('’', "'").replace(['“', '”'], "\"")
    );
    let head = r#"<meta property="article:published_time" content="2024-03-01T08:00:00Z">"#;
    snap(
        &env,
        "o.html",
        &page("Rebirth", &original, head),
        "https://news.example/a",
        "2024-03-01T09:00:00Z",
    );
    snap(
        &env,
        "r.html",
        &page("Rebirth", &reprint, ""),
        "https://reprint.example/a",
        "2024-03-02T09:00:00Z",
    );
    let v: serde_json::Value =
        serde_json::from_str(env.prov(&["lineage", "oped", "--json"]).ok()).unwrap();
    let copies = v["copies"].as_array().unwrap();
    assert_eq!(copies[1]["copy"], "reprint.example");
    let against = &copies[1]["against_original"];
    assert_eq!(against["identical"], true, "{against}");
    assert_eq!(
        against["changes"].as_array().map_or(0, Vec::len),
        0,
        "{against}"
    );
    let text = env.prov(&["lineage", "oped"]).ok().to_string();
    assert!(!text.contains("##"), "{text}");
    let b: serde_json::Value = serde_json::from_str(
        env.prov(&["blame", "oped/reprint.example", "--across-copies", "--json"])
            .ok(),
    )
    .unwrap();
    for line in b["paragraphs"].as_array().unwrap() {
        assert_eq!(line["copy"], "news.example", "{b}");
    }
}
