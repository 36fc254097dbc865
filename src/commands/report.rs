//! `prov report [ARTICLE...]`: write each article's `index.html`, `report.md` and
//! `report.json`, and the `index.html` listing every article, into `reports/` (or `--out DIR`);
//! `--commit` commits them.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::archive::{Archive, Capture, Kind, NewFile, REPORTS};
use crate::commands::{CliError, Ctx, Outcome};
use crate::report::{self, CaptureData, Input, Report};
use crate::timefmt;

#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  prov report                                           every article, into reports/
  prov report lankov --out /tmp/reports                 one article (a prefix of its name), elsewhere
  prov report --commit                                  write and commit them")]
pub struct Args {
    /// Report on these articles only (default: every article)
    #[arg(value_name = "ARTICLE")]
    pub articles: Vec<String>,
    /// Write the reports into DIR instead of the archive's reports/
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Commit the reports: one commit touching only their files under reports/
    #[arg(long, conflicts_with = "out")]
    pub commit: bool,
}

pub fn run(args: Args, ctx: &Ctx, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let archive = ctx.archive()?;
    // Committed reports must describe the HEAD they are committed on: hold the lock from the
    // first read to the commit.
    let lock = if args.commit {
        Some(archive.lock(&mut || {
            eprintln!("prov: another prov is writing to this archive; waiting for it to finish");
        })?)
    } else {
        None
    };
    let captures = archive.captures()?;
    let all: BTreeSet<&str> = captures.iter().map(Capture::article).collect();
    let named = args
        .articles
        .iter()
        .map(|a| super::article_name(captures.as_slice(), a))
        .collect::<Result<Vec<String>, CliError>>()?;
    let chosen: BTreeSet<&str> = if args.articles.is_empty() {
        all.clone()
    } else {
        named.iter().map(String::as_str).collect()
    };

    // Every article is reported on, so that the index lists them all; only the chosen are written.
    let reports = build_all(&archive, &captures, &all)?;
    let mut files = Vec::new();
    for r in reports
        .iter()
        .filter(|r| chosen.contains(r.article.as_str()))
    {
        let dir = format!("{REPORTS}/{}", r.article);
        files.push(file(format!("{dir}/index.html"), |w| {
            report::html::write(r, w)
        })?);
        files.push(file(format!("{dir}/report.md"), |w| {
            report::markdown::write(r, w)
        })?);
        files.push(file(format!("{dir}/report.json"), |w| {
            report::write_json(r, w)
        })?);
    }
    let index = report::build_index(&reports);
    files.push(file(format!("{REPORTS}/index.html"), |w| {
        report::html::write_index(&index, w)
    })?);

    if let Some(lock) = &lock {
        let names: Vec<&str> = chosen.iter().copied().collect();
        let message = format!("Report on {}\n", names.join(", "));
        match archive.commit_reports(lock, &files, &message, timefmt::now()?)? {
            Some(commit) => writeln!(out, "committed {commit}")?,
            None => writeln!(out, "the reports are unchanged; nothing to commit")?,
        }
        for f in &files {
            writeln!(out, "{}", f.path)?;
        }
        warn_of_problems(&reports, &chosen);
        return Ok(Outcome::Ok);
    }

    // Each file, named to the user under --out DIR as given, else from the archive's root.
    let prefix = format!("{REPORTS}/");
    for f in &files {
        let rel = f.path.strip_prefix(&prefix).unwrap_or(&f.path);
        let (path, shown) = match &args.out {
            Some(dir) => (ctx.cwd.join(dir).join(rel), dir.join(rel)),
            None => (archive.root.join(&f.path), PathBuf::from(&f.path)),
        };
        write_file(&path, &f.bytes)?;
        writeln!(out, "{}", shown.display())?;
    }
    warn_of_problems(&reports, &chosen);
    Ok(Outcome::Ok)
}

/// The reports are written either way; a fixity problem in one is also said on stderr.
fn warn_of_problems(reports: &[Report], chosen: &BTreeSet<&str>) {
    for r in reports
        .iter()
        .filter(|r| chosen.contains(r.article.as_str()))
    {
        let n = r.fixity.problems.len();
        if n > 0 {
            let what = if n == 1 { "problem" } else { "problems" };
            eprintln!(
                "prov: {}: {n} fixity {what} (listed in its report; run prov verify)",
                r.article
            );
        }
    }
}

/// Each article's report, in article order: the archive read here, the model built purely.
fn build_all(
    archive: &Archive,
    captures: &[Capture],
    articles: &BTreeSet<&str>,
) -> Result<Vec<Report>, CliError> {
    let commits = archive.commits()?;
    let check = archive.check()?;
    let opts = super::diff_options(Some(archive), &[], false)?;
    let mut reports = Vec::new();
    for article in articles {
        let mut data = Vec::new();
        for c in captures.iter().filter(|c| c.article() == *article) {
            let text = match c.meta.kind {
                Kind::Page => Some(archive.current_text(c)?),
                Kind::Gone | Kind::Moved => None,
            };
            data.push(CaptureData {
                capture: c,
                text,
                commit: commits.get(c.id()).cloned(),
            });
        }
        reports.push(report::build(&Input {
            article,
            captures: data,
            check: &check,
            opts: &opts,
        }));
    }
    Ok(reports)
}

fn file(
    path: String,
    render: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<NewFile, CliError> {
    let mut bytes = Vec::new();
    render(&mut bytes).map_err(|e| CliError::new(format!("cannot make {path}: {e}")))?;
    Ok(NewFile { path, bytes })
}

/// Write through a temporary file, so a reader never sees half a report.
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let fail = |e: std::io::Error| CliError::new(format!("cannot write {}: {e}", path.display()));
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, bytes).map_err(fail)?;
    std::fs::rename(&tmp, path).map_err(fail)
}
