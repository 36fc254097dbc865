//! `prov watch` against a site on 127.0.0.1 whose feed announces three articles over three rounds: one edited between rounds, one answering 304, one turning 404.
//!
//! Rounds are `prov watch --once` at fixed clocks (`PROV_NOW`); nothing reaches beyond loopback.

#![allow(clippy::unwrap_used)] // the site's handler unwraps too

mod common;

use std::sync::{Arc, Mutex};

use common::{Env, Reply, Server, response};

fn page(title: &str, paragraphs: &[&str]) -> Vec<u8> {
    let mut body =
        format!("<html><head><title>{title}</title></head><body><article><h1>{title}</h1>");
    for p in paragraphs {
        body.push_str(&format!("<p>{p}</p>"));
    }
    body.push_str("</article></body></html>");
    body.into_bytes()
}

fn story_a(version: u32) -> Vec<u8> {
    let first = if version == 1 {
        "The council voted on Monday to close the old library at the end of the year."
    } else {
        "The council voted on Monday to close the old library at the end of next year."
    };
    page(
        "Council votes to close the library",
        &[
            first,
            "Readers gathered outside the town hall with placards asking for a delay.",
            "The building needs a new roof that the council says it cannot afford.",
        ],
    )
}

fn story_b() -> Vec<u8> {
    page(
        "Ferry timetable changes for winter",
        &[
            "The island ferry will sail twice a day instead of four times from November.",
            "Operators blamed the price of fuel and a shortage of trained crew members.",
            "Islanders said the change would make it hard to reach the hospital on time.",
        ],
    )
}

fn story_c() -> Vec<u8> {
    page(
        "School wins robotics prize",
        &[
            "Pupils from the secondary school won the national robotics final in Leeds.",
            "Their machine sorted coloured blocks faster than any other team's entry.",
            "The head teacher said the prize money would buy new tools for the club.",
        ],
    )
}

/// The site: its feed and pages as they are in `round` (1, 2, 3).
struct Site {
    server: Server,
    round: Arc<Mutex<u32>>,
}

impl Site {
    fn start() -> Site {
        let round = Arc::new(Mutex::new(1));
        let r = round.clone();
        let port = Arc::new(Mutex::new(0u16));
        let p = port.clone();
        let server = Server::start(move |req| {
            let round = *r.lock().unwrap();
            let base = format!("http://127.0.0.1:{}", *p.lock().unwrap());
            let html = ("Content-Type", "text/html; charset=utf-8");
            let reply = match req.path.as_str() {
                "/robots.txt" => response(
                    200,
                    &[("Content-Type", "text/plain")],
                    b"User-agent: *\nDisallow: /private/\n",
                ),
                "/feed.xml" => {
                    let items: &[&str] = match round {
                        1 => &["/a", "/private/x"],
                        2 => &["/a", "/b", "/private/x"],
                        _ => &["/a", "/b", "/c", "/private/x"],
                    };
                    let mut rss = String::from(
                        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Town news</title>",
                    );
                    for i in items {
                        rss.push_str(&format!(
                            "<item><title>{i}</title><link>{base}{i}</link></item>"
                        ));
                    }
                    rss.push_str("</channel></rss>");
                    response(
                        200,
                        &[("Content-Type", "application/rss+xml")],
                        rss.as_bytes(),
                    )
                }
                "/a" => match round {
                    1 => response(200, &[html, ("ETag", "\"a1\"")], &story_a(1)),
                    2 => response(200, &[html, ("ETag", "\"a2\"")], &story_a(2)),
                    _ => response(404, &[html], b"<html><body>Not found</body></html>"),
                },
                "/b" => {
                    if req.header("if-none-match") == Some("\"b1\"") {
                        response(304, &[("ETag", "\"b1\"")], b"")
                    } else {
                        response(200, &[html, ("ETag", "\"b1\"")], &story_b())
                    }
                }
                "/c" => response(200, &[html], &story_c()),
                _ => response(404, &[], b"no such page"),
            };
            Reply::Bytes(reply)
        });
        *port.lock().unwrap() = server.port;
        Site { server, round }
    }

