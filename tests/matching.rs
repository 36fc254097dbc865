//! `prov snapshot` filing by matching clean text, and `prov refile`, on temporary archives.
//!
//! Fixtures (tests/fixtures/match) are made up: one story as a text paste and under two
//! HTML templates with noise and edits, and another article on the same story.

#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too

mod common;

use common::{Env, repo_file};
use serde_json::Value;

const ARTICLE: &str = "harbour-council-keeps-the-night-ferry-for-another-year";
const PASTE_URL: &str = "https://www.eastbanknews.example/2026/ferry";
const GAZETTE_URL: &str = "https://www.harbourgazette.example/news/night-ferry";
const COURIER_URL: &str = "https://eastbankcourier.example/local/ferry-saved";

fn fixture(name: &str) -> String {
    repo_file(&format!("tests/fixtures/match/{name}"))
        .to_string_lossy()
        .into_owned()
}

fn snap(env: &Env, file: &str, url: &str) -> String {
    env.prov(&["snapshot", &fixture(file), "--url", url])
        .ok()
        .to_string()
}

fn meta(env: &Env, reference: &str) -> Value {
    serde_json::from_str(env.prov(&["show", reference, "--meta"]).ok()).unwrap()
}

#[test]
fn the_same_article_under_other_templates_with_noise_and_edits_is_filed_with_its_match() {
    let env = Env::new();
    let first = snap(&env, "ferry.txt", PASTE_URL);
    assert!(first.contains(&format!("captured {ARTICLE}/eastbanknews.example")));
    assert!(!first.contains("matched"));
    let pasted = meta(&env, ARTICLE)["capture"].as_str().unwrap().to_string();

    // The Gazette: another template, a cookie banner, nav, a pull quote, related links, a
    // sentence reworded, the last paragraph dropped and an editor's note added.
    let out = snap(&env, "ferry-gazette.html", GAZETTE_URL);
    assert!(
        out.contains(&format!("captured {ARTICLE}/harbourgazette.example")),
        "{out}"
    );
    assert!(out.contains(&format!("matched {ARTICLE} capture {pasted} (score ")));
    let m = meta(&env, &format!("{ARTICLE}/harbourgazette.example"));
    assert_eq!(m["filed_by"], "match");
    assert_eq!(m["match"]["article"], ARTICLE);
    assert_eq!(m["match"]["capture"], pasted.as_str());
    let score = m["match"]["score"].as_f64().unwrap();
    assert!((0.7..=1.0).contains(&score), "{score}");

    // The Courier: div soup, a promo, the first paragraph dropped, figures written as
    // figures, a paragraph of its own added; --json carries the match.
    let out = env
        .prov(&[
            "snapshot",
            &fixture("ferry-courier.html"),
            "--url",
            COURIER_URL,
            "--json",
        ])
        .ok()
        .to_string();
    let line: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(line["article"], ARTICLE);
    assert_eq!(line["match"]["article"], ARTICLE);
    assert!(line["match"]["score"].as_f64().unwrap() >= prov::matching::THRESHOLD);
    let m = meta(&env, &format!("{ARTICLE}/eastbankcourier.example"));
    assert_eq!(m["filed_by"], "match");
    assert_eq!(m["match"], line["match"]);

    // All three copies are one article.
    let log = env.prov(&["log", ARTICLE]).ok().to_string();
    assert_eq!(log.lines().count(), 3, "{log}");
}

#[test]
fn a_different_article_on_the_same_story_starts_its_own() {
    let env = Env::new();
    snap(&env, "ferry.txt", PASTE_URL);
    let out = snap(
        &env,
        "ferry-other-article.txt",
        "https://www.eastbanknews.example/2026/pier",
    );
    assert!(
        out.contains("captured night-ferry-vote-leaves-north-pier-repairs-in-doubt/"),
        "{out}"
    );
    assert!(!out.contains("matched"), "{out}");
    let m = meta(&env, "night-ferry-vote-leaves-north-pier-repairs-in-doubt");
    assert_eq!(m["filed_by"], "title");
    assert!(m.get("match").is_none());

    // Same names, same topic: still far below the threshold.
    let a = std::fs::read_to_string(fixture("ferry.txt")).unwrap();
    let b = std::fs::read_to_string(fixture("ferry-other-article.txt")).unwrap();
    let s = prov::matching::similarity(
        &prov::matching::signature(&a).unwrap(),
        &prov::matching::signature(&b).unwrap(),
    );
    assert!(s.containment < 0.1, "{s:?}");
}

#[test]
fn article_overrides_a_match() {
    let env = Env::new();
    snap(&env, "ferry.txt", PASTE_URL);
    let out = env
        .prov(&[
            "snapshot",
            &fixture("ferry-gazette.html"),
            "--url",
            GAZETTE_URL,
            "--article",
            "gazette-ferry",
        ])
        .ok()
        .to_string();
    assert!(out.contains("captured gazette-ferry/harbourgazette.example"));
    let m = meta(&env, "gazette-ferry");
    assert_eq!(m["filed_by"], "option");
    assert!(m.get("match").is_none());
}

