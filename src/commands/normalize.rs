//! `prov normalize FILE...`: clean files without archiving them.

use std::io::Write;
use std::path::PathBuf;

use serde::Serialize;

use crate::commands::{CliError, Ctx, Outcome};
use crate::normalize::{Metadata, Stripped};

#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  prov normalize saved.html                             the clean text, nothing archived
  prov normalize saved.html --url https://example.com/story --json")]
pub struct Args {
    /// Files to clean, or `-` for stdin
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Where the files were captured from (picks per-site rules)
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// Print one JSON object a line
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Serialize)]
struct JsonLine<'a> {
    source: String,
    title: Option<&'a str>,
    text: &'a str,
    metadata: &'a Metadata,
    stripped: &'a [Stripped],
}

pub fn run(args: Args, ctx: &Ctx, out: &mut dyn Write) -> Result<Outcome, CliError> {
    // Inside an archive its per-site rules apply; elsewhere the built-in ones alone.
    let rules = ctx
        .archive_if_any()?
        .map(|a| a.config.rules())
        .unwrap_or_default();
    let mut failed = 0;
    let many = args.files.len() > 1;
    for (i, file) in args.files.iter().enumerate() {
        let n = match super::clean_file(file, rules.clone(), args.url.as_deref()) {
            Ok(n) => n,
            Err(e) => {
                eprintln!("prov: {e}");
                failed += 1;
                continue;
            }
        };
        if args.json {
            let line = JsonLine {
                source: file.display().to_string(),
                title: n.title(),
                text: &n.text,
                metadata: &n.metadata,
                stripped: &n.stripped,
            };
            writeln!(out, "{}", serde_json::to_string(&line).unwrap_or_default())?;
        } else {
            if many {
                if i > 0 {
                    writeln!(out)?;
                }
                writeln!(out, "==> {} <==", file.display())?;
            }
            out.write_all(n.text.as_bytes())?;
        }
    }
    Ok(if failed > 0 {
        Outcome::PartialFailure
    } else {
        Outcome::Ok
    })
}
