//! `prov lineage ARTICLE`: the article's copies, earliest evidence first, the presumed
//! original, what each copy changed from it, and the attribution claims (see
//! `provenance::lineage` for the rules).

use std::io::Write;

use crate::commands::{CliError, Ctx, Outcome};
use crate::provenance::lineage;

#[derive(Debug, clap::Args)]
#[command(after_help = "\
A copy's age is the earliest of: the published time its pages state, the HTTP Last-Modified \
its server sent, and its first capture; the earliest copy is presumed the original. Equal \
ages go first to a copy whose pages claim no other origin, then to the first captured, then \
by name. Each copy's latest capture is compared with the original's first capture.

Examples:
  prov lineage lankov-cold-war-alliance
  prov lineage lankov --json | jq '.copies[] | {copy, original}'")]
pub struct Args {
    /// The article
    pub article: String,
    /// Print one JSON object: the article, the presumed original, and each copy with its
    /// earliest evidence and what it changed from the original; the attribution claims
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args, ctx: &Ctx, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let archive = ctx.archive()?;
    let captures = archive.captures()?;
    let article = super::article_name(captures.as_slice(), &args.article)?;
    let loaded = super::article_texts(&archive, &captures, &article)?;
    let opts = super::diff_options(Some(&archive), &[], false)?;
    let l = lineage::lineage(&article, &super::items(&loaded), &opts);
    if args.json {
        super::write_json(&l, out)?;
    } else {
        lineage::write_text(&l, out)?;
    }
    Ok(Outcome::Ok)
}
