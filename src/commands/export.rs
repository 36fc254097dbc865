//! `prov export --prov-json ARTICLE`: the article's provenance as W3C PROV-JSON, on stdout or
//! into a file (see `provenance::prov_json` for what it says).

use std::io::Write;
use std::path::PathBuf;

use crate::commands::{CliError, Ctx, Outcome};
use crate::provenance::prov_json;

#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  prov export --prov-json lankov-cold-war-alliance
  prov export --prov-json lankov --out lankov.prov.json")]
pub struct Args {
    /// The article
    pub article: String,
    /// Write W3C PROV-JSON (the only format so far)
    #[arg(long, required = true)]
    pub prov_json: bool,
    /// Write into FILE instead of stdout
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

pub fn run(args: Args, ctx: &Ctx, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let archive = ctx.archive()?;
    let captures = archive.captures()?;
    let article = super::article_name(captures.as_slice(), &args.article)?;
    let of_article: Vec<_> = captures
        .iter()
        .filter(|c| c.article() == article)
        .map(|c| crate::provenance::Item {
            capture: c,
            text: None,
        })
        .collect();
    let commits = archive.commits()?;
    let doc = prov_json::document(&prov_json::Input {
        article: &article,
        items: &of_article,
        commits: &commits,
    });
    match &args.out {
        None => super::write_json(&doc, out)?,
        Some(path) => {
            let path = ctx.cwd.join(path);
            let mut bytes = Vec::new();
            super::write_json(&doc, &mut bytes)?;
            std::fs::write(&path, bytes)
                .map_err(|e| CliError::new(format!("cannot write {}: {e}", path.display())))?;
        }
    }
    Ok(Outcome::Ok)
}
