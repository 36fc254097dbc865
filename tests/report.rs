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
    assert_eq!(v["report_version"], 4);
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

/// What the layout check looks for, run in the page by Chromium (a copy of the report, with
/// the script added and the Content-Security-Policy that forbids scripts taken out: the
/// reports themselves run no script). It writes what it found into the DOM as JSON.
const MEASURE: &str = r#"<script>
(function () {
  const found = [];
  const vw = document.documentElement.clientWidth;
  const name = (el) => el.tagName.toLowerCase() + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "") + " \"" + (el.textContent || "").trim().slice(0, 40) + "\"";
  if (document.documentElement.scrollWidth > vw + 1) {
    found.push("the page is wider than the window: " + document.documentElement.scrollWidth + " > " + vw);
  }
  for (const el of document.querySelectorAll("body *")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.right > vw + 1 || r.left < -1) found.push("outside the window: " + name(el) + " " + Math.round(r.left) + ".." + Math.round(r.right));
    const cs = getComputedStyle(el);
    if (el.scrollWidth > el.clientWidth + 1 && cs.overflowX !== "visible") found.push("clipped or scrolled: " + name(el) + " " + el.scrollWidth + " > " + el.clientWidth);
  }
  // Labels and marks that must not overlap one another.
  const boxes = [...document.querySelectorAll(".tl-when, .tl-mark, .tl-lane, .tl-gap span, th, td, h1, h2, .badge, .filters label")]
    .map((el) => [el, el.getBoundingClientRect()])
    .filter(([, r]) => r.width > 0 && r.height > 0);
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, ra] = boxes[i], [b, rb] = boxes[j];
      if (a.contains(b) || b.contains(a)) continue;
      const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
      const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
      if (w > 1 && h > 1) found.push("overlap: " + name(a) + " and " + name(b));
    }
  }
  const doc = window.parent.document;
  const out = doc.createElement("pre");
  out.id = "layout-found";
  out.textContent = JSON.stringify({ width: vw, rows: document.querySelectorAll(".tl-row, tr").length, found: found });
  doc.body.appendChild(out);
})();
</script>"#;

/// Headless Chromium on `page` at `width` px: the DOM it made (`--dump-dom`), after checking
/// that nothing went to the console.
fn chromium_dom(env: &Env, page: &Path, width: u32) -> String {
    let profile = tempfile::tempdir().unwrap();
    let o = env
        .command("/usr/bin/chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
            "--virtual-time-budget=3000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--window-size={width},2000"))
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    let console: Vec<&str> = err.lines().filter(|l| l.contains(":CONSOLE")).collect();
    assert!(
        console.is_empty(),
        "{}: console messages:\n{}",
        page.display(),
        console.join("\n")
    );
    let dom = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        dom.contains("</html>"),
        "{}: no DOM:\n{err}",
        page.display()
    );
    dom
}

/// The layout of `page` in Chromium at `width` px, measured by [`MEASURE`]: the problems found.
/// Chromium's window is at least 500 px wide, so the page is shown in a frame `width` px
/// wide (its own viewport: media queries and the measures are the frame's).
fn layout_problems(env: &Env, page: &Path, width: u32) -> Vec<String> {
    let html = read(page.to_path_buf());
    assert!(
        html.contains("Content-Security-Policy"),
        "the report forbids scripts"
    );
    let measured = html
        .lines()
        .filter(|l| !l.contains("Content-Security-Policy"))
        .collect::<Vec<_>>()
        .join("\n")
        .replace("</body>", &format!("{MEASURE}\n</body>"));
    let frame = format!(
        "<!DOCTYPE html><html><body style=\"margin:0\"><iframe style=\"border:0;width:{width}px;height:2000px\" srcdoc=\"{}\"></iframe></body></html>",
        measured.replace('&', "&amp;").replace('"', "&quot;")
    );
    let copy = page.with_file_name(format!("measured-{width}.html"));
    std::fs::write(&copy, frame).unwrap();
    let dom = chromium_dom(env, &copy, 1400);
    std::fs::remove_file(&copy).unwrap();
    let start = dom
        .find("<pre id=\"layout-found\">")
        .expect("the measuring script ran");
    let json = &dom[start + "<pre id=\"layout-found\">".len()..];
    let json = &json[..json.find("</pre>").unwrap()];
    let json = json
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    // The window is the width asked for (less a scroll bar at most), and the page has rows.
    let w = v["width"].as_u64().unwrap();
    assert!(w <= u64::from(width) && w + 20 >= u64::from(width), "{w}");
    assert!(v["rows"].as_u64().unwrap() > 0);
    v["found"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_string())
        .collect()
}

