//! `prov snapshot --history URL` against a fake web archive on 127.0.0.1: a TimeMap, a CDX answer and ten mementos, two of them the same page.
//!
//! The original URL is only a name here: nothing fetches it.

#![allow(clippy::unwrap_used)] // the fake archive's handler unwraps too

mod common;

use std::sync::{Arc, Mutex};

use common::{Env, Reply, Server, response};

const ORIGINAL: &str = "https://news.example/harbour";

/// The archive's captures: day of May 2018 (10:00 UTC), digest, version of the page.
/// The 5th is the 4th again (same digest, same bytes).
fn mementos() -> Vec<(u32, String, u32)> {
    (1..=10)
        .map(|day| {
            let version = if day == 5 { 4 } else { day };
            (day, format!("DIGEST{version}"), version)
        })
        .collect()
}

fn stamp(day: u32) -> String {
    format!("201805{day:02}100000")
}

fn rfc3339(day: u32) -> String {
    format!("2018-05-{day:02}T10:00:00Z")
}

fn http_date(day: u32) -> String {
    // 1 May 2018 was a Tuesday.
    let names = ["Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Mon"];
    format!(
        "{}, {day:02} May 2018 10:00:00 GMT",
        names[((day - 1) % 7) as usize]
    )
}

fn page(version: u32) -> String {
    format!(
        "<html><head><title>The harbour reopens</title></head><body><article>\
         <h1>The harbour reopens</h1>\
         <p>The harbour reopened on Monday after a storm closed it for {version} days, the port authority said.</p>\
         <p>Fishing boats that had sheltered up the coast began to come back in the afternoon.</p>\
         <p>Officials said repairs to the outer wall would take most of the summer to finish.</p>\
         </article></body></html>"
    )
}

/// A fake Wayback-style archive. `days` is what it holds (changed by tests between runs).
struct Archive {
    server: Server,
    days: Arc<Mutex<Vec<(u32, String, u32)>>>,
}

impl Archive {
    fn start() -> Archive {
        let days = Arc::new(Mutex::new(mementos()));
        let held = days.clone();
        let port = Arc::new(Mutex::new(0u16));
        let port_seen = port.clone();
        let server = Server::start(move |req| {
            let base = format!("http://127.0.0.1:{}", *port_seen.lock().unwrap());
            let days = held.lock().unwrap().clone();
            if req.path.starts_with("/cdx/search/cdx?") {
                assert!(
                    req.path.contains("url=https://news.example/harbour"),
                    "{}",
                    req.path
                );
                let mut rows = vec![serde_json::json!([
                    "timestamp",
                    "original",
                    "mimetype",
                    "statuscode",
                    "digest"
                ])];
                for (day, digest, _) in &days {
                    rows.push(serde_json::json!([
                        stamp(*day),
                        ORIGINAL,
                        "text/html",
                        "200",
                        digest
                    ]));
                }
                // What a CDX answer also holds and prov must pass over.
                rows.push(serde_json::json!([
                    "20180520000000",
                    ORIGINAL,
                    "warc/revisit",
                    "-",
                    "DIGEST9"
                ]));
                rows.push(serde_json::json!([
                    "20180521000000",
                    ORIGINAL,
                    "text/html",
                    "302",
                    "X"
                ]));
                let body = serde_json::to_vec(&serde_json::Value::Array(rows)).unwrap();
                return Reply::Bytes(response(
                    200,
                    &[("Content-Type", "application/json")],
                    &body,
                ));
            }
            if req.path == format!("/timemap/link/{ORIGINAL}") {
                let mut lines = vec![format!("<{ORIGINAL}>; rel=\"original\"")];
                for (day, _, _) in &days {
                    // Listed in their usual (not raw) form: prov asks for the raw one.
                    lines.push(format!(
                        "<{base}/web/{}/{ORIGINAL}>; rel=\"memento\"; datetime=\"{}\"",
                        stamp(*day),
                        http_date(*day)
                    ));
                }
                let body = lines.join(",\n");
                return Reply::Bytes(response(
                    200,
                    &[("Content-Type", "application/link-format")],
                    body.as_bytes(),
                ));
            }
            for (day, _, version) in &days {
                if req.path == format!("/web/{}id_/{ORIGINAL}", stamp(*day)) {
                    let date = http_date(*day);
                    let link = format!("<{ORIGINAL}>; rel=\"original\"");
                    return Reply::Bytes(response(
                        200,
                        &[
                            ("Content-Type", "text/html; charset=utf-8"),
                            ("Memento-Datetime", &date),
                            ("Link", &link),
                        ],
                        page(*version).as_bytes(),
                    ));
                }
            }
            Reply::Bytes(response(404, &[], b"not archived"))
        });
        *port.lock().unwrap() = server.port;
        Archive { server, days }
    }

