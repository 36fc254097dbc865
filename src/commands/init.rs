//! `prov init [DIR]`: make a folder an archive, or adopt the git repository already there.

use std::io::Write;
use std::path::PathBuf;

use crate::archive::{Archive, InitOutcome};
use crate::commands::{CliError, Ctx, Outcome};
use crate::timefmt;

#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  prov init news                 make the folder news an archive
  prov init --sparse news        raw files kept in git alone, out of the work tree
  prov init                      adopt the git repository you are in")]
pub struct Args {
    /// The folder to make an archive (default: the current folder)
    pub dir: Option<PathBuf>,
    /// Keep captured raw files in git alone, out of the work tree (git's sparse checkout);
    /// `prov show --raw` and git read them from the history
    #[arg(long)]
    pub sparse: bool,
}

pub fn run(args: Args, ctx: &Ctx, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let dir = ctx.cwd.join(
        args.dir
            .or_else(|| ctx.archive_dir.clone())
            .unwrap_or_default(),
    );
    let (archive, outcome) = Archive::init(&dir, timefmt::now()?)?;
    if args.sparse {
        archive.make_sparse()?;
    }
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
    if args.sparse {
        writeln!(
            out,
            "Raw files stay in git alone (sparse checkout): prov show --raw reads them"
        )?;
    }
    Ok(Outcome::Ok)
}
