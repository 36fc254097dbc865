//! `prov diff A [B]`: what changed in the clean text between two captures (or files).

use std::io::Write;

use clap::ValueEnum;

use super::Loaded;
use crate::commands::{CliError, Ctx, Outcome};
use crate::diff::Granularity;
use crate::diff::render::metadata_changes;
use crate::diff::render::{self, DiffView, Side};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Text,
    Unified,
    Json,
    Markdown,
    Html,
}

#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  prov diff lankov-cold-war-alliance                    the latest capture against its copy's previous one
  prov diff lankov@1 lankov@latest                      the first capture against the latest (prefixes of names do)
  prov diff lankov@1 lankov/koreaobserver.example --stat
  prov diff lankov@1 lankov@4 --format json | jq .stats
  prov diff old.html new.html                           two files, no archive needed")]
pub struct Args {
    /// The older capture (a reference or a file)
    pub a: String,
    /// The newer capture (without it, A is compared with its copy's last capture before it that
    /// has a text)
    pub b: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,
    /// Same as --format json
    #[arg(long)]
    pub json: bool,
    /// Exit with status 1 when the texts differ
    #[arg(long)]
    pub exit_code: bool,
    /// Compare the texts as recorded at capture time, not as today's normalizer cleans them
    #[arg(long)]
    pub as_recorded: bool,
    /// Do not fold typography (quotes, dashes, spaces, Unicode forms) before comparing
    #[arg(long)]
    pub raw: bool,
    /// Text matching this regular expression never counts as a change (repeatable)
    #[arg(long, value_name = "REGEX")]
    pub ignore: Vec<String>,
    /// Print only the summary line
    #[arg(long)]
    pub stat: bool,
    /// Also list the paragraphs whose formatting alone changed (a heading set as a
    /// paragraph, a list item as a paragraph): never counted as changes of the text
    #[arg(long)]
    pub formatting: bool,
    /// The unit of an edited paragraph's changes (the summary counts words whatever it is)
    #[arg(long, value_enum, default_value_t = GranularityArg::Word)]
    pub granularity: GranularityArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GranularityArg {
    Sentence,
    Word,
    Char,
}

impl From<GranularityArg> for Granularity {
    fn from(g: GranularityArg) -> Self {
        match g {
            GranularityArg::Sentence => Granularity::Sentence,
            GranularityArg::Word => Granularity::Word,
            GranularityArg::Char => Granularity::Char,
        }
    }
}

pub fn run(args: Args, ctx: &Ctx, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let archive = ctx.archive_if_any()?;
    let captures = super::lookup(archive.as_ref())?;
    let (a, b) = match &args.b {
        Some(b) => super::load_comparable_pair(
            ctx,
            archive.as_ref(),
            &*captures,
            &args.a,
            b,
            args.as_recorded,
        )?,
        None => {
            let first = super::load_comparable(
                ctx,
                archive.as_ref(),
                &*captures,
                &args.a,
                args.as_recorded,
            )?;
            let Some(c) = &first.capture else {
                return Err(CliError::new(format!(
                    "{} is a file; name a second capture or file to compare it with",
                    args.a
                )));
            };
            let same_copy: Vec<_> = captures
                .of_article(c.article(), Some(c.copy()))?
                .into_iter()
                .take_while(|p| p.capture != c.id())
                .collect();
            // A gone or moved capture, or a page whose bytes gave no text, has no text to
            // compare: compare with the copy's last page that has one, as log, snapshot and
            // reports do.
            let (n, previous) = same_copy
                .iter()
                .enumerate()
                .rev()
                .find(|(_, p)| {
                    p.kind == crate::archive::Kind::Page
                        && !crate::archive::textless(p.text.as_ref())
                })
                .map(|(i, p)| (i + 1, p))
                .unzip();
            let previous = previous.ok_or_else(|| {
                let what = if same_copy.is_empty() {
                    "is the first capture of"
                } else {
                    "has no earlier capture with a text of"
                };
                CliError::new(format!(
                    "{} {what} {}/{}; name a capture to compare it with",
                    args.a,
                    c.article(),
                    c.copy()
                ))
            })?;
            let reference = format!("{}/{}@{}", c.article(), c.copy(), n.unwrap_or(0));
            let previous = captures.capture(previous)?;
            let older =
                super::load_capture(archive.as_ref(), previous, &reference, args.as_recorded)?;
            (older, first)
        }
    };
    // A capture named outright is compared as it is, but one without text is compared as an
    // empty text: say so, or '-1038 words' reads as an edit that removed the article.
    for side in [&a, &b] {
        if let Some(reason) = side
            .capture
            .as_ref()
            .and_then(|c| without_text(c, &side.text))
        {
            eprintln!(
                "prov: {} has no text ({reason}): it is compared as an empty text",
                super::printable(&side.reference)
            );
        }
    }
    let opts = crate::diff::Options {
        granularity: args.granularity.into(),
        ..super::diff_options(archive.as_ref(), &args.ignore, args.raw)?
    };
    let diff = crate::diff::diff(&a.text, &b.text, &opts);
    if args.stat {
        writeln!(out, "{}", render::stat_line(&diff))?;
    } else {
        let (sa, sb) = (side(&a), side(&b));
        let metadata_changes = metadata_changes(&a.metadata, &b.metadata);
        let view = DiffView {
            a: &sa,
            b: &sb,
            diff: &diff,
            metadata_changes: &metadata_changes,
            raw: args.raw,
            formatting: args.formatting,
        };
        let format = if args.json {
            render::Format::Json
        } else {
            match args.format {
                FormatArg::Text => render::Format::Text { color: ctx.color },
                FormatArg::Unified => render::Format::Unified,
                FormatArg::Json => render::Format::Json,
                FormatArg::Markdown => render::Format::Markdown,
                FormatArg::Html => render::Format::Html,
            }
        };
        render::render(&view, format, out)?;
    }
    Ok(if args.exit_code && !diff.identical {
        Outcome::Finding
    } else {
        Outcome::Ok
    })
}

/// Why a capture has no text to compare, if it has none: a gone or moved capture, a page
/// whose bytes gave none when recorded, or one today's normalizer finds none in.
fn without_text(c: &crate::archive::Capture, text: &str) -> Option<String> {
    if !text.trim().is_empty() {
        return None;
    }
    Some(match (c.meta.kind, &c.meta.no_text) {
        (crate::archive::Kind::Gone, _) => "it records the page gone".to_string(),
        (crate::archive::Kind::Moved, _) => "it records the page moved".to_string(),
        (_, Some(reason)) => reason.to_string(),
        (_, None) => "today's normalizer finds none in it".to_string(),
    })
}

fn side(l: &Loaded) -> Side {
    Side {
        reference: l.reference.clone(),
        capture: l.capture.as_ref().map(|c| c.id().to_string()),
        article: l.capture.as_ref().map(|c| c.article().to_string()),
        copy: l.capture.as_ref().map(|c| c.copy().to_string()),
        captured_at: l.capture.as_ref().map(|c| c.meta.captured_at.clone()),
        url: l.capture.as_ref().and_then(|c| c.meta.url.clone()),
        text_sha256: l.text_sha256(),
        text: l.text.clone(),
    }
}
