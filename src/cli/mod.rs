//! The command line: argument parsing, dispatch, and turning errors into one sentence and an exit code.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::commands::{self, CliError, Ctx, EXIT_ERROR, Outcome};

#[derive(Debug, Parser)]
#[command(
    name = "prov",
    version,
    about = "Track the text and provenance of news articles as they are republished and edited"
)]
pub struct Cli {
    /// Use the archive in DIR instead of the nearest one above the current folder
    #[arg(long, global = true, env = "PROV_ARCHIVE", value_name = "DIR")]
    pub archive: Option<PathBuf>,

    /// When to colour the output
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Make a folder an archive (a git repository with prov.toml, snapshots/, reports/)
    Init(commands::init::Args),
    /// Capture sources: http(s) URLs, files, `-` for stdin, WARC files
    Snapshot(Box<commands::snapshot::Args>),
    /// Show what changed in the clean text between two captures
    Diff(commands::diff::Args),
    /// List captures, oldest first, with what changed in each
    Log(commands::log::Args),
    /// Print a capture's clean text, raw bytes, metadata or stripped noise
    Show(commands::show::Args),
    /// Clean files without archiving them
    Normalize(commands::normalize::Args),
    /// Write reports: each article's index.html, report.md and report.json, and an index
    Report(commands::report::Args),
    /// Re-derive every capture's text with today's normalizer and list those that differ
    Renormalize(commands::renormalize::Args),
    /// Check every captured file against meta.json and git, and the history itself
    Verify(commands::verify::Args),
    /// List an article's copies, earliest first, with what each changed and who claims what
    Lineage(commands::lineage::Args),
    /// Show which capture introduced each paragraph's present wording
    Blame(commands::blame::Args),
    /// Write an article's provenance as W3C PROV-JSON
    Export(commands::export::Args),
    /// File a capture under another article or copy (a committed record; the capture is unchanged)
    Refile(commands::refile::Args),
    /// Look again at watched URLs and feeds when due, record and report what changed
    #[command(after_help = "\
Examples:
  prov watch --once                                     one round of what is due (for cron)
  prov watch --feed https://example.com/rss.xml         also what a feed announces
  prov watch --json --on-change 'cat >> changes.jsonl'")]
    Watch(Box<commands::watch::Args>),
}

/// Run prov with these arguments; returns the exit status.
pub fn main_with(args: impl IntoIterator<Item = std::ffi::OsString>) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => 0,
                _ => EXIT_ERROR,
            };
        }
    };
    let cwd = match std::env::current_dir() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("prov: cannot read the current folder: {e}");
            return EXIT_ERROR;
        }
    };
    let stdout = std::io::stdout();
    // Colour is decided once, here.
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let ctx = Ctx {
        archive_dir: cli.archive,
        cwd,
        color,
        progress: std::io::stderr().is_terminal(),
        width: stdout
            .is_terminal()
            .then(|| console::Term::stdout().size_checked())
            .flatten()
            .map(|(_, cols)| usize::from(cols)),
        stdout_terminal: stdout.is_terminal(),
    };
    let mut out = std::io::BufWriter::new(stdout.lock());
    let result = dispatch(cli.command, &ctx, &mut out).and_then(|o| {
        out.flush()?;
        Ok(o)
    });
    match result {
        Ok(outcome) => outcome.code(),
        Err(e) if e.broken_pipe => 0,
        Err(e) => {
            let _ = out.flush();
            eprintln!("prov: {}", commands::printable(&e.to_string()));
            EXIT_ERROR
        }
    }
}

fn dispatch(command: Command, ctx: &Ctx, out: &mut dyn Write) -> Result<Outcome, CliError> {
    match command {
        Command::Init(a) => commands::init::run(a, ctx, out),
        Command::Snapshot(a) => commands::snapshot::run(*a, ctx, out),
        Command::Diff(a) => commands::diff::run(a, ctx, out),
        Command::Log(a) => commands::log::run(a, ctx, out),
        Command::Show(a) => commands::show::run(a, ctx, out),
        Command::Normalize(a) => commands::normalize::run(a, ctx, out),
        Command::Report(a) => commands::report::run(a, ctx, out),
        Command::Renormalize(a) => commands::renormalize::run(a, ctx, out),
        Command::Verify(a) => commands::verify::run(a, ctx, out),
        Command::Lineage(a) => commands::lineage::run(a, ctx, out),
        Command::Blame(a) => commands::blame::run(a, ctx, out),
        Command::Export(a) => commands::export::run(a, ctx, out),
        Command::Refile(a) => commands::refile::run(a, ctx, out),
        Command::Watch(a) => commands::watch::run(*a, ctx, out),
    }
}
