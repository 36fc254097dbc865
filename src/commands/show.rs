//! `prov show REF`: a capture's clean text, or its raw bytes, metadata or stripped noise.

use std::io::Write;

use crate::commands::{CliError, Ctx, Outcome};

#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  prov show lankov-cold-war-alliance                    the latest capture's clean text
  prov show lankov@1 --stripped                         the noise the normalizer removed, and why
  prov show 20180504T101200Z --meta                     a capture by a prefix of its id: meta.json
  prov show lankov/aljazeera.com@first --raw > page.html")]
pub struct Args {
    /// A capture reference or a file
    pub reference: String,
    /// Print the bytes exactly as captured
    #[arg(long, conflicts_with_all = ["meta", "stripped"])]
    pub raw: bool,
    /// Print meta.json
    #[arg(long, conflicts_with = "stripped")]
    pub meta: bool,
    /// Print what the normalizer stripped, with the rule that stripped each item
    #[arg(long)]
    pub stripped: bool,
    /// Print the text as recorded at capture time, not as today's normalizer cleans it
    #[arg(long)]
    pub as_recorded: bool,
    /// With --stripped: print JSON (alone it is refused, not silently ignored: the text
    /// and meta.json have their own flags)
    #[arg(long, requires = "stripped")]
    pub json: bool,
}

pub fn run(args: Args, ctx: &Ctx, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let archive = ctx.archive_if_any()?;
    let captures = super::lookup(archive.as_ref())?;
    // A gone or moved capture has no text, but its bytes and meta.json are there to see.
    if let (Some(a), true) = (&archive, args.raw || args.meta) {
        let resolved =
            crate::archive::refs::resolve(Some(a), &*captures, &args.reference, &ctx.cwd)?;
        if let crate::archive::refs::Resolved::Capture(c) = resolved
            && c.meta.kind != crate::archive::Kind::Page
        {
            if args.raw {
                out.write_all(&a.raw(&c)?)?;
            } else {
                out.write_all(crate::archive::refile::meta_json(&c).as_bytes())?;
            }
            return Ok(Outcome::Ok);
        }
    }
    let loaded = super::load(
        ctx,
        archive.as_ref(),
        &*captures,
        &args.reference,
        args.as_recorded,
    )?;
    let (meta_json, stripped, raw) = match (&loaded.capture, &loaded.normalized, &archive) {
        (Some(c), _, Some(a)) => (
            crate::archive::refile::meta_json(c),
            c.meta.stripped.clone(),
            if args.raw { a.raw(c)? } else { vec![] },
        ),
        (None, Some(n), _) => {
            let meta = serde_json::json!({
                "source": args.reference,
                "format": n.format,
                "charset": n.charset,
                "page": n.metadata,
                "stripped": n.stripped,
            });
            let raw = if args.raw {
                crate::fetch::read_bounded(&ctx.cwd.join(&args.reference))
                    .map_err(|e| CliError::new(e.to_string()))?
            } else {
                vec![]
            };
            (
                format!(
                    "{}\n",
                    serde_json::to_string_pretty(&meta).unwrap_or_default()
                ),
                n.stripped.clone(),
                raw,
            )
        }
        _ => return Err(CliError::new("a capture needs an archive")),
    };
    if args.raw {
        out.write_all(&raw)?;
    } else if args.meta {
        out.write_all(meta_json.as_bytes())?;
    } else if args.stripped {
        if args.json {
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&stripped).unwrap_or_default()
            )?;
        } else {
            for s in &stripped {
                match s.words {
                    Some(w) => writeln!(out, "[{}, {w} words] {}", s.rule, s.text)?,
                    None => writeln!(out, "[{}] {}", s.rule, s.text)?,
                }
            }
        }
    } else {
        out.write_all(loaded.text.as_bytes())?;
    }
    Ok(Outcome::Ok)
}
