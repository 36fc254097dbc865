//! Score the normalizer on both dev corpora (fundus, Readability): body precision, recall,
//! F1, titles, pages without text and the worst pages; with `--trafilatura`, trafilatura
//! 2.3.1 run in the same run (benches/trafilatura.sh installs it) and scored beside prov,
//! and both timed as whole processes over the same pages.
//!
//! `cargo build --release && cargo run --release --example score -- [--trafilatura]
//! [--corpus fundus|readability] [--worst N] [--markdown]`
//!
//! The Readability corpus is scored on the pages Readability.js calls articles
//! (`readerable`); its titles on the pages whose expected title is also their `og:title`.

#[path = "../tests/support/corpus.rs"]
mod corpus;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use corpus::{Corpus, Page};
use prov::normalize::score::{self, PageScore, Prf, Summary};

struct Args {
    trafilatura: bool,
    corpora: Vec<Corpus>,
    worst: usize,
    markdown: bool,
    /// Pages whose text is laid beside the gold (`--show NAME`).
    show: Vec<String>,
}

fn args() -> Args {
    let mut a = Args {
        trafilatura: false,
        corpora: Corpus::ALL.to_vec(),
        worst: 10,
        markdown: false,
        show: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(x) = it.next() {
        match x.as_str() {
            "--trafilatura" => a.trafilatura = true,
            "--corpus" => {
                a.corpora = match it.next().as_deref() {
                    Some("fundus") => vec![Corpus::Fundus],
                    Some("readability") => vec![Corpus::Readability],
                    _ => usage(),
                }
            }
            "--worst" => a.worst = it.next().and_then(|n| n.parse().ok()).unwrap_or_else(usage),
            "--markdown" => a.markdown = true,
            "--show" => a.show.push(it.next().unwrap_or_else(usage)),
            _ => usage(),
        }
    }
    a
}

fn usage<T>() -> T {
    eprintln!(
        "usage: score [--trafilatura] [--corpus fundus|readability] [--worst N] [--markdown] \\
         [--show PAGE]..."
    );
    std::process::exit(2)
}

/// One page's figures: prov's score, whether it gave text, and trafilatura's score.
struct Row {
    prov: PageScore,
    text: bool,
    traf: Option<Prf>,
    /// Counted in the title figure (Readability: expected title = og:title).
    title_counted: bool,
}

fn main() {
    let args = args();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let traf_out = root.join("target/trafilatura");
    let mut loaded: Vec<(Corpus, Vec<Page>)> = Vec::new();
    for &c in &args.corpora {
        match c.load(&c.dir()) {
            Some(p) => loaded.push((c, p)),
            None => {
                eprintln!("no corpus at {}", c.dir().display());
                std::process::exit(1);
            }
        }
    }
    if args.trafilatura {
        speed_and_trafilatura(root, &traf_out, &loaded);
    }
    if !args.show.is_empty() {
        for (_, pages) in &loaded {
            for p in pages.iter().filter(|p| args.show.contains(&p.name)) {
                show(p);
            }
        }
        return;
    }
    let mut md = String::new();
    for (c, pages) in &loaded {
        let rows: Vec<Row> = pages
            .iter()
            .map(|p| {
                let out = corpus::run(p);
                let text = out
                    .as_ref()
                    .is_some_and(|n| !score::without_title(&n.text).trim().is_empty());
                let traf = args.trafilatura.then(|| {
                    let t = std::fs::read_to_string(
                        traf_out.join(c.name()).join(format!("{}.txt", p.name)),
                    )
                    .unwrap_or_default();
                    score::body(&t, &p.gold.body())
                });
                let title_counted = match c {
                    Corpus::Fundus => true,
                    Corpus::Readability => p
                        .og_title
                        .as_deref()
                        .is_some_and(|o| corpus::same_title(o, &p.gold.title)),
                };
                Row {
                    prov: corpus::score_prov(p, out.as_ref()),
                    text,
                    traf,
                    title_counted,
                }
            })
            .collect();
        report(*c, pages, &rows, args.worst);
        if args.markdown {
            markdown(&mut md, *c, pages, &rows);
        }
    }
    if args.markdown {
        println!("\n{md}");
    }
}

fn report(c: Corpus, pages: &[Page], rows: &[Row], worst: usize) {
    // Scored: the pages the gold calls articles.
    let scored: Vec<&Row> = rows
        .iter()
        .zip(pages)
        .filter(|(_, p)| p.readerable)
        .map(|(r, _)| r)
        .collect();
    let prov: Vec<PageScore> = scored.iter().map(|r| r.prov.clone()).collect();
    let ps = Summary::of(&prov);
    let titled: Vec<&&Row> = scored.iter().filter(|r| r.title_counted).collect();
    let titles_ok = titled.iter().filter(|r| r.prov.title_ok).count();
    println!(
        "\n== {} ({} pages scored of {}) ==",
        c.name(),
        scored.len(),
        pages.len()
    );
    println!(
        "{:<12} {:>9} {:>7} {:>7} {:>7}",
        "extractor", "precision", "recall", "F1", "min F1"
    );
    let line = |who: &str, s: &Summary| {
        println!(
            "{who:<12} {:>9.4} {:>7.4} {:>7.4} {:>7.3}",
            s.body.precision, s.body.recall, s.body.f1, s.min_f1
        )
    };
    line("prov", &ps);
    let traf: Option<Vec<PageScore>> = scored
        .iter()
        .map(|r| {
            r.traf.map(|body| PageScore {
                name: r.prov.name.clone(),
                body,
                title_ok: false,
            })
        })
        .collect();
    if let Some(t) = &traf {
        let ts = Summary::of(t);
        line("trafilatura", &ts);
        println!(
            "prov - trafilatura: F1 {:+.4}, precision {:+.4}, recall {:+.4}",
            ps.body.f1 - ts.body.f1,
            ps.body.precision - ts.body.precision,
            ps.body.recall - ts.body.recall
        );
        let lost: Vec<String> = scored
            .iter()
            .filter(|r| r.prov.body.f1 < 0.5 && r.traf.is_some_and(|t| t.f1 > 0.8))
            .map(|r| r.prov.name.clone())
            .collect();
        println!(
            "pages below F1 0.5 where trafilatura is above 0.8: {} {lost:?}",
            lost.len()
        );
    }
    println!(
        "titles exact: {titles_ok}/{} ({:.3}){}",
        titled.len(),
        titles_ok as f64 / titled.len().max(1) as f64,
        if c == Corpus::Readability {
            " of the pages whose expected title is their og:title"
        } else {
            ""
        }
    );
    let no_text: Vec<&str> = rows
        .iter()
        .filter(|r| !r.text)
        .map(|r| r.prov.name.as_str())
        .collect();
    println!(
        "pages without text (of all {}): {} {no_text:?}",
        rows.len(),
        no_text.len()
    );
    println!(
        "\n{:<34} {:>6} {:>6} {:>6} {:>6} title",
        "worst pages", "P", "R", "F1", "traf"
    );
    for s in score::worst(&prov, worst) {
        let r = scored.iter().find(|r| r.prov.name == s.name);
        let t = r
            .and_then(|r| r.traf)
            .map_or("-".to_string(), |t| format!("{:.3}", t.f1));
        let title = match r {
            Some(r) if !r.title_counted => "-",
            _ if s.title_ok => "ok",
            _ => "WRONG",
        };
        println!(
            "{:<34} {:>6.3} {:>6.3} {:>6.3} {:>6} {title}",
            s.name, s.body.precision, s.body.recall, s.body.f1, t
        );
    }
}

/// One page's clean text beside its gold, paragraph by paragraph: `+` prov's paragraphs
/// the gold lacks (precision lost), `-` the gold's that prov lacks (recall lost), then what
/// prov stripped and why.
fn show(p: &Page) {
    let fold = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let out = corpus::run(p);
    let text = out.as_ref().map_or("", |n| n.text.as_str());
    let gold = p.gold.body();
    let (ft, fg) = (fold(text), fold(&gold));
    let s = corpus::score_prov(p, out.as_ref());
    println!(
        "== {}: P {:.3} R {:.3} F1 {:.3}, title {:?} (gold {:?})",
        p.name,
        s.body.precision,
        s.body.recall,
        s.body.f1,
        out.as_ref().and_then(|n| n.title()),
        p.gold.title
    );
    for para in text.split("\n\n").filter(|x| !x.trim().is_empty()) {
        let mark = if fg.contains(&fold(para)) { ' ' } else { '+' };
        println!("{mark} {}", para.trim());
    }
    for para in gold.split('\n').filter(|x| !x.trim().is_empty()) {
        if !ft.contains(&fold(para)) {
            println!("- {}", para.trim());
        }
    }
    if let Some(n) = &out {
        for st in &n.stripped {
            match st.words {
                Some(w) => println!("stripped {} ({w} words): {}", st.rule, st.text),
                None => println!("stripped {}: {}", st.rule, st.text),
            }
        }
    }
}

/// The per-page table BENCHMARKS.md keeps.
fn markdown(md: &mut String, c: Corpus, pages: &[Page], rows: &[Row]) {
    use std::fmt::Write as _;
    let _ = writeln!(md, "\n#### {}\n", c.name());
    let _ = writeln!(
        md,
        "| page | prov P | prov R | prov F1 | trafilatura F1 | title |\n|---|---|---|---|---|---|"
    );
    for (r, p) in rows.iter().zip(pages) {
        let t = r.traf.map_or("-".to_string(), |t| format!("{:.3}", t.f1));
        let title = if !r.title_counted {
            "-"
        } else if r.prov.title_ok {
            "ok"
        } else {
            "wrong"
        };
        let name = if p.readerable {
            r.prov.name.clone()
        } else {
            format!("{} (not an article)", r.prov.name)
        };
        let b = r.prov.body;
        let _ = writeln!(
            md,
            "| {name} | {:.3} | {:.3} | {:.3} | {t} | {title} |",
            b.precision, b.recall, b.f1
        );
    }
}

/// Run trafilatura over every page (its outputs for the scores), and time it and
/// `prov normalize` each as one whole process over the same pages.
fn speed_and_trafilatura(root: &Path, out: &Path, loaded: &[(Corpus, Vec<Page>)]) {
    let python = Command::new(root.join("benches/trafilatura.sh"))
        .arg("install")
        .stderr(Stdio::inherit())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    let Some(python) = python else {
        eprintln!("benches/trafilatura.sh install failed");
        std::process::exit(1);
    };
    let mut jobs = String::new();
    let mut paths: Vec<&Path> = Vec::new();
    for (c, pages) in loaded {
        for p in pages {
            jobs.push_str(&format!(
                "{}\t{}\t{}\n",
                p.name,
                p.path.display(),
                out.join(c.name()).display()
            ));
            paths.push(&p.path);
        }
    }
    let start = Instant::now();
    let child = Command::new(&python)
        .arg(root.join("benches/run_trafilatura.py"))
        .stdin(Stdio::piped())
        .spawn()
        .and_then(|mut ch| {
            ch.stdin
                .take()
                .map(|mut s| s.write_all(jobs.as_bytes()))
                .transpose()?;
            ch.wait()
        });
    let traf_s = start.elapsed().as_secs_f64();
    if !child.is_ok_and(|s| s.success()) {
        eprintln!("trafilatura failed");
        std::process::exit(1);
    }
    // The release binary beside this example (target/release/examples/score).
    let prov = std::env::current_exe()
        .ok()
        .and_then(|e| Some(e.parent()?.parent()?.join("prov")))
        .filter(|p| p.is_file());
    let n = paths.len() as f64;
    println!(
        "trafilatura 2.3.1, whole process: {} pages in {traf_s:.2} s, {:.1} pages/s",
        paths.len(),
        n / traf_s
    );
    let Some(prov) = prov else {
        println!("prov's speed not measured: build it first (cargo build --release)");
        return;
    };
    let start = Instant::now();
    let ok = Command::new(&prov)
        .arg("normalize")
        .arg("--json")
        .args(&paths)
        // Outside any archive: the built-in rules alone, as the scores are made.
        .env_remove("PROV_ARCHIVE")
        .current_dir(std::env::temp_dir())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    let prov_s = start.elapsed().as_secs_f64();
    if ok {
        println!(
            "prov normalize, whole process: {} pages in {prov_s:.2} s, {:.1} pages/s: {:.1}x trafilatura",
            paths.len(),
            n / prov_s,
            traf_s / prov_s
        );
    }
}
