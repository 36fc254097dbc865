//! `prov renormalize`: re-derive every capture's text with today's normalizer (into the cache) and list those that differ.

use std::io::Write;

use serde::Serialize;

use crate::archive::Kind;
use crate::commands::{CliError, Ctx, Outcome};

#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  prov renormalize                                      fill the cache; list captures cleaned differently today
  prov renormalize --json")]
pub struct Args {
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Serialize)]
struct Differs {
    article: String,
    copy: String,
    capture: String,
    recorded_version: u32,
    change: String,
}

pub fn run(args: Args, ctx: &Ctx, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let archive = ctx.archive()?;
    let captures = archive.captures()?;
    let current = archive.normalizer_id();
    let opts = crate::diff::Options {
        raw: true,
        ..Default::default()
    };
    let mut differs = Vec::new();
    let mut pages = 0;
    for c in captures.iter().filter(|c| c.meta.kind == Kind::Page) {
        pages += 1;
        let today = archive.current_text(c)?;
        let recorded = archive.recorded_text(c)?;
        if today != recorded {
            differs.push(Differs {
                article: c.article().into(),
                copy: c.copy().into(),
                capture: c.id().into(),
                recorded_version: c.meta.normalizer.version,
                change: crate::diff::diff(&recorded, &today, &opts).summary(),
            });
        }
    }
    if args.json {
        let doc = serde_json::json!({
            "normalizer_version": current.version,
            "rules_sha256": current.rules_sha256,
            "captures": pages,
            "differ": differs,
        });
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&doc).unwrap_or_default()
        )?;
        return Ok(Outcome::Ok);
    }
    for d in &differs {
        writeln!(
            out,
            "{}  {}/{}  cleaned differently than recorded (normalizer v{} then, v{} now): {}",
            d.capture, d.article, d.copy, d.recorded_version, current.version, d.change
        )?;
    }
    writeln!(
        out,
        "{pages} captures re-derived with normalizer v{}; {} clean differently from their recorded text",
        current.version,
        differs.len()
    )?;
    Ok(Outcome::Ok)
}