#[test]
fn the_index_is_rebuilt_when_missing_and_follows_refiles() {
    let env = Env::new();
    snap(&env, "ferry.txt", PASTE_URL);
    let index = env.root.join(".git/prov/match/index.bin");
    // Built while looking for a match for the first capture; now made unreadable.
    assert!(std::fs::read(&index).unwrap().starts_with(b"PROVMTCH"));
    std::fs::write(&index, b"garbage").unwrap();
    env.prov(&["refile", ARTICLE, "--article", "ferry-saga"])
        .ok();
    let out = snap(&env, "ferry-gazette.html", GAZETTE_URL);
    assert!(
        out.contains("captured ferry-saga/harbourgazette.example"),
        "{out}"
    );
    assert!(out.contains("matched ferry-saga capture"), "{out}");
    assert!(std::fs::read(&index).unwrap().starts_with(b"PROVMTCH"));
    // Removed: rebuilt from the archive.
    std::fs::remove_file(&index).unwrap();
    let out = snap(&env, "ferry-courier.html", COURIER_URL);
    assert!(
        out.contains("captured ferry-saga/eastbankcourier.example"),
        "{out}"
    );
    // Never committed.
    assert_eq!(env.status(), "");
}

#[test]
fn a_capture_is_appended_to_the_tail_and_a_damaged_tail_is_not_trusted() {
    let env = Env::new();
    let dir = env.root.join(".git/prov/match");
    snap(&env, "ferry.txt", PASTE_URL);
    // The sorted file was built before the first capture; the capture went to the tail.
    let sorted = std::fs::read(dir.join("index.bin")).unwrap();
    let tail = std::fs::read(dir.join("index.tail")).unwrap();
    assert!(tail.starts_with(b"PROVTAIL"));
    // Matched through the tail; appended to it, the sorted file untouched.
    let out = snap(&env, "ferry-gazette.html", GAZETTE_URL);
    assert!(out.contains(&format!("matched {ARTICLE} capture")), "{out}");
    assert_eq!(std::fs::read(dir.join("index.bin")).unwrap(), sorted);
    let longer = std::fs::read(dir.join("index.tail")).unwrap();
    assert!(longer.len() > tail.len() && longer.starts_with(&tail));
    // A damaged last record: the tail is dropped, the sorted file brought up to date from
    // the archive, and the match still found.
    let mut damaged = longer.clone();
    let last = damaged.len() - 10;
    damaged[last] ^= 0x20;
    std::fs::write(dir.join("index.tail"), &damaged).unwrap();
    let out = snap(&env, "ferry-courier.html", COURIER_URL);
    assert!(out.contains(&format!("matched {ARTICLE} capture")), "{out}");
    let rebuilt = std::fs::read(dir.join("index.bin")).unwrap();
    assert_ne!(rebuilt, sorted);
    let view = prov::matching::index::View::parse(&rebuilt).unwrap();
    assert_eq!(view.len(), 2, "both earlier captures, from the archive");
    // The courier itself is in a new tail extending the new sorted file.
    let tail = std::fs::read(dir.join("index.tail")).unwrap();
    let tail = prov::matching::tail::Tail::parse(&tail, &view).unwrap();
    assert_eq!(tail.records.len(), 1);
    assert_eq!(tail.records[0].entry.copy, "eastbankcourier.example");
    assert_eq!(env.status(), "");
}

/// Two captures of one story under two copies, the second refiled as the first's copy.
fn refiled_env() -> (Env, String, String) {
    let mut env = Env::new();
    snap(&env, "ferry.txt", PASTE_URL);
    env.set_now("2026-01-01T12:00:00Z");
    env.prov(&[
        "snapshot",
        &fixture("ferry-gazette.html"),
        "--url",
        GAZETTE_URL,
        "--article",
        "wrong-article",
    ])
    .ok();
    let first = meta(&env, ARTICLE)["capture"].as_str().unwrap().to_string();
    let second = meta(&env, "wrong-article")["capture"]
        .as_str()
        .unwrap()
        .to_string();
    (env, first, second)
}

