//! `prov report`: on the rebuilt demo archive, on a hostile page, committed, in Chromium, and
//! the repository's own `reports/` kept up to date.

// Test helpers unwrap: a failure there is a failed test, reported with its location.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};

use common::{Env, rebuilt_demo, repo_file};

const ARTICLE: &str = "lankov-cold-war-alliance";

/// Every file under `dir`, relative path and bytes, in path order.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn read(path: PathBuf) -> String {
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn report_md_on_the_demo() {
    let env = rebuilt_demo();
    env.prov(&["report"]).ok();
    let md = read(env.root.join(format!("reports/{ARTICLE}/report.md")));
    insta::assert_snapshot!("demo_report_md", md);
    // The model as JSON: every capture, the edit found, the reprint unchanged.
    let json = read(env.root.join(format!("reports/{ARTICLE}/report.json")));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["captures"].as_array().unwrap().len(), 4);
    assert_eq!(v["captures"][3]["change"], "+43 -8 words, 1 moved");
    assert_eq!(v["copies"][1]["against_earliest"]["identical"], true);
    assert_eq!(v["fixity"]["intact"], true);
    // The lineage: the original by its page's published time, the reprint and its claim.
    assert_eq!(v["report_version"], 2);
    assert_eq!(v["lineage"]["original"], "aljazeera.com");
    assert_eq!(
        v["lineage"]["copies"][1]["against_original"]["identical"],
        true
    );
    assert_eq!(v["lineage"]["claims"][0]["names"][0], "aljazeera.com");
    let index = read(env.root.join("reports/index.html"));
    assert!(index.contains(&format!("href=\"{ARTICLE}/index.html\"")));
    // Reports are derived: without --commit nothing is committed.
    assert!(
        env.git(&["log", "--format=%s", "-1"])
            .starts_with("Capture ")
    );
}

#[test]
fn reports_are_byte_identical_from_run_to_run_and_with_out() {
    let env = rebuilt_demo();
    env.prov(&["report"]).ok();
    let first = files(&env.root.join("reports"));
    assert_eq!(
        first.len(),
        5,
        "{:?}",
        first.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    env.prov(&["report", ARTICLE]).ok();
    assert!(
        first == files(&env.root.join("reports")),
        "a second run changed the reports"
    );
    let out = env.tmp.path().join("elsewhere");
    env.prov(&["report", "--out", out.to_str().unwrap()]).ok();
    let first: Vec<_> = first.into_iter().filter(|f| f.0 != ".gitkeep").collect();
    assert!(first == files(&out), "--out wrote other bytes");
}

#[test]
fn commit_makes_one_commit_touching_only_the_reports() {
    let env = rebuilt_demo();
    let before = env.head();
    let out = env.prov(&["report", "--commit"]);
    assert!(out.ok().starts_with("committed "), "{}", out.stdout);
    let touched = env.git(&["diff", "--name-only", &before, "HEAD"]);
    assert_eq!(
        touched.lines().collect::<Vec<_>>(),
        [
            "reports/index.html",
            "reports/lankov-cold-war-alliance/index.html",
            "reports/lankov-cold-war-alliance/report.json",
            "reports/lankov-cold-war-alliance/report.md",
        ]
    );
    assert_eq!(env.status(), "", "the work tree and index agree with HEAD");
    let again = env.prov(&["report", "--commit"]);
    assert!(again.ok().contains("nothing to commit"), "{}", again.stdout);
    assert_eq!(
        env.git(&["rev-list", "--count", &format!("{before}..HEAD")])
            .trim(),
        "1"
    );
    // Committed reports are part of the archive, and the archive still verifies.
    env.prov(&["verify"]).ok();
}

#[test]
fn unknown_article_and_out_with_commit_are_errors() {
    let env = rebuilt_demo();
    assert!(
        env.prov(&["report", "nope"])
            .error()
            .contains("no article named \"nope\"")
    );
    let out = env.prov(&["report", "--commit", "--out", "x"]);
    assert_eq!(out.code, 2);
}

/// A page whose text and metadata carry markup must never run in the report.
#[test]
fn a_hostile_pages_text_appears_escaped() {
    let env = Env::new();
    let page = r#"<!DOCTYPE html><html><head>
<title>Hostile &lt;script&gt;alert(1)&lt;/script&gt; title</title>
<meta name="author" content="&lt;img src=x onerror=alert(2)&gt;">
<link rel="canonical" href="javascript:alert(3)">
</head><body><article>
<h1>Hostile &lt;script&gt;alert(1)&lt;/script&gt; title</h1>
<p>The first paragraph quotes the markup &lt;script&gt;alert(1)&lt;/script&gt; as text, the way a story about web security would.</p>
<p>The second paragraph quotes &lt;img src=x onerror=alert(2)&gt; as text, and goes on long enough to be a paragraph.</p>
<figure><img src="x" onerror="alert(4)"><figcaption>A caption with &lt;script&gt;alert(5)&lt;/script&gt; in it</figcaption></figure>
</article></body></html>"#;
    let edited = page.replace(
        "as text, and goes",
        "as text, <b>onerror=alert(6)</b> and goes",
    );
    let a = env.file("hostile.html", page);
    let b = env.file("hostile2.html", &edited);
    let snap = |f: &Path, at: &str| {
        env.prov(&[
            "snapshot",
            f.to_str().unwrap(),
            "--article",
            "hostile",
            "--url",
            "https://hostile.example/story",
            "--at",
            at,
        ])
        .ok();
    };
    snap(&a, "2020-01-01T00:00:00Z");
    snap(&b, "2020-01-02T00:00:00Z");
    env.prov(&["report"]).ok();
    let html = read(env.root.join("reports/hostile/index.html"));
    let lower = html.to_lowercase();
    for tag in ["<script", "<img", "<b>"] {
        assert!(!lower.contains(tag), "{tag} got through:\n{html}");
    }
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"),
        "{html}"
    );
    assert!(html.contains("onerror=alert(2)"), "{html}");
    assert!(
        html.contains("<ins>onerror=alert(6)"),
        "the edit is shown, as text: {html}"
    );
    assert!(
        !html.contains("href=\"javascript:"),
        "a javascript: URL became a link"
    );
    let index = read(env.root.join("reports/index.html"));
    assert!(!index.to_lowercase().contains("<script"), "{index}");
    let md = read(env.root.join("reports/hostile/report.md"));
    for tag in ["<script", "<img", "<b>"] {
        for (at, _) in md.match_indices(tag) {
            assert!(md[..at].ends_with('\\'), "an unescaped {tag} in:\n{md}");
        }
    }
}

