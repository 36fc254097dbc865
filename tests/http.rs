//! `prov snapshot URL` against loopback servers the tests start themselves: facts, redirects, errors, findings.
//!
//! No test reaches beyond 127.0.0.1 (the unknown-host test asks for a `.invalid` name,
//! which never resolves).

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{Env, P1, P2, P3, P4, Reply, Server, article, response};

fn story() -> String {
    article("A story told over HTTP", &[P1, P2, P3, P4])
}

const TEXT: (&str, &str) = ("Content-Type", "text/plain; charset=utf-8");

fn page(body: &str) -> Vec<u8> {
    response(
        200,
        &[
            TEXT,
            ("Date", "Mon, 04 May 2018 10:12:00 GMT"),
            ("Last-Modified", "Sun, 03 May 2018 08:00:00 GMT"),
            ("ETag", "\"v1\""),
        ],
        body.as_bytes(),
    )
}

fn json_line(out: &str) -> serde_json::Value {
    serde_json::from_str(out.trim()).expect("one JSON line")
}

fn meta(env: &Env, capture: &str) -> serde_json::Value {
    let run = env.prov(&["show", capture, "--meta"]);
    serde_json::from_str(run.ok()).expect("meta.json")
}

/// The archive's commit count: captures that failed must not add one.
fn commits(env: &Env) -> String {
    env.git(&["rev-list", "--count", "HEAD"])
}

/// Answers the n-th request (from 0) with `replies[n]`, then the last one again and again.
fn sequence(replies: Vec<Vec<u8>>) -> Server {
    let n = Arc::new(AtomicUsize::new(0));
    Server::start(move |_| {
        let i = n.fetch_add(1, Ordering::SeqCst).min(replies.len() - 1);
        Reply::Bytes(replies[i].clone())
    })
}

#[test]
fn a_page_is_captured_with_its_http_facts() {
    let env = Env::new();
    let server = Server::fixed(page(&story()));
    let url = server.url("/news/story");
    let line = json_line(env.prov(&["snapshot", &url, "--json"]).ok());
    assert_eq!(line["copy"], "127.0.0.1");
    assert_eq!(line["new"], true);
    let m = meta(&env, line["capture"].as_str().unwrap());
    assert_eq!(m["kind"], "page");
    assert_eq!(m["url"], url.as_str());
    assert_eq!(m["final_url"], url.as_str());
    assert_eq!(m["captured_at_source"], "fetched");
    assert_eq!(m["captured_at"], "2026-01-01T00:00:00Z");
    let http = &m["http"];
    assert_eq!(http["status"], 200);
    assert_eq!(http["date"], "Mon, 04 May 2018 10:12:00 GMT");
    assert_eq!(http["last_modified"], "Sun, 03 May 2018 08:00:00 GMT");
    assert_eq!(http["etag"], "\"v1\"");
    assert_eq!(http["content_type"], "text/plain; charset=utf-8");
    assert_eq!(http["redirects"], serde_json::json!([]));
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method, "GET");
    assert_eq!(requests[0].path, "/news/story");
    assert_eq!(
        requests[0].header("user-agent"),
        Some(concat!("prov/", env!("CARGO_PKG_VERSION")))
    );
    assert_eq!(env.status(), "");
}

#[test]
fn gzip_and_deflate_bodies_are_kept_decoded() {
    use std::io::Write;
    let env = Env::new();
    let text = story();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(text.as_bytes()).unwrap();
    let gz = gz.finish().unwrap();
    let server = Server::fixed(response(200, &[TEXT, ("Content-Encoding", "gzip")], &gz));
    let line = json_line(env.prov(&["snapshot", &server.url("/gz"), "--json"]).ok());
    let raw = env.prov(&["show", line["capture"].as_str().unwrap(), "--raw"]);
    assert_eq!(raw.bytes, text.as_bytes());
    let accept = server.requests()[0]
        .header("accept-encoding")
        .unwrap_or_default()
        .to_string();
    assert!(accept.contains("gzip"), "{accept}");

    let text2 = article("Another story, deflated", &[P1, P3]);
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(text2.as_bytes()).unwrap();
    let server = Server::fixed(response(
        200,
        &[TEXT, ("Content-Encoding", "deflate")],
        &z.finish().unwrap(),
    ));
    let line = json_line(env.prov(&["snapshot", &server.url("/z"), "--json"]).ok());
    let raw = env.prov(&["show", line["capture"].as_str().unwrap(), "--raw"]);
    assert_eq!(raw.bytes, text2.as_bytes());
}