#[test]
fn refile_moves_a_capture_for_every_command() {
    let (mut env, first, second) = refiled_env();
    env.set_now("2026-01-02T09:30:00Z");
    let out = env
        .prov(&[
            "refile",
            &second,
            "--article",
            ARTICLE,
            "--copy",
            "eastbanknews.example",
        ])
        .ok()
        .to_string();
    assert!(
        out.starts_with(&format!(
            "refiled capture {second} from wrong-article/harbourgazette.example to {ARTICLE}/eastbanknews.example (commit "
        )),
        "{out}"
    );
    // One commit, one new file under refiles/, its trailer, the capture untouched.
    let message = env.git(&["log", "-1", "--format=%B"]);
    assert!(
        message.contains(&format!("Prov-Refile: {second}")),
        "{message}"
    );
    let files = env.git(&["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(
        files.trim(),
        format!("refiles/{second}/20260102T093000Z-") + files.trim().rsplit('-').next().unwrap()
    );
    assert!(
        env.root
            .join(format!(
                "snapshots/wrong-article/harbourgazette.example/{second}"
            ))
            .is_dir()
    );
    assert_eq!(env.status(), "");

    // log: both under the article and copy; the second now has a change since the first.
    let log = env.prov(&["log", ARTICLE]).ok().to_string();
    assert_eq!(log.lines().count(), 2, "{log}");
    assert!(
        log.lines()
            .nth(1)
            .unwrap()
            .contains(&format!("{second}  {ARTICLE}/eastbanknews.example")),
        "{log}"
    );
    assert!(
        !log.lines().nth(1).unwrap().ends_with("first capture"),
        "{log}"
    );
    assert!(env.prov(&["log", "wrong-article"]).code == 2);
    // refs and diff: the previous capture of the same copy is the first.
    let diff = env
        .prov(&[
            "diff",
            &format!("{ARTICLE}/eastbanknews.example@2"),
            "--format",
            "json",
        ])
        .ok()
        .to_string();
    let diff: Value = serde_json::from_str(&diff).unwrap();
    assert_eq!(diff["a"]["capture"], first.as_str());
    assert_eq!(diff["b"]["capture"], second.as_str());
    // show --meta: the meta.json as written, and the refile.
    let m = meta(&env, &second);
    assert_eq!(m["article"], "wrong-article");
    assert_eq!(m["refiled"]["from"]["article"], "wrong-article");
    assert_eq!(m["refiled"]["to"]["copy"], "eastbanknews.example");
    assert_eq!(m["refiled"]["time"], "2026-01-02T09:30:00Z");
    assert_eq!(m["refiled"]["by"], "prov <prov@localhost>");
    // report: the capture is in the article's report, saying it was refiled.
    env.prov(&["report", ARTICLE]).ok();
    let md =
        std::fs::read_to_string(env.root.join(format!("reports/{ARTICLE}/report.md"))).unwrap();
    assert!(
        md.contains(&format!(
            "- #2 `{second}`: from wrong-article/harbourgazette.example, 2026-01-02 09:30 UTC, by prov \\<prov@localhost\\>"
        )),
        "{md}"
    );
    let json: Value = serde_json::from_str(
        &std::fs::read_to_string(env.root.join(format!("reports/{ARTICLE}/report.json"))).unwrap(),
    )
    .unwrap();
    assert_eq!(
        json["captures"][1]["refiled"]["from"]["article"],
        "wrong-article"
    );
    assert!(json["captures"][0].get("refiled").is_none());
    // verify: intact.
    env.prov(&["verify"]).ok();

    // Refiling it where it is: a no-op, said in one sentence.
    let out = env
        .prov(&[
            "refile",
            &second,
            "--article",
            ARTICLE,
            "--copy",
            "eastbanknews.example",
        ])
        .ok()
        .to_string();
    assert_eq!(
        out,
        format!(
            "capture {second} is already filed under {ARTICLE}/eastbanknews.example; nothing recorded\n"
        )
    );
    // The latest record wins: back where it was written.
    env.set_now("2026-01-03T00:00:00Z");
    env.prov(&[
        "refile",
        &second,
        "--article",
        "wrong-article",
        "--copy",
        "harbourgazette.example",
    ])
    .ok();
    assert_eq!(env.prov(&["log", ARTICLE]).ok().lines().count(), 1);
    assert_eq!(env.prov(&["log", "wrong-article"]).ok().lines().count(), 1);
}

#[test]
fn refiling_a_missing_capture_is_an_error() {
    let env = Env::new();
    snap(&env, "ferry.txt", PASTE_URL);
    let head = env.head();
    let err = env
        .prov(&["refile", "20990101T000000Z-deadbeef", "--article", "x"])
        .error()
        .to_string();
    assert!(err.contains("names no capture"), "{err}");
    let err = env
        .prov(&["refile", ARTICLE, "--article", "bad/name"])
        .error()
        .to_string();
    assert!(err.contains("cannot be used"), "{err}");
    assert_eq!(env.head(), head);
}

#[test]
fn a_refile_survives_a_clone() {
    let (env, _, second) = refiled_env();
    env.prov(&["refile", &second, "--article", ARTICLE]).ok();
    let clone = env.tmp.path().join("clone");
    env.git(&[
        "clone",
        "-q",
        env.root.to_str().unwrap(),
        clone.to_str().unwrap(),
    ]);
    let log = env
        .prov(&["--archive", clone.to_str().unwrap(), "log", ARTICLE])
        .ok()
        .to_string();
    assert_eq!(log.lines().count(), 2, "{log}");
    assert!(log.contains(&format!("{second}  {ARTICLE}/harbourgazette.example")));
}

#[test]
fn verify_finds_a_refile_of_a_missing_capture() {
    let env = Env::new();
    snap(&env, "ferry.txt", PASTE_URL);
    let dir = env.root.join("refiles/20990101T000000Z-deadbeef");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("20990101T000000Z-00000000.json"),
        r#"{"refile_version":1,"capture":"20990101T000000Z-deadbeef","from":{"article":"a","copy":"b"},"to":{"article":"c","copy":"b"},"time":"2099-01-01T00:00:00Z","by":"someone"}"#,
    )
    .unwrap();
    env.git(&["add", "refiles"]);
    env.git(&[
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@t",
        "commit",
        "-qm",
        "a stray refile",
    ]);
    let run = env.prov(&["verify"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "problem: capture 20990101T000000Z-deadbeef: refiles/20990101T000000Z-deadbeef/20990101T000000Z-00000000.json: it refiles capture 20990101T000000Z-deadbeef, which the archive does not hold"
        ),
        "{}",
        run.stdout
    );
    // Other commands ignore it.
    assert_eq!(env.prov(&["log"]).ok().lines().count(), 1);
}

