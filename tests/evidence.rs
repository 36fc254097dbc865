//! Evidence that holds (issue 21): inputs of any file type read within bounds, captures never
//! refused for their content, forged or rewritten records found by `verify`, a killed git
//! lock recovered.

// Test helpers unwrap: a failure there is a failed test, reported with its location.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Env, P1, P2, Server, article, response};

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

/// Bytes that give no text (empty, a PDF, an image, binary data, navigation only, body
/// paragraphs and no title) are recorded with an empty text and the reason in meta.json;
/// snapshot says so in one line on stderr and exits 1, and `log` shows it.
#[test]
fn captures_are_never_refused_for_their_content() {
    let env = Env::new();
    let mut untitled = String::from("<html><body>");
    for p in [P1, P2] {
        untitled.push_str(&format!("<p>{p}</p>"));
    }
    untitled.push_str("</body></html>");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.html", vec![], "empty"),
        (
            "doc.pdf",
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n".to_vec(),
            "binary",
        ),
        (
            "img.png",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01".to_vec(),
            "binary",
        ),
        (
            "blob.bin",
            [0u8, 1, 2, 3, 0, 0, 0, 255, 254, 0, 7, 0].repeat(50),
            "binary",
        ),
        (
            "nav.html",
            b"<html><head><title>Section</title></head><body><nav><a href=/>Home</a></nav></body></html>".to_vec(),
            "no-body",
        ),
        ("untitled.html", untitled.into_bytes(), "no-title"),
    ];
    let mut commits = 1;
    for (name, bytes, reason) in cases {
        let f = env.file(name, &bytes);
        let out = env.prov(&[
            "snapshot",
            f.to_str().unwrap(),
            "--article",
            "lost",
            "--json",
        ]);
        assert_eq!(out.code, 1, "{name}: {}", out.stderr);
        assert_eq!(out.stderr.lines().count(), 1, "{name}: {}", out.stderr);
        assert!(
            out.stderr.contains(name) && out.stderr.contains("no text"),
            "{name}: {}",
            out.stderr
        );
        commits += 1;
        assert_eq!(
            env.git(&["rev-list", "--count", "HEAD"]).trim(),
            commits.to_string(),
            "{name} is recorded"
        );
        let v: serde_json::Value = serde_json::from_str(out.stdout.trim()).unwrap();
        let capture = v["capture"].as_str().unwrap();
        assert!(v["change"].as_str().unwrap().starts_with("no text"), "{v}");
        let raw = env.prov(&["show", "--raw", capture]);
        raw.ok();
        assert_eq!(raw.bytes, bytes, "{name}: the bytes as received");
        let meta: serde_json::Value =
            serde_json::from_str(env.prov(&["show", "--meta", capture]).ok()).unwrap();
        assert_eq!(meta["no_text"]["reason"], reason, "{name}: {meta}");
        assert_eq!(meta["text"]["size"], 0, "{name}");
    }
    assert_eq!(env.status(), "");
    let log = env.prov(&["log", "lost"]);
    assert_eq!(log.ok().matches("no text").count(), 6, "{}", log.stdout);
    env.prov(&["verify"]).ok();
    // A page with text after them is compared with the last capture that had text: none.
    let page = env.file("page.txt", article("Found at last", &[P1, P2]));
    let out = env.prov(&["snapshot", page.to_str().unwrap(), "--article", "lost"]);
    assert!(out.ok().contains("text: first capture"), "{}", out.stdout);
    // The same through the bulk writer (a list of sources).
    let a = env.file("bulk-a.html", "<html><body><nav>Home</nav></body></html>");
    let b = env.file("bulk-b.bin", [0u8, 159, 146, 150, 0, 0].repeat(40));
    let list = env.file("list.txt", format!("{}\n{}\n", a.display(), b.display()));
    let out = env.prov(&[
        "snapshot",
        "--from",
        list.to_str().unwrap(),
        "--article",
        "bulk",
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(out.stderr.matches("no text").count(), 2, "{}", out.stderr);
    assert_eq!(
        env.prov(&["log", "bulk"]).ok().matches("no text").count(),
        2
    );
    env.prov(&["verify"]).ok();
    assert_eq!(env.status(), "");
}

/// A prov killed while git's `index.lock` is its own does not lock the archive up: the next
/// command, reader or writer, finds the lock stale (its writer gone, nobody holding it open)
/// and recovers; a lock a live process holds open is never removed.
#[test]
fn a_killed_index_write_does_not_lock_the_archive_up() {
    for next in ["verify", "log", "snapshot"] {
        let env = Env::new();
        let head = env.head();
        let f = env.file("a.txt", article("A story", &[P1, P2]));
        let out = env
            .prov_cmd()
            .env("PROV_TEST_CRASH", "index-locked")
            .args(["snapshot", f.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(!out.status.success(), "the hook did not fire");
        let lock = env.root.join(".git/index.lock");
        assert!(lock.exists(), "the killed run held git's index lock");
        match next {
            "verify" => {
                let v = env.prov(&["verify"]);
                assert_eq!(v.code, 0, "{}{}", v.stdout, v.stderr);
            }
            "log" => {
                env.prov(&["log"]).ok();
            }
            _ => {
                let g = env.file("b.txt", article("Another story", &[P1, P2]));
                env.prov(&["snapshot", g.to_str().unwrap()]).ok();
            }
        }
        assert!(!lock.exists(), "{next}");
        assert_eq!(env.prov(&["verify"]).code, 0, "{next}");
        assert_eq!(env.status(), "", "{next}: nothing staged, nothing deleted");
        let commits = env.git(&["rev-list", "--count", &format!("{head}..HEAD")]);
        let want = 1 + usize::from(next == "snapshot");
        assert_eq!(commits.trim(), want.to_string(), "{next}");
    }

    // The same state, but the lock is held open by a live process (as git holds it): it is
    // left alone, and prov says the index is locked.
    let env = Env::new();
    let f = env.file("a.txt", article("A story", &[P1, P2]));
    let out = env
        .prov_cmd()
        .env("PROV_TEST_CRASH", "index-locked")
        .args(["snapshot", f.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let lock = env.root.join(".git/index.lock");
    let held = std::fs::OpenOptions::new()
        .append(true)
        .open(&lock)
        .unwrap();
    let g = env.file("b.txt", article("Another story", &[P1, P2]));
    let run = env.prov(&["snapshot", g.to_str().unwrap()]);
    assert!(run.error().contains("locked"), "{}", run.stderr);
    assert!(lock.exists(), "a lock held open is never removed");
    drop(held);
    env.prov(&["snapshot", g.to_str().unwrap()]).ok();
    assert!(!lock.exists());
    assert_eq!(env.status(), "");
}