    fn set_round(&self, n: u32) {
        *self.round.lock().unwrap() = n;
    }

    fn paths(&self) -> Vec<String> {
        self.server.requests().into_iter().map(|r| r.path).collect()
    }
}

/// One `prov watch --once` at `now`.
fn round(env: &mut Env, site: &Site, now: &str, hook: &std::path::Path) -> common::Run {
    env.set_now(now);
    let feed = site.server.url("/feed.xml");
    let hook = format!("cat >> '{}'", hook.display());
    env.prov(&[
        "watch",
        "--once",
        "--feed",
        &feed,
        "--delay",
        "0",
        "--on-change",
        &hook,
    ])
}

fn last_line(out: &str) -> &str {
    out.lines().last().unwrap_or_default()
}

/// Wait (a minute at the most, or the test fails saying `what` never happened) until `done`.
fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !done() {
        assert!(std::time::Instant::now() < deadline, "{what}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Send the running prov SIGTERM, as a service manager stops it.
fn sigterm(child: &std::process::Child) {
    let pid = child.id().to_string();
    let sent = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(sent.success());
}

#[test]
fn a_feed_followed_over_three_rounds() {
    let mut env = Env::new();
    let site = Site::start();
    let hook = env.tmp.path().join("changes.jsonl");
    let url = |p: &str| site.server.url(p);

    // Round 1: the feed announces a (and a page robots.txt keeps prov away from).
    let r1 = round(&mut env, &site, "2026-01-01T00:00:00Z", &hook);
    let out = r1.ok();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[0]
            .starts_with("new      council-votes-to-close-the-library/127.0.0.1 20260101T000000Z-"),
        "{out}"
    );
    assert!(
        lines[0].ends_with(&format!("  first capture  {}", url("/a"))),
        "{out}"
    );
    assert_eq!(
        lines[1],
        "round 2026-01-01T00:00:00Z: 2 due, 1 captured (1 new), 0 changed, 0 unchanged, 0 not modified, 0 gone, 0 failed, 1 disallowed by robots.txt"
    );
    assert!(
        r1.stderr.contains("/private/x: robots.txt disallows prov"),
        "{}",
        r1.stderr
    );

    // Five minutes on, nothing is due (the youngest are looked at every 15 minutes).
    let quiet = round(&mut env, &site, "2026-01-01T00:05:00Z", &hook);
    assert_eq!(
        quiet.ok().trim(),
        "round 2026-01-01T00:05:00Z: 0 due, 0 captured (0 new), 0 changed, 0 unchanged, 0 not modified, 0 gone, 0 failed"
    );

    // Round 2: a was edited; b is new.
    site.set_round(2);
    let r2 = round(&mut env, &site, "2026-01-01T00:20:00Z", &hook);
    let out = r2.ok();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[0]
            .starts_with("changed  council-votes-to-close-the-library/127.0.0.1 20260101T002000Z-"),
        "{out}"
    );
    assert!(
        lines[0].ends_with(&format!("  +1 -1 words  {}", url("/a"))),
        "{out}"
    );
    assert!(
        lines[1].starts_with("new      ferry-timetable-changes-for-winter/127.0.0.1 "),
        "{out}"
    );
    assert_eq!(
        lines[2],
        "round 2026-01-01T00:20:00Z: 3 due, 2 captured (1 new), 1 changed, 0 unchanged, 0 not modified, 0 gone, 0 failed, 1 disallowed by robots.txt"
    );

    // Round 3: a is gone; b answers 304 to prov's conditional request; c is new.
    site.set_round(3);
    let r3 = round(&mut env, &site, "2026-01-01T00:40:00Z", &hook);
    assert_eq!(
        r3.code, 1,
        "a page gone is a finding\n{}\n{}",
        r3.stdout, r3.stderr
    );
    let out = &r3.stdout;
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[0]
            .starts_with("gone     council-votes-to-close-the-library/127.0.0.1 20260101T004000Z-"),
        "{out}"
    );
    assert!(
        lines[0].ends_with(&format!("  gone (404)  {}", url("/a"))),
        "{out}"
    );
    assert!(
        lines[1].starts_with("new      school-wins-robotics-prize/127.0.0.1 "),
        "{out}"
    );
    assert_eq!(
        last_line(out),
        "round 2026-01-01T00:40:00Z: 4 due, 1 captured (1 new), 0 changed, 0 unchanged, 1 not modified, 1 gone, 0 failed, 1 disallowed by robots.txt"
    );

    // The captures and their times are exactly these.
    let log: serde_json::Value = serde_json::from_str(env.prov(&["log", "--json"]).ok()).unwrap();
    let got: Vec<(String, String, String)> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["article"].as_str().unwrap().to_string(),
                c["captured_at"].as_str().unwrap().to_string(),
                c["change"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want = [
        (
            "council-votes-to-close-the-library",
            "2026-01-01T00:00:00Z",
            "first capture",
        ),
        (
            "council-votes-to-close-the-library",
            "2026-01-01T00:20:00Z",
            "+1 -1 words",
        ),
        (
            "ferry-timetable-changes-for-winter",
            "2026-01-01T00:20:00Z",
            "first capture",
        ),
        (
            "council-votes-to-close-the-library",
            "2026-01-01T00:40:00Z",
            "gone",
        ),
        (
            "school-wins-robotics-prize",
            "2026-01-01T00:40:00Z",
            "first capture",
        ),
    ];
    let mut got_sorted = got.clone();
    got_sorted.sort_by(|a, b| (&a.1, &a.0).cmp(&(&b.1, &b.0)));
    let want: Vec<(String, String, String)> = want
        .iter()
        .map(|(a, t, c)| (a.to_string(), t.to_string(), c.to_string()))
        .collect();
    assert_eq!(got_sorted, want);

    // --on-change had one JSON object per change, in order.
    let hooked = std::fs::read_to_string(&hook).unwrap();
    let events: Vec<serde_json::Value> = hooked
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let kinds: Vec<&str> = events
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["new", "changed", "new", "gone", "new"]);
    let edit = &events[1];
    assert_eq!(edit["url"], url("/a").as_str());
    assert_eq!(edit["words_added"], 1);
    assert_eq!(edit["words_removed"], 1);
    assert_eq!(edit["paragraphs_moved"], 0);
    assert_eq!(edit["previous"], events[0]["capture"]);
    assert_eq!(events[3]["status"], 404);

    // robots.txt kept prov away; the 304 came from prov's own If-None-Match.
    let paths = site.paths();
    assert!(
        !paths.iter().any(|p| p.starts_with("/private/")),
        "{paths:?}"
    );
    let b_requests: Vec<common::Request> = site
        .server
        .requests()
        .into_iter()
        .filter(|r| r.path == "/b")
        .collect();
    assert_eq!(b_requests.len(), 2);
    assert_eq!(b_requests[0].header("if-none-match"), None);
    assert_eq!(b_requests[1].header("if-none-match"), Some("\"b1\""));
    assert_eq!(env.prov(&["verify"]).code, 0);
    assert_eq!(env.status(), "");

    // The schedule is derived state: lost, it is rebuilt from the history. b, last
    // captured at 00:20, is due; a (gone at 00:40) and c (new at 00:40) are not.
    std::fs::remove_file(env.root.join(".git/prov/watch.json")).unwrap();
    let again = round(&mut env, &site, "2026-01-01T00:41:00Z", &hook);
    let out = again.ok();
    assert_eq!(
        last_line(out),
        "round 2026-01-01T00:41:00Z: 2 due, 0 captured (0 new), 0 changed, 1 unchanged, 0 not modified, 0 gone, 0 failed, 1 disallowed by robots.txt",
        "{out}"
    );
}

