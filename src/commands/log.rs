//! `prov log [ARTICLE]`: the captures, oldest first, each with its change since its copy's previous capture.

use std::io::Write;

use serde::Serialize;

use crate::cli::{CliError, Ctx, Outcome};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only this article's captures
    pub article: Option<String>,
    /// Print a JSON array
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Serialize)]
struct Entry<'a> {
    article: &'a str,
    copy: &'a str,
    capture: &'a str,
    kind: crate::archive::Kind,
    captured_at: &'a str,
    url: Option<&'a str>,
    commit: Option<&'a str>,
    raw_sha256: &'a str,
    text_sha256: Option<&'a str>,
    change: String,
}

pub fn run(args: Args, ctx: &Ctx, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let archive = ctx.archive()?;
    let captures = archive.captures()?;
    if let Some(a) = args
        .article
        .as_ref()
        .filter(|a| !captures.iter().any(|c| c.article() == *a))
    {
        return Err(CliError::new(format!(
            "the archive has no article named {a:?}"
        )));
    }
    let commits = archive.commits()?;
    let opts = super::diff_options(Some(&archive), &[], false)?;
    let mut entries = Vec::new();
    for (i, c) in captures.iter().enumerate() {
        if args.article.as_deref().is_some_and(|a| a != c.article()) {
            continue;
        }
        let m = &c.meta;
        entries.push(Entry {
            article: &m.article,
            copy: &m.copy,
            capture: &m.capture,
            kind: m.kind,
            captured_at: &m.captured_at,
            url: m.url.as_deref(),
            commit: commits.get(&m.capture).map(String::as_str),
            raw_sha256: &m.raw.sha256,
            text_sha256: m.text.as_ref().map(|t| t.sha256.as_str()),
            change: super::change_since_previous(&archive, &captures, i, &opts)?,
        });
    }
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &entries)
            .map_err(|e| CliError::new(format!("cannot write the output: {e}")))?;
        writeln!(out)?;
        return Ok(Outcome::Ok);
    }
    for e in &entries {
        writeln!(
            out,
            "{}  {}/{}  {}  {}  {}  {}",
            e.capture,
            e.article,
            e.copy,
            e.captured_at,
            e.url.unwrap_or("-"),
            e.commit.map(|c| &c[..7.min(c.len())]).unwrap_or("-"),
            e.change
        )?;
    }
    Ok(Outcome::Ok)
}
