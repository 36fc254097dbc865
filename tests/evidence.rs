//! Evidence that holds (issue 21): inputs of any file type read within bounds, captures never
//! refused for their content, forged or rewritten records found by `verify`, a killed git
//! lock recovered.

// Test helpers unwrap: a failure there is a failed test, reported with its location.
#![allow(clippy::unwrap_used)]

mod common;

use common::Env;

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
