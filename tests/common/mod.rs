//! A hermetic test environment: a temporary archive, a cleared environment, a fixed clock and identity.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

pub const URL: &str = "https://www.aljazeera.com/opinions/2018/5/4/rebirth-of-a-cold-war-alliance";

pub struct Env {
    pub tmp: tempfile::TempDir,
    pub root: PathBuf,
    pub now: String,
}

/// The outcome of one run of prov.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub bytes: Vec<u8>,
}

impl Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
            bytes: o.stdout,
        }
    }

    /// Assert success and return stdout.
    #[track_caller]
    pub fn ok(&self) -> &str {
        assert_eq!(
            self.code, 0,
            "stdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        &self.stdout
    }

    /// Assert the error exit (2) with exactly one line on stderr, and return it.
    #[track_caller]
    pub fn error(&self) -> &str {
        assert_eq!(
            self.code, 2,
            "stdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        assert_eq!(
            self.stderr.lines().count(),
            1,
            "one sentence expected:\n{}",
            self.stderr
        );
        assert!(self.stderr.starts_with("prov: "), "{}", self.stderr);
        &self.stderr
    }
}

impl Env {
    /// A new folder with nothing in it yet.
    pub fn empty() -> Env {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path().join("archive");
        std::fs::create_dir_all(tmp.path().join("home")).expect("home");
        Env {
            tmp,
            root,
            now: "2026-01-01T00:00:00Z".into(),
        }
    }

    /// A new, initialized archive.
    pub fn new() -> Env {
        let env = Env::empty();
        env.prov(&["init", env.root.to_str().expect("utf-8 path")])
            .ok();
        env
    }

    pub fn home(&self) -> PathBuf {
        self.tmp.path().join("home")
    }

    /// A command with a cleared environment, the fixed clock and no git identity.
    pub fn command(&self, program: &str) -> std::process::Command {
        let mut cmd = std::process::Command::new(program);
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home())
            .env("XDG_CONFIG_HOME", self.home())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("PROV_NOW", &self.now)
            .env("LANG", "C.UTF-8")
            .current_dir(if self.root.exists() {
                &self.root
            } else {
                self.tmp.path()
            });
        cmd
    }

    pub fn prov_cmd(&self) -> std::process::Command {
        self.command(env!("CARGO_BIN_EXE_prov"))
    }

    pub fn prov(&self, args: &[&str]) -> Run {
        Run::from(self.prov_cmd().args(args).output().expect("run prov"))
    }

    pub fn prov_stdin(&self, args: &[&str], input: &[u8]) -> Run {
        use std::io::Write;
        let mut child = self
            .prov_cmd()
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn prov");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input)
            .expect("write stdin");
        Run::from(child.wait_with_output().expect("wait"))
    }

    pub fn git(&self, args: &[&str]) -> String {
        let o = self.command("git").args(args).output().expect("run git");
        assert!(
            o.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    pub fn head(&self) -> String {
        self.git(&["rev-parse", "HEAD"]).trim().to_string()
    }

    pub fn status(&self) -> String {
        self.git(&["status", "--porcelain", "--untracked-files=all"])
    }

    /// Write a file outside the archive and return its path.
    pub fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.tmp.path().join("in").join(name);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(&p, bytes).expect("write");
        p
    }

    pub fn set_now(&mut self, now: &str) {
        self.now = now.to_string();
    }
}

/// The demo archive, rebuilt in a temporary archive by the script that made it.
pub fn rebuilt_demo() -> Env {
    let env = Env::new();
    let status = env
        .command("bash")
        .arg(repo_file("tests/fixtures/demo/build.sh"))
        .arg(&env.root)
        .env("PROV", env!("CARGO_BIN_EXE_prov"))
        .stdout(std::process::Stdio::null())
        .status()
        .expect("run build.sh");
    assert!(status.success());
    env
}

/// The repository's own files, read in place.
pub fn repo_file(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The seed article, read from ../shared (never copied into the repository).
pub fn seed() -> Vec<u8> {
    std::fs::read(repo_file("../shared/seed/lankov-cold-war-alliance.txt")).expect("seed article")
}

/// A small article as a text paste.
pub fn article(title: &str, paragraphs: &[&str]) -> String {
    let mut s = format!("{title}\n\n");
    for p in paragraphs {
        s.push_str(p);
        s.push_str("\n\n");
    }
    s
}

pub const P1: &str =
    "The first paragraph of the story tells what happened on Monday in the capital.";
pub const P2: &str =
    "A second paragraph gives the background that readers need to follow the events.";
pub const P3: &str =
    "The third paragraph quotes an official who declined to give her name to reporters.";
pub const P4: &str =
    "In the fourth paragraph the writer explains what is likely to happen next week.";

/// A request as a loopback server received it: the request line and the headers, lower-cased names.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What a loopback server answers; `Hang` accepts and never answers; `Stall` sends its
/// bytes and then neither sends more nor closes.
pub enum Reply {
    Bytes(Vec<u8>),
    Hang,
    Stall(Vec<u8>),
}

/// An HTTP server on 127.0.0.1 (port 0) answering each request with `handler`'s reply,
/// one connection at a time, on a thread that lives as long as the test process.
pub struct Server {
    pub ip: String,
    pub port: u16,
    pub requests: std::sync::Arc<std::sync::Mutex<Vec<Request>>>,
}

impl Server {
    pub fn start(handler: impl Fn(&Request) -> Reply + Send + 'static) -> Server {
        Server::start_on("127.0.0.1", handler)
    }

    /// A server on another loopback address (`127.0.0.2`: another host to prov).
    pub fn start_on(ip: &str, handler: impl Fn(&Request) -> Reply + Send + 'static) -> Server {
        use std::io::{BufRead, BufReader, Write};
        let listener = std::net::TcpListener::bind((ip, 0)).expect("bind loopback");
        let port = listener.local_addr().expect("local addr").port();
        let requests = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = requests.clone();
        std::thread::spawn(move || {
            let mut hung = Vec::new();
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().expect("clone stream"));
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    continue;
                }
                let mut parts = line.split_whitespace();
                let method = parts.next().unwrap_or_default().to_string();
                let path = parts.next().unwrap_or_default().to_string();
                let mut headers = Vec::new();
                loop {
                    let mut h = String::new();
                    if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
                        break;
                    }
                    if let Some((n, v)) = h.split_once(':') {
                        headers.push((n.trim().to_ascii_lowercase(), v.trim().to_string()));
                    }
                }
                let request = Request {
                    method,
                    path,
                    headers,
                };
                let reply = handler(&request);
                seen.lock().expect("lock").push(request);
                match reply {
                    Reply::Bytes(b) => {
                        let _ = stream.write_all(&b);
                        let _ = stream.flush();
                    }
                    Reply::Hang => hung.push(stream),
                    Reply::Stall(b) => {
                        let _ = stream.write_all(&b);
                        let _ = stream.flush();
                        hung.push(stream);
                    }
                }
            }
        });
        Server {
            ip: ip.to_string(),
            port,
            requests,
        }
    }

    /// A server that answers every request with the same bytes.
    pub fn fixed(reply: Vec<u8>) -> Server {
        Server::start(move |_| Reply::Bytes(reply.clone()))
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}:{}{path}", self.ip, self.port)
    }

    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().expect("lock").clone()
    }
}

/// An HTTP/1.1 response with a Content-Length and `Connection: close`.
pub fn response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut r = format!("HTTP/1.1 {status} Status\r\n");
    for (n, v) in headers {
        r.push_str(&format!("{n}: {v}\r\n"));
    }
    r.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    let mut bytes = r.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}
