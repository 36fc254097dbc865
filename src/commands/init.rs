//! `prov init [DIR]`: make a folder an archive, or adopt the git repository already there.

use std::io::Write;
use std::path::PathBuf;

use crate::archive::{Archive, InitOutcome};
use crate::cli::{CliError, Ctx, Outcome};
use crate::timefmt;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder to make an archive (default: the current folder)
    pub dir: Option<PathBuf>,
}

pub fn run(args: Args, ctx: &Ctx, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let dir = ctx.cwd.join(
        args.dir
            .or_else(|| ctx.archive_dir.clone())
            .unwrap_or_default(),
    );
    let (archive, outcome) = Archive::init(&dir, timefmt::now()?)?;
    match outcome {
        InitOutcome::Created => {
            writeln!(out, "Made a new prov archive in {}", archive.root.display())?
        }
        InitOutcome::Adopted => writeln!(
            out,
            "Made the git repository in {} a prov archive (one commit added prov.toml, .gitattributes, snapshots/ and reports/)",
            archive.root.display()
        )?,
    }
    Ok(Outcome::Ok)
}
