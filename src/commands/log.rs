//! `prov log [ARTICLE]`: the captures, oldest first, each with its change since its copy's previous capture.

use std::io::Write;

use serde::Serialize;

use std::collections::BTreeMap;

use crate::archive::index::Entry as Listed;
use crate::archive::refs::{Indexed, Lookup};
use crate::archive::{Archive, Kind, changes};
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
    // The index, not every meta.json: one article's lines are found without decoding the rest.
    let index = Indexed::new(&archive)?;
    let listed = match &args.article {
        Some(a) => index.of_article(a, None)?,
        None => index.all()?,
    };
    if let (Some(a), true) = (&args.article, listed.is_empty()) {
        return Err(CliError::new(format!(
            "the archive has no article named {a:?}"
        )));
    }
    let opts = super::diff_options(Some(&archive), &[], false)?;
    let changes = changes(&archive, &index, &listed, &opts)?;
    let mut entries = Vec::new();
    for (m, change) in listed.iter().zip(changes) {
        entries.push(Entry {
            article: &m.article,
            copy: &m.copy,
            capture: &m.capture,
            kind: m.kind,
            captured_at: &m.captured_at,
            url: m.url.as_deref(),
            commit: m.commit.as_deref(),
            raw_sha256: &m.raw.sha256,
            text_sha256: m.text.as_ref().map(|t| t.sha256.as_str()),
            change,
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

/// Each capture's one-line change since its copy's previous page (`listed` holds whole
/// articles, in capture order), from the cache of summaries where it has them.
fn changes(
    archive: &Archive,
    index: &Indexed<'_>,
    listed: &[Listed],
    opts: &crate::diff::Options,
) -> Result<Vec<String>, CliError> {
    let today = archive.normalizer_id();
    let fingerprint = opts.fingerprint();
    let mut cache = archive.change_cache();
    let mut last_page: BTreeMap<(&str, &str), &Listed> = BTreeMap::new();
    let mut out = Vec::with_capacity(listed.len());
    for e in listed {
        if e.kind != Kind::Page {
            out.push(format!("{:?}", e.kind).to_lowercase());
            continue;
        }
        if crate::archive::textless(e.text.as_ref()) {
            // The reason is in the capture's meta.json (`prov show --meta`).
            out.push(super::no_text_summary(None));
            continue;
        }
        let change = match last_page.insert((&e.article, &e.copy), e) {
            None => "first capture".to_string(),
            Some(p) => {
                let key = changes::key(p, e, &today, &fingerprint);
                match cache.get(&key) {
                    Some(summary) => summary,
                    None => {
                        let a = archive.current_text(&index.capture(p)?)?;
                        let b = archive.current_text(&index.capture(e)?)?;
                        let summary = crate::diff::diff(&a, &b, opts).summary();
                        cache.put(&key, &summary);
                        summary
                    }
                }
            }
        };
        out.push(change);
    }
    cache.save();
    Ok(out)
}