#[test]
fn redirects_are_followed_and_every_hop_recorded() {
    let env = Env::new();
    let body = story();
    let server = Server::start(move |r| {
        Reply::Bytes(match r.path.as_str() {
            "/a" => response(301, &[("Location", "/b")], b""),
            "/b" => response(302, &[("Location", "c?x=1")], b"moved"),
            "/c?x=1" => page(&body),
            _ => response(404, &[], b""),
        })
    });
    let url = server.url("/a");
    let line = json_line(env.prov(&["snapshot", &url, "--json"]).ok());
    let m = meta(&env, line["capture"].as_str().unwrap());
    assert_eq!(m["url"], url.as_str());
    assert_eq!(m["final_url"], server.url("/c?x=1").as_str());
    assert_eq!(
        m["http"]["redirects"],
        serde_json::json!([
            {"url": url, "status": 301, "location": "/b"},
            {"url": server.url("/b"), "status": 302, "location": "c?x=1"},
        ])
    );
    assert_eq!(m["http"]["status"], 200);
    // The same redirects again: not a move (the final URL is the one captured), and the same bytes.
    let again = env.prov(&["snapshot", &url]);
    assert!(again.ok().contains("unchanged"), "{}", again.stdout);
}

#[test]
fn redirect_loops_and_endless_redirects_are_errors() {
    let env = Env::new();
    let before = commits(&env);
    let server = Server::start(|r| {
        Reply::Bytes(match r.path.as_str() {
            "/a" => response(302, &[("Location", "/b")], b""),
            "/b" => response(302, &[("Location", "/a")], b""),
            p => {
                let n: u32 = p.trim_start_matches("/n").parse().unwrap_or(0);
                response(302, &[("Location", &format!("/n{}", n + 1))], b"")
            }
        })
    });
    let url = server.url("/a");
    let run = env.prov(&["snapshot", &url]);
    let err = run.error();
    assert!(err.contains(&url) && err.contains("loop"), "{err}");
    let url = server.url("/n0");
    let run = env.prov(&["snapshot", &url]);
    let err = run.error();
    assert!(
        err.contains(&url) && err.contains("more than 10 redirects"),
        "{err}"
    );
    assert_eq!(commits(&env), before);
    assert_eq!(env.status(), "");
}

#[test]
fn error_statuses_on_a_first_capture_are_errors() {
    let env = Env::new();
    let before = commits(&env);
    let server = Server::start(|r| {
        Reply::Bytes(match r.path.as_str() {
            "/missing" => response(404, &[TEXT], b"Not here"),
            _ => response(500, &[TEXT], b"Oops"),
        })
    });
    for (path, want) in [
        ("/missing", "404 Not Found"),
        ("/broken", "500 Internal Server Error"),
    ] {
        let url = server.url(path);
        let run = env.prov(&["snapshot", &url]);
        let err = run.error();
        assert_eq!(err, format!("prov: {url}: the server answered {want}\n"));
    }
    assert_eq!(commits(&env), before);
}

#[test]
fn a_body_over_the_limit_is_refused() {
    let env = Env::new();
    let before = commits(&env);
    let big = format!("A long page\n\n{}", "word ".repeat(400));
    let server = Server::fixed(page(&big));
    let url = server.url("/big");
    let run = env.prov(&["snapshot", &url, "--max-bytes", "1000"]);
    assert_eq!(
        run.error(),
        format!("prov: {url}: the response is larger than 1000 bytes (see --max-bytes)\n")
    );
    assert_eq!(commits(&env), before);
    // A body of exactly the limit is accepted.
    let limit = big.len().to_string();
    env.prov(&["snapshot", &url, "--max-bytes", &limit]).ok();
}