#[test]
fn a_failing_source_is_a_line_and_the_round_goes_on() {
    let mut env = Env::new();
    let site = Site::start();
    let hook = env.tmp.path().join("changes.jsonl");
    env.set_now("2026-01-01T00:00:00Z");
    let missing = site.server.url("/nowhere");
    let refused = "http://127.0.0.1:9/closed";
    let good = site.server.url("/c");
    let run = env.prov(&[
        "watch",
        "--once",
        "--delay",
        "0",
        &missing,
        refused,
        &good,
        "--feed",
        &site.server.url("/nowhere.xml"),
    ]);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr
            .contains(&format!("{missing}: the server answered 404")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("127.0.0.1:9/closed"), "{}", run.stderr);
    assert!(run.stderr.contains("feed "), "{}", run.stderr);
    assert!(
        last_line(&run.stdout).starts_with("round 2026-01-01T00:00:00Z: 3 due, 1 captured (1 new)"),
        "{}",
        run.stdout
    );
    assert!(
        last_line(&run.stdout).ends_with("3 failed"),
        "{}",
        run.stdout
    );
    let _ = hook;
}

#[test]
fn the_schedule_is_a_setting() {
    let mut env = Env::new();
    let site = Site::start();
    std::fs::write(
        env.root.join("prov.toml"),
        "[watch]\nschedule = [{ until = \"1d\", every = \"1h\" }, { every = \"1d\" }]\n",
    )
    .unwrap();
    let good = site.server.url("/c");
    env.set_now("2026-01-01T00:00:00Z");
    env.prov(&["watch", "--once", "--delay", "0", &good]).ok();
    env.set_now("2026-01-01T00:30:00Z");
    let out = env.prov(&["watch", "--once", "--delay", "0", &good]);
    assert!(out.ok().contains(": 0 due,"), "{}", out.stdout);
    env.set_now("2026-01-01T01:00:00Z");
    let out = env.prov(&["watch", "--once", "--delay", "0", &good]);
    assert!(
        out.ok()
            .contains(": 1 due, 0 captured (0 new), 0 changed, 1 unchanged"),
        "{}",
        out.stdout
    );
    std::fs::write(
        env.root.join("prov.toml"),
        "[watch]\nschedule = [{ every = \"1h\" }, { until = \"1d\", every = \"1d\" }]\n",
    )
    .unwrap();
    let bad = env.prov(&["watch", "--once", &good]);
    assert!(bad.error().contains("[watch] schedule"), "{}", bad.stderr);
}