    fn base(&self) -> String {
        self.server.url("")
    }

    fn memento_requests(&self) -> Vec<String> {
        self.server
            .requests()
            .into_iter()
            .map(|r| r.path)
            .filter(|p| p.starts_with("/web/"))
            .collect()
    }
}

/// The article's captures: (captured_at, change) in order, from `prov log --json`.
fn log(env: &Env) -> Vec<(String, String)> {
    let out: serde_json::Value = serde_json::from_str(env.prov(&["log", "--json"]).ok()).unwrap();
    out.as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["captured_at"].as_str().unwrap().to_string(),
                c["change"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_cdx_history_records_one_capture_per_distinct_memento_at_its_time() {
    let env = Env::new();
    let archive = Archive::start();
    let run = env.prov(&[
        "snapshot",
        "--history",
        ORIGINAL,
        "--wayback",
        &archive.base(),
    ]);
    let out = run.ok();
    assert!(
        out.contains(&format!(
            "{ORIGINAL}: history: 10 listed, 9 chosen, 0 recorded before; 9 captured, 0 unchanged, 0 failed"
        )),
        "{out}"
    );
    // The 5th memento has the 4th's digest: never fetched.
    let fetched = archive.memento_requests();
    assert_eq!(fetched.len(), 9, "{fetched:?}");
    assert!(!fetched.iter().any(|p| p.contains(&stamp(5))));
    let want: Vec<String> = [1, 2, 3, 4, 6, 7, 8, 9, 10]
        .iter()
        .map(|d| rfc3339(*d))
        .collect();
    let got = log(&env);
    assert_eq!(got.iter().map(|(t, _)| t.clone()).collect::<Vec<_>>(), want);
    assert_eq!(got[0].1, "first capture");
    for (t, change) in &got[1..] {
        assert_eq!(change, "+1 -1 words", "{t}");
    }
    // Each is a capture of the original URL, timed by the archive.
    let first: serde_json::Value =
        serde_json::from_str(env.prov(&["show", "the-harbour-reopens@1", "--meta"]).ok()).unwrap();
    assert_eq!(first["url"], ORIGINAL);
    assert_eq!(first["copy"], "news.example");
    assert_eq!(first["captured_at_source"], "memento");
    assert_eq!(first["memento"]["original"], ORIGINAL);
    assert_eq!(first["memento"]["datetime"], http_date(1));
    assert!(
        first["memento"]["archive_url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/web/{}id_/{ORIGINAL}", stamp(1)))
    );
    assert_eq!(env.prov(&["verify"]).code, 0);

    // Again: nothing new, nothing fetched.
    let again = env.prov(&[
        "snapshot",
        "--history",
        ORIGINAL,
        "--wayback",
        &archive.base(),
    ]);
    assert!(
        again
            .ok()
            .contains("10 listed, 9 chosen, 9 recorded before; 0 captured"),
        "{}",
        again.stdout
    );
    assert_eq!(archive.memento_requests().len(), 9);

    // The archive took one more: only that one is fetched and recorded.
    archive
        .days
        .lock()
        .unwrap()
        .push((11, "DIGEST11".into(), 11));
    let more = env.prov(&[
        "snapshot",
        "--history",
        ORIGINAL,
        "--wayback",
        &archive.base(),
    ]);
    assert!(
        more.ok()
            .contains("11 listed, 10 chosen, 9 recorded before; 1 captured")
    );
    let fetched = archive.memento_requests();
    assert_eq!(fetched.len(), 10);
    assert!(fetched[9].contains(&stamp(11)));
    assert_eq!(log(&env).len(), 10);
}

#[test]
fn a_timemap_history_is_fetched_raw_and_identical_pages_are_not_recorded_twice() {
    let env = Env::new();
    let archive = Archive::start();
    let timemap = archive.server.url(&format!("/timemap/link/{ORIGINAL}"));
    let run = env.prov(&["snapshot", "--history", ORIGINAL, "--timemap", &timemap]);
    let out = run.ok();
    // A TimeMap has no digests: all ten are fetched; the 5th is the 4th's bytes again.
    assert!(
        out.contains("10 listed, 10 chosen, 0 recorded before; 9 captured, 1 unchanged, 0 failed"),
        "{out}"
    );
    let fetched = archive.memento_requests();
    assert_eq!(fetched.len(), 10);
    assert!(fetched.iter().all(|p| p.contains("id_/")), "{fetched:?}");
    let first = log(&env);
    let times: Vec<String> = first.iter().map(|(t, _)| t.clone()).collect();
    let want: Vec<String> = [1, 2, 3, 4, 6, 7, 8, 9, 10]
        .iter()
        .map(|d| rfc3339(*d))
        .collect();
    assert_eq!(times, want);

    // Again: the 5th, not recorded, is fetched again and found to repeat the capture just
    // before it in time (the 4th), though a later capture (the 10th) is the latest now. Both
    // runs leave the same archive.
    let head = env.git(&["rev-parse", "HEAD"]);
    let again = env.prov(&["snapshot", "--history", ORIGINAL, "--timemap", &timemap]);
    assert!(
        again
            .ok()
            .contains("10 listed, 10 chosen, 9 recorded before; 0 captured, 1 unchanged, 0 failed"),
        "{}",
        again.stdout
    );
    assert_eq!(archive.memento_requests().len(), 11);
    assert_eq!(log(&env), first);
    assert_eq!(env.git(&["rev-parse", "HEAD"]), head);
}

#[test]
fn more_jobs_record_the_same_history() {
    // Mementos are fetched and cleaned on worker threads and recorded in the list's order:
    // with four workers the output, the record and its commit ids are those of one.
    let archive = Archive::start();
    let timemap = archive.server.url(&format!("/timemap/link/{ORIGINAL}"));
    let mut runs = Vec::new();
    for (n, jobs) in [(1, "1"), (2, "4")] {
        let env = Env::new();
        let run = env.prov(&[
            "snapshot",
            "--history",
            ORIGINAL,
            "--timemap",
            &timemap,
            "--jobs",
            jobs,
        ]);
        assert_eq!(archive.memento_requests().len(), 10 * n);
        runs.push((
            run.ok().to_string(),
            log(&env),
            env.git(&["rev-parse", "HEAD"]),
        ));
    }
    assert!(
        runs[0].0.contains("9 captured, 1 unchanged"),
        "{}",
        runs[0].0
    );
    assert_eq!(runs[0], runs[1]);
}

#[test]
fn a_page_captured_today_as_first_archived_does_not_hide_its_first_memento() {
    let mut env = Env::new();
    let archive = Archive::start();
    // Today's page is the first memento's page again (the last edit was taken back).
    let today = env.file("today.html", page(1));
    env.set_now("2026-01-01T00:00:00Z");
    env.prov(&["snapshot", today.to_str().unwrap(), "--url", ORIGINAL])
        .ok();
    let run = env.prov(&[
        "snapshot",
        "--history",
        ORIGINAL,
        "--wayback",
        &archive.base(),
    ]);
    let out = run.ok();
    assert!(out.contains("9 captured, 0 unchanged"), "{out}");
    let times: Vec<String> = log(&env).into_iter().map(|(t, _)| t).collect();
    assert_eq!(times.first().map(String::as_str), Some(rfc3339(1).as_str()));
    assert_eq!(times.len(), 10, "{times:?}");
    assert_eq!(env.prov(&["verify"]).code, 0);
}

#[test]
fn a_history_can_be_thinned_by_date_and_span() {
    let env = Env::new();
    let archive = Archive::start();
    let base = archive.base();
    let run = env.prov(&[
        "snapshot",
        "--history",
        ORIGINAL,
        "--wayback",
        &base,
        "--from-date",
        "2018-05-02",
        "--to-date",
        "2018-05-08",
        "--every",
        "2d",
    ]);
    run.ok();
    // From the 2nd through the 8th, at least two days apart: 2, 4, (5 = 4), 6, 8.
    let times: Vec<String> = log(&env).into_iter().map(|(t, _)| t).collect();
    assert_eq!(times, [rfc3339(2), rfc3339(4), rfc3339(6), rfc3339(8)]);
}

#[test]
fn a_failing_memento_is_named_and_the_others_are_recorded() {
    let env = Env::new();
    // The archive lists two mementos but no longer serves the second.
    let holes = Server::start({
        move |req| {
            if req.path.starts_with("/cdx/") {
                let body = format!(
                    "[[\"timestamp\",\"original\",\"statuscode\",\"digest\"],\
                     [\"20180501100000\",\"{ORIGINAL}\",\"200\",\"A\"],\
                     [\"20180502100000\",\"{ORIGINAL}\",\"200\",\"B\"]]"
                );
                return Reply::Bytes(response(200, &[], body.as_bytes()));
            }
            if req.path.contains(&stamp(2)) {
                return Reply::Bytes(response(503, &[], b"busy"));
            }
            Reply::Bytes(response(
                200,
                &[
                    ("Content-Type", "text/html"),
                    ("Memento-Datetime", &http_date(1)),
                ],
                page(1).as_bytes(),
            ))
        }
    });
    let run = env.prov(&[
        "snapshot",
        "--history",
        ORIGINAL,
        "--wayback",
        &holes.url(""),
    ]);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains(&stamp(2)) && run.stderr.contains("503"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.contains("1 captured, 0 unchanged, 1 failed"),
        "{}",
        run.stdout
    );
    assert_eq!(log(&env).len(), 1);
    assert_eq!(env.prov(&["verify"]).code, 0);
}

#[test]
fn a_memento_without_text_is_recorded_and_one_behind_a_relative_redirect_is_followed() {
    let env = Env::new();
    // The second memento is a PDF; the third is reached by a redirect whose Location is
    // relative and holds the original URL, as Wayback-style archives write it.
    let archive = Server::start({
        move |req| {
            if req.path.starts_with("/cdx/") {
                let body = format!(
                    "[[\"timestamp\",\"original\",\"statuscode\",\"digest\"],\
                     [\"20180501100000\",\"{ORIGINAL}\",\"200\",\"A\"],\
                     [\"20180502100000\",\"{ORIGINAL}\",\"200\",\"B\"],\
                     [\"20180503100000\",\"{ORIGINAL}\",\"200\",\"C\"]]"
                );
                return Reply::Bytes(response(200, &[], body.as_bytes()));
            }
            let (day, body, kind) = if req.path.contains(&stamp(2)) {
                (2, b"%PDF-1.4 not a page".to_vec(), "application/pdf")
            } else if req.path.contains(&stamp(3)) {
                let to = format!("/web/{}id_/{ORIGINAL}", stamp(4));
                return Reply::Bytes(response(302, &[("Location", &to)], b""));
            } else if req.path.contains(&stamp(4)) {
                (4, page(4).into_bytes(), "text/html")
            } else {
                (1, page(1).into_bytes(), "text/html")
            };
            Reply::Bytes(response(
                200,
                &[
                    ("Content-Type", kind),
                    ("Memento-Datetime", &http_date(day)),
                ],
                &body,
            ))
        }
    });
    let run = env.prov(&[
        "snapshot",
        "--history",
        ORIGINAL,
        "--wayback",
        &archive.url(""),
    ]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("no text"), "{}", run.stderr);
    assert!(
        run.stdout.contains("3 captured, 0 unchanged, 0 failed"),
        "{}",
        run.stdout
    );
    let changes: Vec<String> = log(&env).into_iter().map(|(_, c)| c).collect();
    assert_eq!(changes.len(), 3, "{changes:?}");
    assert!(changes[1].starts_with("no text"), "{changes:?}");
    assert_eq!(env.prov(&["verify"]).code, 0);
}

/// Issue 25: a CDX answer given a page at a time is read to its end by the resume key; rows
/// of other URLs (a wider match) are left out and said; a TimeMap whose `next` links never
/// end is read to the bound, and prov says where it stopped.
#[test]
fn paged_lists_are_followed_to_a_bound_and_other_urls_left_out() {
    let env = Env::new();
    let port = Arc::new(Mutex::new(0u16));
    let port_seen = port.clone();
    let archive = Server::start(move |req| {
        let base = format!("http://127.0.0.1:{}", *port_seen.lock().unwrap());
        let json = |rows: Vec<serde_json::Value>| {
            let body = serde_json::to_vec(&serde_json::Value::Array(rows)).unwrap();
            Reply::Bytes(response(
                200,
                &[("Content-Type", "application/json")],
                &body,
            ))
        };
        let header =
            serde_json::json!(["timestamp", "original", "mimetype", "statuscode", "digest"]);
        let row = |day: u32, url: &str| {
            serde_json::json!([stamp(day), url, "text/html", "200", format!("D{day}")])
        };
        if req.path.starts_with("/cdx/search/cdx?") {
            return if req.path.contains("resumeKey=second%20page") {
                json(vec![
                    header,
                    row(3, ORIGINAL),
                    row(4, "http://www.news.example/harbour/"),
                ])
            } else {
                let other = format!("{ORIGINAL}/comments");
                json(vec![
                    header,
                    row(1, ORIGINAL),
                    row(2, &other),
                    serde_json::json!([]),
                    serde_json::json!(["second page"]),
                ])
            };
        }
        if let Some(n) = req.path.strip_prefix("/timemap/") {
            // Every page links to the next: a list with no end.
            let n: u32 = n.parse().unwrap();
            let body = format!(
                "<{base}/web/{}/{ORIGINAL}>; rel=\"memento\"; datetime=\"{}\",\n<{base}/timemap/{}>; rel=\"next\"",
                stamp(1),
                http_date(1),
                n + 1
            );
            return Reply::Bytes(response(
                200,
                &[("Content-Type", "application/link-format")],
                body.as_bytes(),
            ));
        }
        for day in 1..=4 {
            if req.path.starts_with(&format!("/web/{}id_/", stamp(day))) {
                return Reply::Bytes(response(
                    200,
                    &[("Content-Type", "text/html; charset=utf-8")],
                    page(day).as_bytes(),
                ));
            }
        }
        Reply::Bytes(response(404, &[], b"not archived"))
    });
    *port.lock().unwrap() = archive.port;
    let run = env.prov(&[
        "snapshot",
        "--history",
        ORIGINAL,
        "--wayback",
        &archive.url(""),
    ]);
    let out = run.ok();
    assert!(
        out.contains("3 listed, 3 chosen, 0 recorded before; 3 captured, 0 unchanged, 0 failed"),
        "{out}"
    );
    assert!(
        run.stderr.contains("also listed 1 capture of other URLs"),
        "{}",
        run.stderr
    );
    let times: Vec<String> = log(&env).into_iter().map(|(t, _)| t).collect();
    assert_eq!(times, [rfc3339(1), rfc3339(3), rfc3339(4)]);

    let env = Env::new();
    let run = env.prov(&[
        "snapshot",
        "--history",
        ORIGINAL,
        "--timemap",
        &archive.url("/timemap/1"),
    ]);
    let out = run.ok();
    assert!(out.contains("20 listed"), "{out}");
    assert!(
        run.stderr
            .contains("the web archive's list goes on past 20 pages"),
        "{}",
        run.stderr
    );
    let pages = archive
        .requests()
        .into_iter()
        .filter(|r| r.path.starts_with("/timemap/"))
        .count();
    assert_eq!(pages, 20);
}

/// Issue 25: the web archive's robots.txt Crawl-delay spaces the requests to it.
#[test]
fn the_archives_crawl_delay_is_honoured_and_said() {
    let env = Env::new();
    let archive = Server::start(|req| {
        if req.path == "/robots.txt" {
            return Reply::Bytes(response(200, &[], b"User-agent: *\nCrawl-delay: 1\n"));
        }
        if req.path.starts_with("/cdx/search/cdx?") {
            let rows = serde_json::json!([
                ["timestamp", "original", "mimetype", "statuscode", "digest"],
                [stamp(1), ORIGINAL, "text/html", "200", "D1"]
            ]);
            let body = serde_json::to_vec(&rows).unwrap();
            return Reply::Bytes(response(
                200,
                &[("Content-Type", "application/json")],
                &body,
            ));
        }
        Reply::Bytes(response(
            200,
            &[("Content-Type", "text/html; charset=utf-8")],
            page(1).as_bytes(),
        ))
    });
    let run = env.prov(&[
        "snapshot",
        "--history",
        ORIGINAL,
        "--wayback",
        &archive.url(""),
    ]);
    assert!(run.ok().contains("1 captured"), "{}", run.stdout);
    assert!(
        run.stderr
            .contains("127.0.0.1: robots.txt asks for 1 s between requests; waiting 1 s"),
        "{}",
        run.stderr
    );
    // Read once a run, before the first request to the archive.
    let paths: Vec<String> = archive.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths.first().map(String::as_str),
        Some("/robots.txt"),
        "{paths:?}"
    );
    assert_eq!(paths.iter().filter(|p| *p == "/robots.txt").count(), 1);
}

#[test]
fn history_takes_urls_only() {
    let env = Env::new();
    let run = env.prov(&["snapshot", "--history", "page.html"]);
    assert!(run.error().contains("--history takes the http(s) URL"));
    let run = env.prov(&["snapshot", "--timemap", "http://127.0.0.1:9/tm", ORIGINAL]);
    assert_eq!(run.code, 2);
    let run = env.prov(&["snapshot", "--history", "--every", "soon", ORIGINAL]);
    assert_eq!(run.code, 2);
}