#[test]
fn a_server_that_never_answers_times_out() {
    let env = Env::new();
    let server = Server::start(|_| Reply::Hang);
    let url = server.url("/slow");
    let started = std::time::Instant::now();
    let run = env.prov(&["snapshot", &url, "--timeout", "1"]);
    assert_eq!(
        run.error(),
        format!("prov: {url}: no complete answer within 1 second\n")
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    // Headers sent, then the body stalls: the timeout covers the body too.
    let server = Server::start(|_| {
        Reply::Stall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b".to_vec())
    });
    let url = server.url("/stall");
    let started = std::time::Instant::now();
    let run = env.prov(&["snapshot", &url, "--timeout", "1"]);
    assert_eq!(
        run.error(),
        format!("prov: {url}: no complete answer within 1 second\n")
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}

#[test]
fn a_refused_connection_is_an_error() {
    let env = Env::new();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}/");
    let run = env.prov(&["snapshot", &url, "--timeout", "5"]);
    assert_eq!(
        run.error(),
        format!("prov: {url}: the connection was refused\n")
    );
}

#[test]
fn an_unknown_host_is_an_error() {
    let env = Env::new();
    let url = "http://nonexistent.invalid/";
    let started = std::time::Instant::now();
    let run = env.prov(&["snapshot", url, "--timeout", "3"]);
    let err = run.error();
    // Without a resolver at hand the lookup may also run out of time; either way, one sentence.
    assert!(
        err == format!("prov: {url}: the host was not found\n")
            || err == format!("prov: {url}: no complete answer within 3 seconds\n"),
        "{err}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}

/// Content that is not a page is evidence all the same (issue 21 item 9): recorded with its
/// HTTP facts and an empty text, said in one line, exit 1.
#[test]
fn content_that_is_not_a_page_is_recorded_without_text() {
    let env = Env::new();
    let before = commits(&env);
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
    let server = Server::fixed(response(200, &[("Content-Type", "image/png")], png));
    let url = server.url("/pic.png");
    let run = env.prov(&["snapshot", &url]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let err = &run.stderr;
    assert!(
        err.starts_with(&format!("prov: {url}: no text, it is ")),
        "{err}"
    );
    assert!(err.contains(", not a web page or text; "), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    let count = |c: String| c.trim().parse::<u32>().unwrap();
    assert_eq!(count(commits(&env)), count(before) + 1);
    assert!(run.stdout.contains("text: no text"), "{}", run.stdout);
}

#[test]
fn headers_and_user_agent_reach_the_server() {
    let env = Env::new();
    let server = Server::fixed(page(&story()));
    env.prov(&[
        "snapshot",
        &server.url("/"),
        "--header",
        "X-Prov-Test: yes please",
        "--header",
        "Accept-Language: de",
        "--user-agent",
        "TestAgent/1.0",
    ])
    .ok();
    let r = &server.requests()[0];
    assert_eq!(r.header("x-prov-test"), Some("yes please"));
    assert_eq!(r.header("accept-language"), Some("de"));
    assert_eq!(r.header("user-agent"), Some("TestAgent/1.0"));
    let run = env.prov(&["snapshot", &server.url("/"), "--header", "no colon here"]);
    assert_eq!(
        run.error(),
        "prov: the header \"no colon here\" is not of the form `Name: value`\n"
    );
}

#[test]
fn unchanged_bytes_record_nothing() {
    let env = Env::new();
    let server = Server::fixed(page(&story()));
    let url = server.url("/s");
    env.prov(&["snapshot", &url]).ok();
    let before = commits(&env);
    let out = env.prov(&["snapshot", &url]);
    assert!(out.ok().contains("unchanged"), "{}", out.stdout);
    assert_eq!(commits(&env), before);
}

#[test]
fn a_captured_url_that_answers_404_is_gone() {
    let mut env = Env::new();
    let server = sequence(vec![
        page(&story()),
        response(404, &[("Content-Type", "text/html")], b"<h1>Not found</h1>"),
    ]);
    let url = server.url("/story");
    let first = json_line(env.prov(&["snapshot", &url, "--json"]).ok());
    env.set_now("2026-01-02T00:00:00Z");
    let run = env.prov(&["snapshot", &url, "--json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.stderr, "");
    let line = json_line(&run.stdout);
    assert_eq!(line["change"], "gone");
    assert_eq!(line["new"], true);
    assert_eq!(line["article"], first["article"]);
    assert_eq!(line["copy"], first["copy"]);
    let capture = line["capture"].as_str().unwrap();
    let m = meta(&env, capture);
    assert_eq!(m["kind"], "gone");
    assert_eq!(m["text"], serde_json::Value::Null);
    assert_eq!(m["http"]["status"], 404);
    assert_eq!(m["raw"]["file"], "raw.html");
    assert_eq!(m["captured_at"], "2026-01-02T00:00:00Z");
    assert_eq!(
        env.prov(&["show", capture, "--raw"]).bytes,
        b"<h1>Not found</h1>"
    );
    let dir = format!(
        "snapshots/{}/{}/{capture}",
        m["article"].as_str().unwrap(),
        m["copy"].as_str().unwrap()
    );
    assert_eq!(
        env.git(&["show", "--name-only", "--format=", "HEAD"]),
        format!("{dir}/meta.json\n{dir}/raw.html\n")
    );
    assert_eq!(env.status(), "");
    env.prov(&["verify"]).ok();
    env.prov(&["renormalize"]).ok();
    // log shows the finding and its status as its change; show and diff say in one
    // sentence why there is no text.
    let log = env.prov(&["log"]);
    assert!(
        log.ok().lines().last().unwrap().contains("  gone (404)  "),
        "{}",
        log.stdout
    );
    let log: serde_json::Value = serde_json::from_str(env.prov(&["log", "--json"]).ok()).unwrap();
    assert_eq!(log[1]["change"], "gone");
    assert_eq!(log[1]["status"], 404);
    assert_eq!(log[1].get("target"), None);
    assert_eq!(log[0].get("status"), None);
    let show = env.prov(&["show", capture]);
    assert_eq!(
        show.error(),
        format!("prov: capture {capture} has no text: it records that {url} was gone (404)\n")
    );
    let diff = env.prov(&["diff", first["capture"].as_str().unwrap(), capture]);
    assert!(diff.error().contains("has no text"), "{}", diff.stderr);
    // Still gone, with the same answer: nothing new, still a finding.
    let before = commits(&env);
    let again = env.prov(&["snapshot", &url]);
    assert_eq!(again.code, 1, "{}{}", again.stdout, again.stderr);
    assert!(
        again.stdout.contains("still gone (404)"),
        "{}",
        again.stdout
    );
    assert_eq!(commits(&env), before);
}

#[test]
fn a_captured_url_that_redirects_elsewhere_has_moved() {
    let mut env = Env::new();
    let n = Arc::new(AtomicUsize::new(0));
    let body = story();
    let server = Server::start(move |r| {
        Reply::Bytes(match r.path.as_str() {
            "/old" if n.fetch_add(1, Ordering::SeqCst) == 0 => page(&body),
            "/old" => response(301, &[("Location", "/new")], b""),
            _ => page("A new home\n\nWith other words in it entirely."),
        })
    });
    let url = server.url("/old");
    env.prov(&["snapshot", &url]).ok();
    env.set_now("2026-01-02T00:00:00Z");
    let run = env.prov(&["snapshot", &url]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let new_url = server.url("/new");
    assert!(
        run.stdout
            .starts_with(&format!("{url}: moved to {new_url} (301); recorded ")),
        "{}",
        run.stdout
    );
    let log = env.prov(&["log", "--json"]);
    let entries: serde_json::Value = serde_json::from_str(log.ok()).unwrap();
    let last = &entries.as_array().unwrap()[1];
    assert_eq!(last["change"], "moved");
    assert_eq!(last["status"], 301);
    assert_eq!(last["target"], new_url.as_str());
    assert!(
        env.prov(&["log"])
            .ok()
            .contains(&format!("  moved (301) to {new_url}  {url}\n")),
    );
    let m = meta(&env, last["capture"].as_str().unwrap());
    assert_eq!(m["kind"], "moved");
    assert_eq!(m["final_url"], new_url.as_str());
    assert_eq!(m["http"]["redirects"][0]["location"], "/new");
    assert_eq!(m["http"]["redirects"][0]["status"], 301);
    assert_eq!(m["raw"]["file"], "raw.bin");
    // The page it leads to is captured in the same run, with its text (issue 21 item 10).
    assert!(run.stdout.contains("captured "), "{}", run.stdout);
    let entries = entries.as_array().unwrap();
    assert_eq!(entries.len(), 3, "{entries:?}");
    let page = entries[2]["capture"].as_str().unwrap();
    assert!(
        env.prov(&["show", page]).ok().contains("A new home"),
        "the text of the page moved to"
    );
    assert_eq!(meta(&env, page)["final_url"], new_url.as_str());
    // Run again: nothing new.
    let before = commits(&env);
    env.prov(&["snapshot", &url]).ok();
    assert_eq!(commits(&env), before);
}

#[test]
fn a_captured_url_that_fails_otherwise_is_an_error_not_a_finding() {
    let env = Env::new();
    let server = sequence(vec![page(&story()), response(503, &[], b"busy")]);
    let url = server.url("/s");
    env.prov(&["snapshot", &url]).ok();
    let before = commits(&env);
    let run = env.prov(&["snapshot", &url]);
    assert_eq!(
        run.error(),
        format!("prov: {url}: the server answered 503 Service Unavailable\n")
    );
    assert_eq!(commits(&env), before);
}

#[test]
fn the_good_sources_are_captured_when_others_fail() {
    let env = Env::new();
    let good = Server::fixed(page(&story()));
    let bad = Server::fixed(response(404, &[], b""));
    let run = env.prov(&["snapshot", &bad.url("/x"), &good.url("/y")]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.contains(&good.url("/y")), "{}", run.stdout);
    assert_eq!(
        env.prov(&["log", "--json"])
            .ok()
            .matches("\"capture\"")
            .count(),
        1
    );
}

#[test]
fn copy_and_article_can_be_named() {
    let env = Env::new();
    let server = Server::fixed(page(&story()));
    let line = json_line(
        env.prov(&[
            "snapshot",
            &server.url("/s"),
            "--json",
            "--copy",
            "mirror",
            "--article",
            "my-story",
        ])
        .ok(),
    );
    assert_eq!(line["copy"], "mirror");
    assert_eq!(line["article"], "my-story");
}

/// A certificate authority made in-process, a certificate it signs for 127.0.0.1, and an
/// HTTPS server on 127.0.0.1 presenting it. Returns the server's port and the CA's PEM.
fn https_server(reply: Vec<u8>) -> (u16, String) {
    use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
    use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
    use std::io::{Read, Write};

    let ca_key = KeyPair::generate().expect("test TLS setup");
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("test TLS setup");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_cert = ca_params.self_signed(&ca_key).expect("test TLS setup");
    let issuer = Issuer::new(ca_params, ca_key);
    let leaf_key = KeyPair::generate().expect("test TLS setup");
    let leaf = CertificateParams::new(vec!["127.0.0.1".to_string()])
        .expect("test TLS setup")
        .signed_by(&leaf_key, &issuer)
        .expect("test TLS setup");
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("test TLS setup")
    .with_no_client_auth()
    .with_single_cert(
        vec![leaf.der().clone()],
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der())),
    )
    .expect("test TLS setup");
    let config = Arc::new(config);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("test TLS setup");
    let port = listener.local_addr().expect("test TLS setup").port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let Ok(conn) = rustls::ServerConnection::new(config.clone()) else {
                continue;
            };
            let mut tls = rustls::StreamOwned::new(conn, stream);
            // Read the request head (a failed handshake ends here), then answer.
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") {
                match tls.read(&mut byte) {
                    Ok(1) => head.push(byte[0]),
                    _ => break,
                }
            }
            if head.ends_with(b"\r\n\r\n") {
                let _ = tls.write_all(&reply);
                tls.conn.send_close_notify();
                let _ = tls.flush();
            }
        }
    });
    (port, ca_cert.pem())
}

#[test]
fn https_is_captured_when_the_servers_ca_is_trusted_with_ca_cert() {
    let env = Env::new();
    let (port, ca_pem) = https_server(page(&story()));
    let url = format!("https://127.0.0.1:{port}/secure");
    let before = commits(&env);
    // Not among the built-in roots: refused, in one sentence.
    let run = env.prov(&["snapshot", &url, "--timeout", "5"]);
    let err = run.error();
    assert!(err.starts_with(&format!("prov: {url}: ")), "{err}");
    assert!(
        err.ends_with("the server's certificate is not trusted (UnknownIssuer); --ca-cert FILE trusts one more\n"),
        "{err}"
    );
    assert_eq!(commits(&env), before);
    let ca = env.file("ca.pem", &ca_pem);
    let line = json_line(
        env.prov(&[
            "snapshot",
            &url,
            "--json",
            "--timeout",
            "5",
            "--ca-cert",
            ca.to_str().unwrap(),
        ])
        .ok(),
    );
    let m = meta(&env, line["capture"].as_str().unwrap());
    assert_eq!(m["url"], url.as_str());
    assert_eq!(m["http"]["status"], 200);
    // A file with no certificate in it is named in the error.
    let empty = env.file("empty.pem", "not a certificate\n");
    let run = env.prov(&["snapshot", &url, "--ca-cert", empty.to_str().unwrap()]);
    assert!(
        run.error().contains("holds no PEM certificate"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_page_that_comes_back_after_it_was_gone_is_compared_with_its_last_page() {
    let mut env = Env::new();
    let server = sequence(vec![
        page(&story()),
        response(410, &[], b""),
        page(&story()),
    ]);
    let url = server.url("/back");
    env.prov(&["snapshot", &url]).ok();
    env.set_now("2026-01-02T00:00:00Z");
    let gone = env.prov(&["snapshot", &url, "--json"]);
    assert_eq!(gone.code, 1, "{}", gone.stderr);
    let gone = json_line(&gone.stdout);
    assert_eq!(gone["change"], "gone");
    let m = meta(&env, gone["capture"].as_str().unwrap());
    assert_eq!(m["raw"]["file"], "raw.bin");
    assert_eq!(m["raw"]["size"], 0);
    env.set_now("2026-01-03T00:00:00Z");
    let back = json_line(env.prov(&["snapshot", &url, "--json"]).ok());
    assert_eq!(back["new"], true);
    assert_eq!(back["change"], "unchanged");
    // diff with one capture compares with the copy's last page, not with the finding.
    let diff = env.prov(&["diff", back["capture"].as_str().unwrap(), "--json"]);
    let diff: serde_json::Value = serde_json::from_str(diff.ok()).unwrap();
    assert_eq!(diff["identical"], true);
    assert!(diff["a"]["ref"].as_str().unwrap().ends_with("@1"), "{diff}");
    let log = env.prov(&["log"]);
    let changes: Vec<&str> = log
        .ok()
        .lines()
        .map(|l| {
            l.split("  ")
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .nth(4)
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(
        changes,
        ["first capture", "gone (410)", "unchanged"],
        "{}",
        log.stdout
    );
}

#[test]
fn the_size_limit_counts_decoded_bytes() {
    use std::io::Write;
    let env = Env::new();
    // 10,000 zero bytes, brotli-compressed (13 bytes) and gzipped: small on the wire, over the limit decoded.
    let br: &[u8] = &[31, 15, 39, 248, 39, 0, 226, 177, 64, 32, 217, 3, 0];
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&[0u8; 10_000]).unwrap();
    let gz = gz.finish().unwrap();
    for (encoding, body) in [("br", br.to_vec()), ("gzip", gz)] {
        let server = Server::fixed(response(
            200,
            &[TEXT, ("Content-Encoding", encoding)],
            &body,
        ));
        let url = server.url("/bomb");
        let run = env.prov(&["snapshot", &url, "--max-bytes", "9999"]);
        assert_eq!(
            run.error(),
            format!("prov: {url}: the response is larger than 9999 bytes (see --max-bytes)\n"),
            "{encoding}"
        );
    }
}

#[test]
fn an_html_page_is_cleaned_with_the_http_content_type() {
    let env = Env::new();
    let html = std::fs::read(common::repo_file(
        "tests/fixtures/demo/aljazeera-2018-05-04.html",
    ))
    .unwrap();
    let server = Server::fixed(response(
        200,
        &[("Content-Type", "text/html; charset=utf-8")],
        &html,
    ));
    let line = json_line(
        env.prov(&["snapshot", &server.url("/opinion"), "--json"])
            .ok(),
    );
    assert_eq!(line["article"], "rebirth-of-a-cold-war-alliance");
    let m = meta(&env, line["capture"].as_str().unwrap());
    assert_eq!(m["raw"]["file"], "raw.html");
    assert_eq!(m["format"], "html");
    assert_eq!(m["charset"]["source"], "http");
    let text = env.prov(&["show", line["capture"].as_str().unwrap()]);
    assert!(
        text.ok().starts_with("# Rebirth of a Cold War alliance"),
        "{}",
        text.stdout
    );
}

#[test]
fn a_url_is_captured_when_it_is_fetched_not_at_a_declared_time() {
    let env = Env::new();
    let server = Server::fixed(page(&story()));
    let url = server.url("/s");
    let run = env.prov(&["snapshot", &url, "--at", "2018-05-04"]);
    assert_eq!(
        run.error(),
        format!("prov: {url}: --at is for files; a URL is captured at the moment it is fetched\n")
    );
    assert!(server.requests().is_empty());
}