#[test]
fn sigterm_in_the_middle_of_a_round_stops_cleanly() {
    let env = Env::new();
    // Thirty articles from a slow site: SIGTERM comes while the round is under way.
    let server = Server::start(|req| {
        std::thread::sleep(std::time::Duration::from_millis(50));
        if req.path == "/robots.txt" {
            return Reply::Bytes(response(404, &[], b""));
        }
        let n = req.path.trim_start_matches("/story/");
        let words = ["harbour", "library", "ferry", "school", "market", "bridge"];
        let w = |i: usize| words[(n.len() + i) % words.len()];
        let body = page(
            &format!("Story number {n} of the day"),
            &[
                &format!(
                    "Story {n} begins with the {} and the {} in the morning.",
                    w(0),
                    w(1)
                ),
                &format!(
                    "Its second paragraph, number {n}, mentions the {} again.",
                    w(2)
                ),
                &format!(
                    "Number {n} ends on the {} after a long evening meeting.",
                    w(3)
                ),
            ],
        );
        Reply::Bytes(response(200, &[("Content-Type", "text/html")], &body))
    });
    let urls: Vec<String> = (0..30)
        .map(|i| server.url(&format!("/story/{i}")))
        .collect();
    let child = env
        .prov_cmd()
        .args(["watch", "--delay", "0", "--jobs", "1"])
        .args(&urls)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_for("the watch made no progress", || {
        let requests = server.requests();
        requests
            .iter()
            .filter(|r| r.path.starts_with("/story/"))
            .count()
            >= 8
    });
    sigterm(&child);
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{stderr}");
    let fetched = server
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/story/"))
        .count();
    assert!(
        fetched < 30,
        "stopped before the end of the round ({fetched} fetched)"
    );
    // What it reported is what it committed, each capture whole.
    // (The stories are alike: some are filed as edits of others.)
    let reported = stdout.lines().filter(|l| !l.starts_with("round ")).count();
    let log: serde_json::Value = serde_json::from_str(env.prov(&["log", "--json"]).ok()).unwrap();
    assert_eq!(log.as_array().unwrap().len(), reported, "{stdout}");
    assert!(reported >= 1, "{stdout}");
    assert!(
        stdout
            .lines()
            .last()
            .unwrap_or_default()
            .starts_with("round "),
        "{stdout}"
    );
    assert_eq!(env.prov(&["verify"]).code, 0);
    assert_eq!(env.status(), "");
    assert!(!env.root.join(".git/prov/pending").exists());
}