/// An archive made to strain the layout: captures minutes and years apart, three copies
/// (one with a long host name), a capture found moved to a long URL and one found gone, and
/// a dozen articles with long titles for the index.
fn strained() -> Env {
    use common::{P1, P2, P3, P4, Reply, Server, article, response};
    let mut env = Env::new();
    let name = "a-rather-long-article-name-about-a-cold-war-alliance-reborn";
    let long_host = "https://www.the-daily-chronicle-of-regional-and-international-affairs.example/2018/05/04/rebirth";
    let title = "Rebirth of a Cold War alliance: how two old partners found each other again, and what the neighbours think of it";
    let texts = [
        article(title, &[P1, P2, P3, P4]),
        article(title, &[P1, P2, "An edited third paragraph.", P4]),
        article(
            title,
            &[P2, P1, "An edited third paragraph.", P4, "A correction."],
        ),
    ];
    for (i, (at, text)) in [
        "2018-05-04T10:12:00Z",
        "2018-05-04T10:14:00Z",
        "2018-05-04T10:15:00Z",
    ]
    .iter()
    .zip(&texts)
    .enumerate()
    {
        let f = env.file(&format!("c{i}.txt"), text);
        env.prov(&[
            "snapshot",
            f.to_str().unwrap(),
            "--article",
            name,
            "--url",
            long_host,
            "--at",
            at,
        ])
        .ok();
    }
    let f = env.file("r.txt", &texts[0]);
    env.prov(&[
        "snapshot",
        f.to_str().unwrap(),
        "--article",
        name,
        "--url",
        "https://reprints.example/story",
        "--at",
        "2018-05-06T08:00:00Z",
    ])
    .ok();
    let page = article(title, &[P1, P2, P3]).into_bytes();
    let long_target = format!(
        "/{}",
        "moved-to-a-new-section-with-a-very-long-path/".repeat(3)
    );
    let served = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let server = Server::start(move |r| {
        let first = served.fetch_add(1, std::sync::atomic::Ordering::SeqCst) < 2;
        Reply::Bytes(match r.path.as_str() {
            "/old" | "/gone" if first => response(200, &[("Content-Type", "text/plain")], &page),
            "/old" => response(301, &[("Location", &long_target)], b""),
            "/gone" => response(404, &[], b""),
            _ => response(
                200,
                &[("Content-Type", "text/plain")],
                b"Elsewhere\n\nA page about something else entirely.",
            ),
        })
    });
    env.set_now("2019-03-01T00:00:00Z");
    for path in ["/old", "/gone"] {
        env.prov(&[
            "snapshot",
            &server.url(path),
            "--article",
            name,
            "--copy",
            if path == "/old" {
                "syndicated-partner-with-a-long-name.example"
            } else {
                "local"
            },
        ])
        .ok();
    }
    env.set_now("2026-11-28T09:00:00Z");
    for path in ["/old", "/gone"] {
        assert_eq!(env.prov(&["snapshot", &server.url(path)]).code, 1);
    }
    for i in 0..12 {
        let f = env.file(
            &format!("o{i}.txt"),
            article(&format!("{title}, part {i}"), &[P1, P3]),
        );
        env.prov(&[
            "snapshot",
            f.to_str().unwrap(),
            "--article",
            &format!("other-{i}"),
            "--at",
            &format!("2020-01-{:02}T00:00:00Z", i + 1),
        ])
        .ok();
    }
    env.prov(&["report"]).ok();
    env
}