/// The repository's own reports/ are those prov makes of the repository's snapshots/.
/// Regenerate them at the repository's root with `cargo run -- --archive . report`.
#[test]
fn the_repositorys_reports_are_up_to_date() {
    let committed = repo_file("reports");
    if !committed.join(ARTICLE).exists() {
        eprintln!(
            "skipped: {} is absent; make it with `cargo run -- --archive . report`",
            committed.join(ARTICLE).display()
        );
        return;
    }
    let env = Env::new();
    let out = env.tmp.path().join("regenerated");
    env.prov(&[
        "--archive",
        repo_file("").to_str().unwrap(),
        "report",
        "--out",
        out.to_str().unwrap(),
    ])
    .ok();
    let ours: Vec<_> = files(&committed)
        .into_iter()
        .filter(|f| f.0 != ".gitkeep")
        .collect();
    let theirs = files(&out);
    let names = |v: &[(String, Vec<u8>)]| v.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&ours), names(&theirs));
    for ((name, a), (_, b)) in ours.iter().zip(&theirs) {
        assert!(
            a == b,
            "reports/{name} is stale: regenerate with `cargo run -- --archive . report`"
        );
    }
}

/// Open the demo's report in headless Chromium: it renders, logs nothing to the console (no
/// blocked request, no script), and a screenshot is saved under the target folder.
#[test]
fn the_report_renders_in_chromium() {
    let chromium = Path::new("/usr/bin/chromium");
    if !chromium.exists() {
        eprintln!("skipped: /usr/bin/chromium is absent (apt-get install chromium)");
        return;
    }
    let env = rebuilt_demo();
    env.prov(&["report"]).ok();
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("report.png");
    let _ = std::fs::remove_file(&shot);
    for (page, size, name) in [
        (
            format!("reports/{ARTICLE}/index.html"),
            "1200,2000",
            "report.png",
        ),
        (
            format!("reports/{ARTICLE}/index.html"),
            "390,2400",
            "report-phone.png",
        ),
        (
            "reports/index.html".to_string(),
            "1200,600",
            "report-index.png",
        ),
    ] {
        let url = format!("file://{}", env.root.join(&page).display());
        let profile = tempfile::tempdir().unwrap();
        let png = shot.with_file_name(name);
        let run = |extra: &[&str]| {
            let o = env
                .command(chromium.to_str().unwrap())
                .args([
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                    "--enable-logging=stderr",
                    "--v=0",
                ])
                .arg(format!("--user-data-dir={}", profile.path().display()))
                .arg(format!("--window-size={size}"))
                .args(extra)
                .arg(&url)
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&o.stderr).into_owned();
            let console: Vec<&str> = err.lines().filter(|l| l.contains(":CONSOLE")).collect();
            assert!(
                console.is_empty(),
                "{page}: console messages:\n{}",
                console.join("\n")
            );
            (String::from_utf8_lossy(&o.stdout).into_owned(), err)
        };
        let (dom, err) = run(&["--dump-dom"]);
        assert!(dom.contains("</html>"), "{page}: no DOM:\n{err}");
        assert!(dom.contains("Rebirth of a Cold War alliance"), "{page}");
        run(&[&format!("--screenshot={}", png.display())]);
        assert!(png.exists(), "{page}: no screenshot at {}", png.display());
    }
    eprintln!("screenshot: {}", shot.display());
}

/// A capture file edited after its commit: the report says so, and so does stderr.
#[test]
fn a_tampered_capture_shows_in_the_report() {
    let env = rebuilt_demo();
    let raw = env
        .root
        .join("snapshots/lankov-cold-war-alliance/koreaobserver.example/20180506T080000Z-3e40231a/raw.html");
    let mut bytes = std::fs::read(&raw).unwrap();
    bytes.extend_from_slice(b"<!-- edited -->");
    std::fs::write(&raw, bytes).unwrap();
    let out = env.prov(&["report"]);
    out.ok();
    assert!(out.stderr.contains("1 fixity problem"), "{}", out.stderr);
    let json = read(env.root.join(format!("reports/{ARTICLE}/report.json")));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["fixity"]["intact"], false);
    assert_eq!(v["captures"][2]["verified"], false);
    assert_eq!(v["captures"][0]["verified"], true);
    let html = read(env.root.join(format!("reports/{ARTICLE}/index.html")));
    assert!(html.contains("1 fixity problem:"), "{html}");
}