/// A clone of `bare` as a second archive (its own folder, clock and identity as `Env`'s).
fn clone_of(bare: &std::path::Path) -> Env {
    let env = Env::empty();
    let o = env
        .command("git")
        .args(["clone", "--quiet"])
        .arg(bare)
        .arg(&env.root)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    env
}

fn articles(env: &Env) -> Vec<String> {
    let log: serde_json::Value = serde_json::from_str(env.prov(&["log", "--json"]).ok()).unwrap();
    let mut a: Vec<String> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            format!(
                "{} {}",
                c["captured_at"].as_str().unwrap(),
                c["article"].as_str().unwrap()
            )
        })
        .collect();
    a.sort();
    a
}

#[test]
fn two_watchers_share_one_archive_through_a_remote() {
    // Two sites on two loopback addresses: two hosts, which --shard 1/2 and 2/2 split.
    let one = Server::start(|req| {
        let body = if req.path == "/one" {
            story_a(1)
        } else {
            b"no".to_vec()
        };
        let status = if req.path == "/one" { 200 } else { 404 };
        Reply::Bytes(response(status, &[("Content-Type", "text/html")], &body))
    });
    // /two is edited after its first capture.
    let served = Arc::new(Mutex::new(0));
    let two = Server::start_on("127.0.0.2", move |req| {
        let body = if req.path == "/two" {
            let mut n = served.lock().unwrap();
            *n += 1;
            let mut b = story_b();
            if *n > 1 {
                b = String::from_utf8(b)
                    .unwrap()
                    .replace("twice a day", "three times a day")
                    .into_bytes();
            }
            b
        } else {
            b"no".to_vec()
        };
        let status = if req.path == "/two" { 200 } else { 404 };
        Reply::Bytes(response(status, &[("Content-Type", "text/html")], &body))
    });
    let (u1, u2) = (one.url("/one"), two.url("/two"));

    let a = Env::new();
    let bare = a.tmp.path().join("shared.git");
    let branch = a.git(&["symbolic-ref", "--short", "HEAD"]);
    let o = a
        .command("git")
        .args([
            "init",
            "--quiet",
            "--bare",
            "--initial-branch",
            branch.trim(),
        ])
        .arg(&bare)
        .output()
        .unwrap();
    assert!(o.status.success());
    a.git(&["remote", "add", "origin", bare.to_str().unwrap()]);
    a.git(&["push", "--quiet", "origin", "HEAD"]);
    let mut b = clone_of(&bare);

    // A's round: only its shard's host is fetched; then B's, which pulls A's capture first.
    let ra = a.prov(&[
        "watch", "--once", "--delay", "0", "--shard", "1/2", "--push", "origin", &u1, &u2,
    ]);
    assert!(ra.ok().contains("1 due, 1 captured"), "{}", ra.stdout);
    assert_eq!(
        two.requests().len(),
        0,
        "watcher 1/2 fetched from 2/2's host"
    );
    b.set_now("2026-01-01T00:01:00Z");
    let rb = b.prov(&[
        "watch", "--once", "--delay", "0", "--shard", "2/2", "--push", "origin", &u1, &u2,
    ]);
    assert!(
        rb.ok().contains("1 due, 1 captured"),
        "{}\n{}",
        rb.stdout,
        rb.stderr
    );
    let pages = |s: &Server| {
        s.requests()
            .iter()
            .filter(|r| r.path != "/robots.txt")
            .count()
    };
    assert_eq!(pages(&one), 1, "watcher 2/2 fetched from 1/2's host");
    assert_eq!(pages(&two), 1);
    assert_eq!(articles(&b).len(), 2, "B pulled A's capture");

    // B captures again while A is mid-round (A's --on-change runs it): A's push is
    // rejected, and A pulls and pushes again.
    let mut a = a;
    a.set_now("2026-01-01T00:30:00Z");
    b.set_now("2026-01-01T00:30:00Z");
    let hook = format!(
        "cd '{}' && '{}' watch --once --delay 0 --shard 2/2 --push origin --ignore-robots {} {} >/dev/null 2>&1",
        b.root.display(),
        env!("CARGO_BIN_EXE_prov"),
        u1,
        u2
    );
    // A's page changes so that A has something to report (and so runs the hook).
    drop(one);
    let one = Server::start(|req| {
        let status = if req.path == "/one" { 200 } else { 404 };
        Reply::Bytes(response(
            status,
            &[("Content-Type", "text/html")],
            &story_a(2),
        ))
    });
    let u1b = one.url("/one");
    let hook = hook.replace(&u1, &u1b);
    let ra = a.prov(&[
        "watch",
        "--once",
        "--delay",
        "0",
        "--shard",
        "1/2",
        "--push",
        "origin",
        "--on-change",
        &hook,
        &u1b,
        &u2,
    ]);
    assert!(
        ra.ok().contains("1 captured"),
        "{}\n{}",
        ra.stdout,
        ra.stderr
    );
    assert!(ra.stderr.is_empty(), "{}", ra.stderr);

    // Both watchers' captures are in the shared repository, and in both clones after a pull.
    let c = clone_of(&bare);
    // A's first push was rejected: its second came after merging B's capture.
    assert_eq!(
        c.git(&["log", "--merges", "--format=%s"]).lines().count(),
        1
    );
    let all = articles(&c);
    b.git(&["pull", "--quiet", "--no-rebase", "origin"]);
    assert_eq!(articles(&b), all);
    assert_eq!(articles(&a), all);
    assert!(
        all.iter().filter(|l| l.contains("council")).count() >= 2,
        "{all:?}"
    );
    assert_eq!(
        all.iter().filter(|l| l.contains("ferry")).count(),
        2,
        "{all:?}"
    );
    for env in [&a, &b, &c] {
        assert_eq!(env.prov(&["verify"]).code, 0);
        assert_eq!(env.status(), "");
    }
}