/// The reports in headless Chromium at 1280 px and at 390 px (a phone): no console message
/// (no blocked request, no script), and, measured in the page, nothing wider than the
/// window, no cell clipped or scrolling sideways, no labels overlapping; on the demo and on
/// an archive made to strain the layout. Screenshots are saved under the target folder.
#[test]
fn the_reports_lay_out_in_chromium_at_desktop_and_phone_widths() {
    if !Path::new("/usr/bin/chromium").exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "/usr/bin/chromium is absent (apt-get install chromium)"
        );
        eprintln!("skipped: /usr/bin/chromium is absent (apt-get install chromium)");
        return;
    }
    let demo = rebuilt_demo();
    demo.prov(&["report"]).ok();
    let strained = strained();
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .to_path_buf();
    let mut problems = Vec::new();
    for (env, label) in [(&demo, "demo"), (&strained, "strained")] {
        let reports = env.root.join("reports");
        let mut pages = vec![reports.join("index.html")];
        for e in std::fs::read_dir(&reports).unwrap() {
            let p = e.unwrap().path().join("index.html");
            if p.exists() && (label == "demo" || !p.to_string_lossy().contains("/other-")) {
                pages.push(p);
            }
        }
        for page in &pages {
            let dom = chromium_dom(env, page, 1280);
            assert!(dom.contains("<h1>"), "{}", page.display());
            for width in [1280, 390] {
                for p in layout_problems(env, page, width) {
                    problems.push(format!("{label} {} at {width}px: {p}", page.display()));
                }
            }
        }
        for (page, width, name) in [
            (
                reports.join(format!(
                    "{}/index.html",
                    if label == "demo" {
                        ARTICLE
                    } else {
                        "a-rather-long-article-name-about-a-cold-war-alliance-reborn"
                    }
                )),
                1280,
                "report",
            ),
            (
                reports.join(format!(
                    "{}/index.html",
                    if label == "demo" {
                        ARTICLE
                    } else {
                        "a-rather-long-article-name-about-a-cold-war-alliance-reborn"
                    }
                )),
                390,
                "report-phone",
            ),
            (reports.join("index.html"), 1280, "report-index"),
        ] {
            let png = shots.join(format!("{name}-{label}.png"));
            let profile = tempfile::tempdir().unwrap();
            let o = env
                .command("/usr/bin/chromium")
                .args([
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-first-run",
                    "--hide-scrollbars",
                ])
                .arg(format!("--user-data-dir={}", profile.path().display()))
                .arg(format!("--window-size={width},2400"))
                .arg(format!("--screenshot={}", png.display()))
                .arg(format!("file://{}", page.display()))
                .output()
                .unwrap();
            assert!(
                o.status.success() && png.exists(),
                "{}",
                String::from_utf8_lossy(&o.stderr)
            );
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The demo's heading is the clean title, not the page's <title> with its site's name.
    let html = read(demo.root.join(format!("reports/{ARTICLE}/index.html")));
    assert!(html.contains("<h1>Rebirth of a Cold War alliance</h1>"));
    // The strained article: the moved capture's target and the gone capture's status.
    let html =
        read(strained.root.join(
            "reports/a-rather-long-article-name-about-a-cold-war-alliance-reborn/index.html",
        ));
    assert!(html.contains("The URL is gone: it answered 404."), "{html}");
    assert!(
        html.contains("The URL has moved: it redirected (301) to"),
        "{html}"
    );
    assert!(html.contains("7 years later"), "{html}");
    eprintln!("screenshots: {}", shots.display());
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