#[test]
fn a_bulk_list_files_by_match_as_one_by_one_does() {
    // The paste, then the two templates: each later page matches a capture staged earlier
    // in the same run (not yet in the index file), and the other article starts its own.
    let sources = [
        ("ferry.txt", PASTE_URL),
        ("ferry-gazette.html", GAZETTE_URL),
        (
            "ferry-other-article.txt",
            "https://www.eastbanknews.example/2026/other",
        ),
        ("ferry-courier.html", COURIER_URL),
    ];
    let bulk = Env::new();
    let list: String = sources
        .iter()
        .map(|(f, url)| format!("{}\t{url}\n", fixture(f)))
        .collect();
    let listed = bulk.file("list.txt", list);
    let out = bulk
        .prov(&["snapshot", "--from", listed.to_str().unwrap()])
        .ok()
        .to_string();
    assert_eq!(
        out.matches(&format!("matched {ARTICLE} capture ")).count(),
        2,
        "{out}"
    );
    let one = Env::new();
    let mut lines = String::new();
    for (f, url) in sources {
        lines.push_str(&snap(&one, f, url));
    }
    assert_eq!(out, lines);
    assert_eq!(bulk.head(), one.head(), "the commits differ");
    let courier = meta(&bulk, &format!("{ARTICLE}/eastbankcourier.example"));
    assert_eq!(courier["filed_by"], "match");
    assert_eq!(courier["match"]["article"], ARTICLE);
}

#[test]
fn a_bulk_list_follows_refiles_as_one_by_one_does() {
    // The refiled capture's URL and bytes again, and a new version by URL: both placed
    // where the refile put the capture, by a list as by one command each.
    let mut outputs = vec![];
    for bulk in [true, false] {
        let (mut env, _, second) = refiled_env();
        env.set_now("2026-01-02T09:30:00Z");
        env.prov(&[
            "refile",
            &second,
            "--article",
            ARTICLE,
            "--copy",
            "eastbanknews.example",
        ])
        .ok();
        env.set_now("2026-01-03T09:30:00Z");
        let edited = std::fs::read_to_string(fixture("ferry-gazette.html"))
            .unwrap()
            .replace("ferry", "ferry boat");
        env.file("edited.html", edited);
        // Named relative to the archive (where prov runs), so that both runs record the
        // same source and so make the same commits.
        let sources = [
            fixture("ferry-gazette.html"),
            "../in/edited.html".to_string(),
        ];
        let out = if bulk {
            let list: String = sources
                .iter()
                .map(|f| format!("{f}\t{GAZETTE_URL}\n"))
                .collect();
            let listed = env.file("list.txt", list);
            env.prov(&["snapshot", "--from", listed.to_str().unwrap()])
                .ok()
                .to_string()
        } else {
            sources
                .iter()
                .map(|f| {
                    env.prov(&["snapshot", f, "--url", GAZETTE_URL])
                        .ok()
                        .to_string()
                })
                .collect()
        };
        // Filed by URL under the article the refile named.
        assert_eq!(
            out.matches(&format!(": captured {ARTICLE}/")).count(),
            2,
            "{out}"
        );
        let latest = meta(&env, &format!("{ARTICLE}@latest"));
        assert_eq!(latest["filed_by"], "url", "{latest}");
        outputs.push((out, env.head()));
    }
    assert_eq!(outputs[0], outputs[1]);
}