#[test]
fn a_page_that_moves_is_a_finding_in_json() {
    let mut env = Env::new();
    let moved = Arc::new(Mutex::new(false));
    let m = moved.clone();
    let server = Server::start(move |req| {
        let html = ("Content-Type", "text/html");
        Reply::Bytes(match req.path.as_str() {
            "/story" if *m.lock().unwrap() => response(301, &[("Location", "/elsewhere")], b""),
            "/story" => response(200, &[html], &story_c()),
            "/elsewhere" => response(200, &[html], &story_b()),
            _ => response(404, &[], b""),
        })
    });
    let url = server.url("/story");
    env.set_now("2026-01-01T00:00:00Z");
    let first = env.prov(&["watch", "--once", "--json", "--delay", "0", &url]);
    let line: serde_json::Value = serde_json::from_str(first.ok().lines().next().unwrap()).unwrap();
    assert_eq!(line["event"], "new");
    assert_eq!(line["summary"], "first capture");
    assert_eq!(line["previous"], serde_json::Value::Null);
    *moved.lock().unwrap() = true;
    env.set_now("2026-01-01T00:15:00Z");
    let run = env.prov(&["watch", "--once", "--json", "--delay", "0", &url]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let line: serde_json::Value = serde_json::from_str(run.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(line["event"], "moved");
    assert_eq!(line["moved_to"], server.url("/elsewhere").as_str());
    assert_eq!(line["status"], 301);
    assert_eq!(line["article"], "school-wins-robotics-prize");
    // A page that moved is counted as moved, not as gone.
    let summary = run.stdout.lines().last().unwrap();
    assert!(summary.contains("0 gone, 1 moved, 0 failed"), "{summary}");
}

/// Issue 25: robots.txt's Crawl-delay spaces prov's requests to that host when it asks for
/// more than `--delay`, and prov says so.
#[test]
fn a_crawl_delay_in_robots_txt_is_honoured_and_said() {
    let env = Env::new();
    let server = Server::start(|req| {
        let html = ("Content-Type", "text/html");
        Reply::Bytes(match req.path.as_str() {
            "/robots.txt" => response(200, &[], b"User-agent: *\nCrawl-delay: 1\n"),
            "/b" => response(200, &[html], &story_b()),
            "/c" => response(200, &[html], &story_c()),
            _ => response(404, &[], b""),
        })
    });
    let run = env.prov(&[
        "watch",
        "--once",
        "--delay",
        "0",
        &server.url("/b"),
        &server.url("/c"),
    ]);
    assert!(
        run.stderr
            .contains("127.0.0.1: robots.txt asks for 1 s between requests; waiting 1 s"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("2 captured (2 new)"), "{}", run.stdout);
}

#[test]
fn overlapping_rounds_do_not_fetch_twice() {
    let env = Env::new();
    let server = Server::start(|req| {
        std::thread::sleep(std::time::Duration::from_millis(30));
        let n = req.path.trim_start_matches("/story/");
        let body = page(
            &format!("Bulletin {n}"),
            &[&format!(
                "Bulletin {n} of the parish council reports on the {n} items of its agenda."
            )],
        );
        Reply::Bytes(response(200, &[("Content-Type", "text/html")], &body))
    });
    let urls: Vec<String> = (0..6).map(|i| server.url(&format!("/story/{i}"))).collect();
    // A cron round still running when the next one starts: the second waits for the
    // first, then finds nothing due.
    let spawn = || {
        env.prov_cmd()
            .args(["watch", "--once", "--delay", "0"])
            .args(&urls)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (first, second) = (spawn(), spawn());
    let outs = [
        first.wait_with_output().unwrap(),
        second.wait_with_output().unwrap(),
    ];
    for o in &outs {
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let fetched = server
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/story/"))
        .count();
    assert_eq!(fetched, 6);
    let summaries: Vec<String> = outs
        .iter()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .last()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert!(
        summaries.iter().any(|s| s.contains(": 0 due,")),
        "{summaries:?}"
    );
}

#[test]
fn a_running_watch_outlives_a_round_it_cannot_do() {
    let env = Env::new();
    let server = Server::fixed(response(200, &[("Content-Type", "text/html")], &story_c()));
    // The user is in the middle of a rebase: prov must not commit, and must not die.
    std::fs::create_dir_all(env.root.join(".git/rebase-merge")).unwrap();
    let log = env.tmp.path().join("watch.stderr");
    let child = env
        .prov_cmd()
        .args(["watch", "--delay", "0", &server.url("/c")])
        .stdout(std::process::Stdio::piped())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    wait_for("no round failed", || {
        std::fs::read_to_string(&log)
            .unwrap()
            .contains("this round failed")
    });
    sigterm(&child);
    let output = child.wait_with_output().unwrap();
    let stderr = std::fs::read_to_string(&log).unwrap();
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("rebase"), "{stderr}");
    assert!(stderr.contains("trying again in a minute"), "{stderr}");
    std::fs::remove_dir_all(env.root.join(".git/rebase-merge")).unwrap();
    assert_eq!(env.prov(&["verify"]).code, 0);
}

#[test]
fn a_page_without_text_is_recorded_and_a_page_back_is_compared_with_its_last_text() {
    let mut env = Env::new();
    // 0: the story; 1: it moves (the page it leads to is edited); 2: the edited story at
    // the old URL again; 3: an empty page; 4: the story as first seen.
    let stage = Arc::new(Mutex::new(0u32));
    let s = stage.clone();
    let server = Server::start(move |req| {
        let html = ("Content-Type", "text/html");
        let edited = story_a(2);
        Reply::Bytes(match (req.path.as_str(), *s.lock().unwrap()) {
            ("/story", 1) => response(301, &[("Location", "/elsewhere")], b""),
            ("/story", 2) | ("/elsewhere", _) => response(200, &[html], &edited),
            ("/story", 3) => response(200, &[html], b"<html><body></body></html>"),
            ("/story", _) => response(200, &[html], &story_a(1)),
            _ => response(404, &[], b""),
        })
    });
    let url = server.url("/story");
    let mut events = Vec::new();
    for (i, now) in [
        "2026-01-01T00:00:00Z",
        "2026-01-01T00:15:00Z",
        "2026-01-01T00:30:00Z",
        "2026-01-01T00:45:00Z",
        "2026-01-01T01:00:00Z",
    ]
    .iter()
    .enumerate()
    {
        *stage.lock().unwrap() = i as u32;
        env.set_now(now);
        let run = env.prov(&["watch", "--once", "--json", "--delay", "0", &url]);
        let want = if i == 1 || i == 3 { 1 } else { 0 };
        assert_eq!(run.code, want, "{i}: {}\n{}", run.stdout, run.stderr);
        for line in run.stdout.lines().filter(|l| l.starts_with('{')) {
            let line: serde_json::Value = serde_json::from_str(line).unwrap();
            events.push((
                i,
                line["event"].as_str().unwrap().to_string(),
                line["summary"].as_str().unwrap().to_string(),
            ));
        }
        if i == 3 {
            assert!(run.stderr.contains("no text"), "{}", run.stderr);
            assert!(
                run.stdout
                    .lines()
                    .last()
                    .unwrap()
                    .contains("1 without text"),
                "{}",
                run.stdout
            );
        }
    }
    let e = |i: usize, a: &str, b: &str| (i, a.to_string(), b.to_string());
    assert_eq!(
        events,
        [
            e(0, "new", "first capture"),
            e(
                1,
                "moved",
                &format!("moved to {}", server.url("/elsewhere"))
            ),
            // The page it leads to, in the same round: what changed since the last text,
            // as `prov log` says. The same page at the old URL next is no change.
            e(1, "changed", "+1 -1 words"),
            e(3, "changed", "no text (no article text was found in it)"),
            e(4, "changed", "+1 -1 words"),
        ]
    );
    env.prov(&["verify"]).ok();
}

#[test]
fn a_signal_is_not_held_up_by_a_fetch_in_flight() {
    let env = Env::new();
    // The story's headers come and its body never does: its fetch stays in flight until
    // `--timeout` (an hour) ends it.
    let server = Server::start(|req| {
        match req.path.as_str() {
        "/story" => Reply::Stall(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n<html><p>"
                .to_vec(),
        ),
        _ => Reply::Bytes(response(404, &[], b"")),
    }
    });
    let mut child = env
        .prov_cmd()
        .args(["watch", "--delay", "0", "--timeout", "3600"])
        .arg(server.url("/story"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_for("the story was never asked for", || {
        server.requests().iter().any(|r| r.path == "/story")
    });
    sigterm(&child);
    // The response is still held open (the server never lets it go), so a prov that waited
    // for its fetch would run for the hour of `--timeout`: not exited a minute later, it
    // is ended here and the test fails.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("prov waited for the fetch in flight after SIGTERM");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    // Nothing was recorded of the story, and the archive is sound.
    let log: serde_json::Value = serde_json::from_str(env.prov(&["log", "--json"]).ok()).unwrap();
    assert_eq!(log.as_array().unwrap().len(), 0);
    assert_eq!(env.prov(&["verify"]).code, 0);
}

#[test]
fn a_signal_is_not_held_up_by_an_on_change_command_that_does_not_end() {
    let env = Env::new();
    let server = Server::start(|req| {
        let html = ("Content-Type", "text/html");
        Reply::Bytes(match req.path.as_str() {
            "/story" => response(200, &[html], &story_c()),
            _ => response(404, &[], b""),
        })
    });
    let started = env.tmp.path().join("started");
    let finished = env.tmp.path().join("finished");
    let hook = format!(
        "exec > /dev/null 2>&1; cat > /dev/null; touch '{}'; sleep 30; touch '{}'",
        started.display(),
        finished.display()
    );
    let child = env
        .prov_cmd()
        .args([
            "watch",
            "--delay",
            "0",
            "--on-change",
            &hook,
            &server.url("/story"),
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_for("the hook never ran", || started.exists());
    sigterm(&child);
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    // prov ended before the command did (which sleeps 30 s after it started).
    assert!(!finished.exists(), "{stderr}");
    assert!(stderr.contains("left running"), "{stderr}");
    assert_eq!(env.prov(&["verify"]).code, 0);
}
