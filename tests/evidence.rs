//! Evidence that holds (issue 21): inputs of any file type read within bounds, captures never
//! refused for their content, forged or rewritten records found by `verify`, a killed git
//! lock recovered.

// Test helpers unwrap: a failure there is a failed test, reported with its location.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Env, P1, P2, Server, response};

/// A device that never ends is read to the size limit and refused with one sentence, by
/// every command that reads files, and nothing is recorded.
#[test]
fn devices_and_fifos_are_read_to_the_limit_only() {
    let env = Env::new();
    let head = env.head();
    for args in [
        &["snapshot", "/dev/zero"][..],
        &["normalize", "/dev/zero"],
        &["show", "--raw", "/dev/zero"],
        &["diff", "/dev/zero", "/dev/zero"],
    ] {
        let out = env.prov(args);
        let msg = out.error();
        assert!(
            msg.contains("/dev/zero") && msg.contains("larger than 67108864 bytes"),
            "{args:?}: {msg}"
        );
    }
    // A FIFO whose writer never stops.
    let fifo = env.tmp.path().join("fifo.html");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            use std::io::Write;
            let mut f = std::fs::OpenOptions::new().write(true).open(fifo).unwrap();
            let chunk = vec![b'a'; 1 << 16];
            // Stops when prov closes its end (a broken pipe).
            while f.write_all(&chunk).is_ok() {}
        })
    };
    let out = env.prov(&["snapshot", fifo.to_str().unwrap()]);
    assert!(out.error().contains("larger than"), "{}", out.stderr);
    writer.join().unwrap();
    assert_eq!(env.head(), head);
    assert_eq!(env.status(), "");
}

/// A windows-1252 page that says so itself, served as `charset=utf-8`: the raw bytes are kept
/// as received and the text is read in the page's own charset.
#[test]
fn a_charset_label_that_lies_does_not_make_a_page_uncapturable() {
    let env = Env::new();
    let mut page = b"<html><head><meta charset=\"windows-1252\"><title>Caf\xe9 story</title></head><body><h1>Caf\xe9 story</h1>".to_vec();
    for p in [P1, P2] {
        page.extend_from_slice(format!("<p>{p} ").as_bytes());
        page.extend_from_slice(b"\x93Quoted\x94 at the caf\xe9.</p>");
    }
    page.extend_from_slice(b"</body></html>");
    let server = Server::fixed(response(
        200,
        &[("Content-Type", "text/html; charset=utf-8")],
        &page,
    ));
    let out = env.prov(&["snapshot", &server.url("/cafe"), "--json"]);
    let v: serde_json::Value = serde_json::from_str(out.ok().trim()).unwrap();
    let capture = v["capture"].as_str().unwrap();
    let raw = env.prov(&["show", "--raw", capture]);
    raw.ok();
    assert_eq!(raw.bytes, page, "the raw bytes are kept as received");
    let text = env.prov(&["show", capture]);
    assert!(
        text.ok().contains("# Café story") && text.stdout.contains("“Quoted” at the café."),
        "{}",
        text.stdout
    );
    let meta: serde_json::Value =
        serde_json::from_str(env.prov(&["show", "--meta", capture]).ok()).unwrap();
    assert_eq!(meta["charset"]["name"], "windows-1252");
    assert_eq!(meta["charset"]["source"], "meta");
}
