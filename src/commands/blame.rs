//! `prov blame ARTICLE[/COPY]`: for each paragraph of the latest clean text, the capture that
//! introduced its present wording (see `provenance::blame` for the rule).

use std::io::Write;

use crate::commands::{CliError, Ctx, Outcome};
use crate::provenance::blame;

#[derive(Debug, clap::Args)]
#[command(after_help = "\
The copy's page captures are walked oldest to newest, each aligned with the one before by \
paragraphs: a paragraph equal to one before it (typography aside), in place or moved, keeps \
that paragraph's origin; one edited, split, merged or inserted takes the capture in which it \
appears. With ARTICLE alone, the copy of the article's latest capture is blamed, and a \
paragraph present since that copy's first capture is traced to the earliest capture of \
another copy, made before it, that already had the same wording: a reprint's paragraphs \
point at the original (--across-copies does the same for a named copy). Lines marked ^ \
were traced so.

Examples:
  prov blame lankov-cold-war-alliance
  prov blame lankov/koreaobserver.example --across-copies
  prov blame lankov --json | jq '.paragraphs[0]'")]
pub struct Args {
    /// The article, or ARTICLE/COPY for one copy's own history
    #[arg(value_name = "ARTICLE[/COPY]")]
    pub target: String,
    /// With ARTICLE/COPY, trace paragraphs to other copies too (as ARTICLE alone does)
    #[arg(long)]
    pub across_copies: bool,
    /// Print one JSON object: the copy blamed and each paragraph with the capture, copy and
    /// time that introduced its wording
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args, ctx: &Ctx, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let archive = ctx.archive()?;
    let captures = archive.captures()?;
    // An article named like ARTICLE/COPY cannot exist: names have no slash.
    let (article, copy) = match args.target.split_once('/') {
        Some((a, c)) => (a, Some(c)),
        None => (args.target.as_str(), None),
    };
    let article = super::article_name(captures.as_slice(), article)?;
    let article = article.as_str();
    let loaded = super::article_texts(&archive, &captures, article)?;
    if let Some(c) = copy
        && !loaded.iter().any(|(x, _)| x.copy() == c)
    {
        let known: Vec<&str> = {
            let mut v: Vec<&str> = loaded.iter().map(|(x, _)| x.copy()).collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        return Err(CliError::new(format!(
            "the article {article:?} has no copy named {c:?} (its copies: {})",
            known.join(", ")
        )));
    }
    let b = blame::blame(article, &super::items(&loaded), copy, args.across_copies)
        .map_err(|e| CliError::new(e.to_string()))?;
    if args.json {
        super::write_json(&b, out)?;
    } else {
        blame::write_text(&b, out)?;
    }
    Ok(Outcome::Ok)
}
