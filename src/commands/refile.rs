//! `prov refile CAPTURE --article ID [--copy NAME]`: file a capture under another article
//! or copy, by a committed record (the capture itself never changes).

use std::io::Write;

use crate::archive::refs::{self, Resolved};
use crate::archive::{Place, Refiled};
use crate::commands::{CliError, Ctx, Outcome};
use crate::timefmt;

#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  prov refile 20180506T080000Z-3e40231a --article lankov-republished
  prov refile lankov/koreaobserver.example --article other-story --copy koreaobserver.example")]
pub struct Args {
    /// The capture to refile: a capture id (or unique prefix), `ARTICLE@N`, `ARTICLE/COPY`, a commit
    #[arg(value_name = "CAPTURE")]
    pub capture: String,
    /// The article to file it under
    #[arg(long, value_name = "ID")]
    pub article: String,
    /// The copy to file it as (default: the copy it is filed as now)
    #[arg(long, value_name = "NAME")]
    pub copy: Option<String>,
    /// Print one JSON object
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args, ctx: &Ctx, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let archive = ctx.archive()?;
    let lock = ctx.lock(&archive)?;
    let captures = archive.captures()?;
    // Only captures: a path to a file is not something the archive can refile.
    let capture = match refs::resolve(Some(&archive), &captures, &args.capture, &ctx.cwd) {
        Ok(Resolved::Capture(c)) => c,
        Ok(Resolved::File(_)) | Err(refs::RefError::Unknown { .. }) => {
            return Err(CliError::new(format!(
                "{:?} names no capture in the archive",
                args.capture
            )));
        }
        Err(e) => return Err(e.into()),
    };
    let to = Place {
        article: args.article.clone(),
        copy: args
            .copy
            .clone()
            .unwrap_or_else(|| capture.copy().to_string()),
    };
    let time = timefmt::now()?;
    let refiled = archive.refile(&lock, &capture, to.clone(), time)?;
    drop(lock);
    match refiled {
        Refiled::AlreadyThere => {
            if args.json {
                let line = serde_json::json!({
                    "capture": capture.id(), "from": to, "to": to, "commit": null, "new": false,
                });
                writeln!(out, "{line}")?;
            } else {
                writeln!(
                    out,
                    "capture {} is already filed under {}/{}; nothing recorded",
                    capture.id(),
                    to.article,
                    to.copy
                )?;
            }
        }
        Refiled::New { record, commit } => {
            if args.json {
                let line = serde_json::json!({
                    "capture": record.capture, "from": record.from, "to": record.to,
                    "commit": commit, "new": true, "record": record.path,
                });
                writeln!(out, "{line}")?;
            } else {
                writeln!(
                    out,
                    "refiled capture {} from {}/{} to {}/{} (commit {})",
                    record.capture,
                    record.from.article,
                    record.from.copy,
                    record.to.article,
                    record.to.copy,
                    &commit[..7.min(commit.len())]
                )?;
            }
        }
    }
    Ok(Outcome::Ok)
}
