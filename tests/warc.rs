//! WARC files (hand-built and written by wget), Memento archives and many sources (`--from`, `--jobs`, `--delay`), all on loopback.

// Test helpers unwrap: a failure there is a failed test, said where it happened.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Env, P1, P2, P3, P4, Server, response};

/// A small HTML article.
fn html(title: &str, extra: &str) -> String {
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body><article><h1>{title}</h1><p>{P1}</p><p>{P2}</p><p>{P3}</p><p>{P4} {extra}</p>\
         </article></body></html>"
    )
}

/// An HTTP response block as a WARC response record holds it (no Content-Length added).
fn http_block(headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut b = b"HTTP/1.1 200 OK\r\n".to_vec();
    for (n, v) in headers {
        b.extend_from_slice(format!("{n}: {v}\r\n").as_bytes());
    }
    b.extend_from_slice(b"\r\n");
    b.extend_from_slice(body);
    b
}

fn html_block(body: &str) -> Vec<u8> {
    http_block(
        &[("Content-Type", "text/html; charset=utf-8")],
        body.as_bytes(),
    )
}

/// One WARC/1.1 record.
fn record(kind: &str, uri: &str, date: &str, id: &str, block: &[u8]) -> Vec<u8> {
    let content_type = match kind {
        "response" | "revisit" => "application/http; msgtype=response",
        "request" => "application/http; msgtype=request",
        _ => "application/warc-fields",
    };
    let mut r = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: {date}\r\n\
         WARC-Record-ID: <urn:uuid:{id}>\r\nContent-Type: {content_type}\r\n\
         Content-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

fn json_lines(out: &str) -> Vec<serde_json::Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

fn meta(env: &Env, capture: &str) -> serde_json::Value {
    let run = env.prov(&["show", capture, "--meta"]);
    serde_json::from_str(run.ok()).expect("meta.json")
}

fn commits(env: &Env) -> usize {
    env.git(&["rev-list", "--count", "HEAD"])
        .trim()
        .parse()
        .unwrap()
}

const A: &str = "http://www.example.org/news/a";
const B: &str = "https://news.example.net/b";

/// Two HTML responses, a request, a revisit, a warcinfo and an image.
fn sample() -> Vec<Vec<u8>> {
    vec![
        record(
            "warcinfo",
            "",
            "2018-05-04T10:00:00Z",
            "0",
            b"software: test\r\n",
        ),
        record(
            "request",
            A,
            "2018-05-04T10:12:00Z",
            "1",
            b"GET /news/a HTTP/1.1\r\n\r\n",
        ),
        record(
            "response",
            A,
            "2018-05-04T10:12:00Z",
            "2",
            &html_block(&html("Story A", "")),
        ),
        record(
            "revisit",
            A,
            "2018-05-05T10:12:00Z",
            "3",
            b"HTTP/1.1 200 OK\r\n\r\n",
        ),
        record(
            "response",
            "http://www.example.org/logo.png",
            "2018-05-04T10:12:01Z",
            "4",
            &http_block(&[("Content-Type", "image/png")], b"\x89PNG"),
        ),
        record(
            "response",
            B,
            "2019-01-02T03:04:05.123Z",
            "5",
            &html_block(&html("Story B", "")),
        ),
    ]
}

#[track_caller]
fn check_sample(env: &Env, file: &std::path::Path) {
    let name = file.to_str().unwrap();
    let run = env.prov(&["snapshot", name, "--json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let lines = json_lines(&run.stdout);
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    assert_eq!(lines[0]["copy"], "example.org");
    assert_eq!(lines[1]["copy"], "news.example.net");
    assert!(lines[0]["source"].as_str().unwrap().ends_with("#3"));
    assert!(
        run.stderr.contains(
            "2 captured; skipped 1 not HTML, 1 request, 1 revisit, 1 warcinfo; 0 malformed"
        ),
        "{}",
        run.stderr
    );
    let m = meta(env, lines[0]["capture"].as_str().unwrap());
    assert_eq!(m["url"], A);
    assert_eq!(m["captured_at"], "2018-05-04T10:12:00Z");
    assert_eq!(m["captured_at_source"], "warc");
    assert_eq!(m["archived_at"], "2026-01-01T00:00:00Z");
    assert_eq!(m["warc"]["record_id"], "<urn:uuid:2>");
    assert_eq!(
        m["warc"]["file"],
        file.file_name().unwrap().to_str().unwrap()
    );
    assert_eq!(m["http"]["status"], 200);
    assert_eq!(m["http"]["content_type"], "text/html; charset=utf-8");
    assert!(m.get("memento").is_none());
    let m = meta(env, lines[1]["capture"].as_str().unwrap());
    assert_eq!(m["captured_at"], "2019-01-02T03:04:05Z");
    let text = env.prov(&["show", lines[1]["capture"].as_str().unwrap()]);
    assert!(text.ok().contains(P3));
}

#[test]
fn html_responses_of_a_plain_warc_are_captured_and_the_rest_counted() {
    let env = Env::new();
    let file = env.file("crawl.warc", sample().concat());
    check_sample(&env, &file);
    // The text summary names the same counts; a second run records nothing new.
    let run = env.prov(&["snapshot", file.to_str().unwrap()]);
    assert!(
        run.ok()
            .ends_with("0 captured, 2 unchanged; skipped 1 not HTML, 1 request, 1 revisit, 1 warcinfo; 0 malformed\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_warc_gz_with_one_member_per_record_is_read() {
    let env = Env::new();
    let bytes: Vec<u8> = sample().iter().flat_map(|r| gzip(r)).collect();
    let file = env.file("crawl.warc.gz", bytes);
    check_sample(&env, &file);
}

#[test]
fn a_warc_gz_as_one_stream_is_read() {
    let env = Env::new();
    let file = env.file("crawl.warc.gz", gzip(&sample().concat()));
    check_sample(&env, &file);
}

#[test]
fn a_malformed_record_in_the_middle_is_named_and_skipped() {
    let env = Env::new();
    let mut records = sample();
    // No Content-Length: the reader must find the next record by its WARC/1.1 line.
    records.insert(
        3,
        b"WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: http://x.org/\r\n\r\n\
          HTTP/1.1 200 OK\r\n\r\n<p>lost</p>\r\n\r\n"
            .to_vec(),
    );
    // A response whose HTTP block is not HTTP.
    records.insert(
        5,
        record(
            "response",
            "http://y.org/",
            "2018-05-04T10:12:00Z",
            "9",
            b"garbage",
        ),
    );
    let file = env.file("bad.warc", records.concat());
    let before = commits(&env);
    let run = env.prov(&["snapshot", file.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("record 4 (at byte "), "{}", run.stderr);
    assert!(
        run.stderr.contains("it has no Content-Length; skipped"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("record 6 (at byte "), "{}", run.stderr);
    assert!(
        run.stdout.contains(
            "2 captured; skipped 1 not HTML, 1 request, 1 revisit, 1 warcinfo; 2 malformed"
        ),
        "{}",
        run.stdout
    );
    assert_eq!(commits(&env), before + 2);
}

#[test]
fn a_truncated_file_keeps_the_records_before_the_cut() {
    let env = Env::new();
    let all = sample().concat();
    let plain = env.file("cut.warc", &all[..all.len() - 100]);
    let run = env.prov(&["snapshot", plain.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("truncated"), "{}", run.stderr);
    assert!(run.stdout.contains("1 captured;"), "{}", run.stdout);
    // A gzip member cut short ends the same way: the members before it are read.
    let env = Env::new();
    let gz: Vec<u8> = sample().iter().flat_map(|r| gzip(r)).collect();
    let cut = env.file("cut.warc.gz", &gz[..gz.len() - 40]);
    let run = env.prov(&["snapshot", cut.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("truncated"), "{}", run.stderr);
    assert!(run.stdout.contains("1 captured;"), "{}", run.stdout);
}

#[test]
fn chunked_and_gzipped_payloads_are_decoded() {
    let env = Env::new();
    let page = html("Chunked and zipped", "");
    let (one, two) = page.split_at(100);
    let chunked = format!(
        "{:x}\r\n{one}\r\n{:x};ext=1\r\n{two}\r\n0\r\n\r\n",
        one.len(),
        two.len()
    );
    let a = http_block(
        &[
            ("Content-Type", "text/html"),
            ("Transfer-Encoding", "chunked"),
        ],
        chunked.as_bytes(),
    );
    let b = http_block(
        &[("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
        &gzip(page.as_bytes()),
    );
    let file = env.file(
        "enc.warc",
        [
            record(
                "response",
                "http://a.org/x",
                "2018-05-04T10:12:00Z",
                "1",
                &a,
            ),
            record(
                "response",
                "http://b.org/x",
                "2018-05-04T10:12:00Z",
                "2",
                &b,
            ),
        ]
        .concat(),
    );
    let run = env.prov(&["snapshot", file.to_str().unwrap(), "--json"]);
    let lines = json_lines(run.ok());
    assert_eq!(lines.len(), 2);
    for line in &lines {
        let capture = line["capture"].as_str().unwrap();
        assert!(env.prov(&["show", capture]).ok().contains(P4));
        assert_eq!(env.prov(&["show", capture, "--raw"]).stdout, page);
    }
}

#[test]
fn records_over_the_size_limit_are_skipped_and_reported() {
    let env = Env::new();
    let bomb = http_block(
        &[("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
        &gzip(&vec![b' '; 5_000_000]),
    );
    let file = env.file(
        "big.warc",
        [
            record(
                "response",
                "http://a.org/x",
                "2018-05-04T10:12:00Z",
                "1",
                &bomb,
            ),
            record(
                "response",
                A,
                "2018-05-04T10:12:00Z",
                "2",
                &html_block(&html("Small", "")),
            ),
        ]
        .concat(),
    );
    let run = env.prov(&["snapshot", file.to_str().unwrap(), "--max-bytes", "100000"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr
            .contains("record 1 (http://a.org/x) is larger than 100000 bytes"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout
            .contains("1 captured; skipped 1 over --max-bytes; 0 malformed"),
        "{}",
        run.stdout
    );
}

#[test]
fn an_oversized_gzip_member_is_passed_over_without_inflating_it() {
    let env = Env::new();
    // The record claims a terabyte: reading through it would swallow the next members.
    let mut liar = b"WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: http://a.org/x\r\n\
        WARC-Date: 2018-05-04T10:12:00Z\r\nWARC-Record-ID: <urn:uuid:1>\r\n\
        Content-Length: 1000000000000\r\n\r\n"
        .to_vec();
    liar.extend_from_slice(&[b'x'; 3000]);
    let mut records = sample();
    records.insert(2, liar);
    let bytes: Vec<u8> = records.iter().flat_map(|r| gzip(r)).collect();
    let file = env.file("liar.warc.gz", bytes);
    let run = env.prov(&["snapshot", file.to_str().unwrap(), "--max-bytes", "100000"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr
            .contains("record 3 (http://a.org/x) is larger than 100000 bytes"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.contains(
            "2 captured; skipped 1 not HTML, 1 request, 1 revisit, 1 warcinfo, 1 over --max-bytes; 0 malformed"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn a_warc_written_by_wget_is_captured() {
    let wget = std::process::Command::new("wget").arg("--version").output();
    assert!(
        wget.is_ok_and(|o| o.status.success()),
        "this test needs wget (apt-get install wget; .ci/run installs it)"
    );
    let env = Env::new();
    let body = html("Fetched by wget", "");
    let server = Server::fixed(response(
        200,
        &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Date", "Mon, 04 May 2018 10:12:00 GMT"),
        ],
        body.as_bytes(),
    ));
    let url = server.url("/story");
    let dir = env.tmp.path().join("wget");
    std::fs::create_dir_all(&dir).unwrap();
    let o = env
        .command("wget")
        .current_dir(&dir)
        .args([
            "-q",
            "--no-config",
            "--warc-file=crawl",
            "-O",
            "/dev/null",
            &url,
        ])
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "wget: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let warc = dir.join("crawl.warc.gz");
    let run = env.prov(&["snapshot", warc.to_str().unwrap(), "--json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let lines = json_lines(&run.stdout);
    assert_eq!(lines.len(), 1, "{}", run.stdout);
    assert!(
        run.stderr.contains("1 captured; skipped "),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("1 request"), "{}", run.stderr);
    let m = meta(&env, lines[0]["capture"].as_str().unwrap());
    assert_eq!(m["url"], url);
    assert_eq!(m["copy"], "127.0.0.1");
    assert_eq!(m["captured_at_source"], "warc");
    assert!(
        m["warc"]["record_id"]
            .as_str()
            .unwrap()
            .starts_with("<urn:uuid:")
    );
    assert_eq!(
        env.prov(&["show", lines[0]["capture"].as_str().unwrap(), "--raw"])
            .stdout,
        body
    );
}

#[test]
fn a_memento_is_a_capture_of_the_original_at_the_archives_time() {
    let env = Env::new();
    let original = "https://www.example.org/news/story?id=7";
    let body = html("An archived story", "");
    let link = format!(
        "<{original}>; rel=\"original\", <http://127.0.0.1/web/timemap/link/{original}>; rel=\"timemap\""
    );
    let server = Server::fixed(response(
        200,
        &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Memento-Datetime", "Fri, 04 May 2018 10:12:00 GMT"),
            ("Link", &link),
        ],
        body.as_bytes(),
    ));
    let archived = server.url(&format!("/web/20180504101200id_/{original}"));
    let run = env.prov(&["snapshot", &archived, "--json"]);
    let line = &json_lines(run.ok())[0];
    assert_eq!(line["copy"], "example.org");
    let m = meta(&env, line["capture"].as_str().unwrap());
    assert_eq!(m["url"], original);
    assert_eq!(m["source"], archived);
    assert_eq!(m["captured_at"], "2018-05-04T10:12:00Z");
    assert_eq!(m["captured_at_source"], "memento");
    assert_eq!(m["archived_at"], "2026-01-01T00:00:00Z");
    assert_eq!(m["memento"]["archive_url"], archived);
    assert_eq!(m["memento"]["original"], original);
    assert_eq!(m["memento"]["datetime"], "Fri, 04 May 2018 10:12:00 GMT");
    assert!(m.get("warc").is_none());
}

#[test]
fn without_a_link_header_the_original_comes_from_the_wayback_path() {
    let env = Env::new();
    let server = Server::fixed(response(
        200,
        &[
            ("Content-Type", "text/html"),
            ("Memento-Datetime", "Sat, 05 May 2018 08:00:00 GMT"),
        ],
        html("Wayback path", "").as_bytes(),
    ));
    let archived = server.url("/web/20180505080000id_/http://news.example.com/a");
    let run = env.prov(&["snapshot", &archived, "--json"]);
    let line = &json_lines(run.ok())[0];
    assert_eq!(line["copy"], "news.example.com");
    let m = meta(&env, line["capture"].as_str().unwrap());
    assert_eq!(m["url"], "http://news.example.com/a");
    assert_eq!(m["captured_at"], "2018-05-05T08:00:00Z");
}

/// A loopback server that answers each connection on its own thread after `pause`,
/// counting the connections open at once (the most, over all servers sharing `open`).
struct Concurrent {
    port: u16,
    max: Arc<AtomicUsize>,
    starts: Arc<Mutex<Vec<Instant>>>,
}

fn concurrent(
    ip: &str,
    pause: Duration,
    open: Arc<AtomicUsize>,
    max: Arc<AtomicUsize>,
) -> Concurrent {
    use std::io::{BufRead, BufReader};
    let listener = std::net::TcpListener::bind((ip, 0)).expect("bind loopback");
    let port = listener.local_addr().unwrap().port();
    let starts = Arc::new(Mutex::new(Vec::new()));
    let (seen, top) = (starts.clone(), max.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let (open, top, seen) = (open.clone(), top.clone(), seen.clone());
            std::thread::spawn(move || {
                let now = open.fetch_add(1, Ordering::SeqCst) + 1;
                top.fetch_max(now, Ordering::SeqCst);
                seen.lock().unwrap().push(Instant::now());
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut path = String::new();
                let _ = reader.read_line(&mut path);
                loop {
                    let mut h = String::new();
                    if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
                        break;
                    }
                }
                std::thread::sleep(pause);
                let title = path.split_whitespace().nth(1).unwrap_or("/").to_string();
                let body = html(&format!("Page {title}"), &title);
                open.fetch_sub(1, Ordering::SeqCst);
                let _ = stream.write_all(&response(
                    200,
                    &[("Content-Type", "text/html")],
                    body.as_bytes(),
                ));
            });
        }
    });
    Concurrent { port, max, starts }
}

#[test]
fn from_a_list_with_jobs_keeps_the_order_and_one_request_per_host() {
    let env = Env::new();
    let open = Arc::new(AtomicUsize::new(0));
    let max = Arc::new(AtomicUsize::new(0));
    let server = concurrent("127.0.0.1", Duration::from_millis(300), open, max.clone());
    let file = env.file("local.txt", common::article("A local paste", &[P1, P2, P3]));
    let urls: Vec<String> = (1..=4)
        .map(|i| format!("http://127.0.0.1:{}/story-{i}", server.port))
        .collect();
    let list = format!(
        "# sources for the test\n{}\n\n{}\n  {}\n{}\n# done\n{}\n",
        urls[0],
        file.display(),
        urls[1],
        urls[2],
        urls[3]
    );
    let list_file = env.file("list.txt", list);
    let run = env.prov(&[
        "snapshot",
        "--from",
        list_file.to_str().unwrap(),
        "--jobs",
        "4",
        "--json",
    ]);
    let lines = json_lines(run.ok());
    let sources: Vec<&str> = lines
        .iter()
        .map(|l| l["source"].as_str().unwrap())
        .collect();
    let mut expected = vec![urls[0].as_str()];
    let file_name = file.display().to_string();
    expected.push(&file_name);
    expected.extend(urls[1..].iter().map(String::as_str));
    assert_eq!(sources, expected);
    assert_eq!(
        max.load(Ordering::SeqCst),
        1,
        "two requests to one host at once"
    );
    assert!(run.stderr.contains("prov: [5/5] "), "{}", run.stderr);
}

#[test]
fn different_hosts_are_fetched_at_once_and_delay_spaces_one_hosts_requests() {
    let env = Env::new();
    let open = Arc::new(AtomicUsize::new(0));
    let max = Arc::new(AtomicUsize::new(0));
    let one = concurrent(
        "127.0.0.1",
        Duration::from_millis(500),
        open.clone(),
        max.clone(),
    );
    let two = concurrent("127.0.0.2", Duration::from_millis(500), open, max.clone());
    let a = format!("http://127.0.0.1:{}/a", one.port);
    let b = format!("http://127.0.0.2:{}/b", two.port);
    let c = format!("http://127.0.0.1:{}/c", one.port);
    let run = env.prov_stdin(
        &["snapshot", "--from", "-", "--jobs", "3", "--delay", "0.4"],
        format!("{a}\n{b}\n{c}\n").as_bytes(),
    );
    let out = run.ok();
    let order: Vec<&str> = out
        .lines()
        .filter(|l| l.contains(": captured "))
        .map(|l| l.split(": captured").next().unwrap())
        .collect();
    assert_eq!(order, [a.as_str(), b.as_str(), c.as_str()]);
    assert_eq!(
        max.load(Ordering::SeqCst),
        2,
        "the two hosts were not fetched at once"
    );
    let starts = one.starts.lock().unwrap().clone();
    assert_eq!(starts.len(), 2);
    // The second request to 127.0.0.1 starts after the first ended (500 ms) plus the delay.
    assert!(
        starts[1] - starts[0] >= Duration::from_millis(900),
        "{:?}",
        starts[1] - starts[0]
    );
    assert!(Arc::ptr_eq(&two.max, &max));
}

#[test]
fn per_host_allows_more_requests_to_one_host_when_told() {
    let env = Env::new();
    let open = Arc::new(AtomicUsize::new(0));
    let max = Arc::new(AtomicUsize::new(0));
    let server = concurrent("127.0.0.1", Duration::from_millis(400), open, max.clone());
    let list: String = (1..=4)
        .map(|i| format!("http://127.0.0.1:{}/story-{i}\n", server.port))
        .collect();
    let run = env.prov_stdin(
        &[
            "snapshot",
            "--from",
            "-",
            "--jobs",
            "4",
            "--per-host",
            "2",
            "--json",
        ],
        list.as_bytes(),
    );
    assert_eq!(json_lines(run.ok()).len(), 4);
    assert_eq!(
        max.load(Ordering::SeqCst),
        2,
        "--per-host 2 is a limit of two at once"
    );
}
